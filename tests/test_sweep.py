"""Sweeps: specs, designs and seeds, a real LocalCluster, the run store, kill -9 and resume,
failing runs, SQL, regenerated episode logs, sensitivity indices."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import empathica
from empathica.errors import EmpathicaInputError
from empathica.sweep import RunStore, load_spec, plan, run_sweep
from empathica.sweep.episodes import regenerate_episodes
from empathica.sweep.execute import _settings
from empathica.sweep.sensitivity import analyze
from empathica.sweep.spec import spec_from_dict

SMALL = {
    "name": "small",
    "seed": 3,
    "replicates": 1,
    "metrics": ["paid_lift", "breakups_per_dyad_year"],
    "scenario": {"pairs": ["npd:secure", "bpd:secure"], "dyads": 20, "days": 60},
    "design": {"method": "sobol", "n": 8},
    "parameters": {"npd.admiration_need": [0.5, 0.95], "bpd.impulsivity": [0.3, 0.95]},
}


def cli(*args, **kw):
    return subprocess.run(
        [sys.executable, "-m", "empathica.cli", *map(str, args)], capture_output=True, text=True, **kw
    )


def write_spec(path: Path, spec: dict) -> Path:
    lines = [
        f'name = "{spec["name"]}"',
        f"seed = {spec['seed']}",
        f"replicates = {spec['replicates']}",
        f"metrics = {json.dumps(spec['metrics'])}",
        "[scenario]",
        f"pairs = {json.dumps(spec['scenario']['pairs'])}",
        f"dyads = {spec['scenario']['dyads']}",
        f"days = {spec['scenario']['days']}",
        "[design]",
        f'method = "{spec["design"]["method"]}"',
        f"n = {spec['design']['n']}",
        "[parameters]",
    ]
    lines += [f'"{k}" = {json.dumps(v)}' for k, v in spec["parameters"].items()]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The small sweep run once, uninterrupted, on 2 workers."""
    store = tmp_path_factory.mktemp("clean") / "store"
    rep = run_sweep(spec_from_dict(SMALL), store, workers=2)
    with RunStore(store, read_only=True) as st:
        return rep, st.results_of(rep.sweep_id), store


def test_plan_is_deterministic_with_common_random_numbers_per_replicate():
    spec = spec_from_dict({**SMALL, "replicates": 2})
    a, b = plan(spec), plan(spec)
    assert a.equals(b) and len(a) == 8 * (2 + 2) * 2
    assert a.groupby("replicate")["seed"].nunique().eq(1).all()  # one seed per replicate
    assert a["seed"].nunique() == 2
    other = plan(spec_from_dict({**SMALL, "replicates": 2, "seed": 4}))
    assert not set(other["seed"]) & set(a["seed"])


def test_parameter_order_does_not_change_the_sweep():
    flipped = {**SMALL, "parameters": dict(reversed(list(SMALL["parameters"].items())))}
    assert spec_from_dict(flipped).hash == spec_from_dict(SMALL).hash
    assert plan(spec_from_dict(flipped)).equals(plan(spec_from_dict(SMALL)))


@pytest.mark.parametrize(
    "change, message",
    [
        ({"parameters": {"nobody.admiration_need": [0, 1]}}, "neither a profile"),
        ({"parameters": {"npd.charm": [0, 1]}}, "unknown trait"),
        ({"parameters": {"npd.admiration_need": [0.9, 0.1]}}, "low < high"),
        ({"parameters": {"relationship.warmth": [0, 1]}}, "no constant"),
        ({"metrics": ["happiness"]}, "unknown metric"),
        ({"design": {"method": "sobol", "n": 10}}, "power of 2"),
    ],
)
def test_bad_specs_say_what_to_fix(change, message):
    with pytest.raises(EmpathicaInputError, match=message):
        plan(spec_from_dict({**SMALL, **change}))


def test_bad_spec_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = [unclosed\n")
    res = cli("sweep", bad, "--store", tmp_path / "s")
    assert res.returncode == 2 and "bad.toml" in res.stderr and "Traceback" not in res.stderr


def test_results_do_not_depend_on_workers_or_batches(clean, tmp_path):
    rep, results, _ = clean
    assert rep.done == rep.n_runs == 32 and rep.failed == 0
    one = run_sweep(spec_from_dict(SMALL), tmp_path / "one", workers=1, batch_size=5)
    with RunStore(tmp_path / "one", read_only=True) as st:
        pd.testing.assert_frame_equal(st.results_of(one.sweep_id), results)


def test_rerun_of_a_finished_sweep_runs_nothing(clean):
    rep, results, store = clean
    again = run_sweep(spec_from_dict(SMALL), store, workers=1)
    assert again.ran_now == 0 and again.done == rep.n_runs
    with RunStore(store, read_only=True) as st:
        pd.testing.assert_frame_equal(st.results_of(rep.sweep_id), results)


def test_kill_9_of_the_driver_then_rerun_loses_and_repeats_nothing(clean, tmp_path):
    """A real `empathica sweep` with its LocalCluster, killed with SIGKILL once some batches are
    stored, then run again: every run once, the same numbers as an uninterrupted sweep."""
    big = {**SMALL, "design": {"method": "sobol", "n": 32}, "scenario": {**SMALL["scenario"], "days": 120}}
    spec_path = write_spec(tmp_path / "big.toml", big)
    store = tmp_path / "store"
    proc = subprocess.Popen(
        [sys.executable, "-m", "empathica.cli", "sweep", spec_path, "--store", store, "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    folder = store / "results" / f"sweep={spec_from_dict(big).hash[:12]}"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(folder.glob("batch-*.parquet"))) < 4:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and its cluster, as a crash would
    proc.wait()
    stored_before = len(list(folder.glob("batch-*.parquet")))
    assert stored_before >= 4
    res = cli("sweep", spec_path, "--store", store, "--workers", "2", timeout=300)
    assert res.returncode == 0, res.stderr
    with RunStore(store, read_only=True) as st:
        results = st.results_of(spec_from_dict(big).hash[:12])
        status = st.sql("SELECT status, count(*) AS n FROM runs GROUP BY status")
    n_runs = 32 * (2 + 2)
    assert results["run_index"].nunique() == n_runs
    assert len(results) == n_runs * 4  # 2 pairings x 2 responders, no run twice
    assert status.set_index("status")["n"].to_dict() == {"done": n_runs}
    uninterrupted = run_sweep(spec_from_dict(big), tmp_path / "clean2", workers=2)
    with RunStore(tmp_path / "clean2", read_only=True) as st:
        pd.testing.assert_frame_equal(st.results_of(uninterrupted.sweep_id), results)


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path):
    spec = spec_from_dict(
        {**SMALL, "parameters": {"context.p_audience": [0.5, 1.5]}, "design": {"method": "sobol", "n": 4}}
    )
    rep = run_sweep(spec, tmp_path / "s", workers=1)
    assert rep.failed > 0 and rep.done > 0 and rep.done + rep.failed == rep.n_runs
    with RunStore(tmp_path / "s", read_only=True) as st:
        failed = st.sql("SELECT params, error FROM runs WHERE status = 'failed'")
    assert all(json.loads(p)["context.p_audience"] > 1 for p in failed["params"])
    assert failed["error"].str.contains("p_audience").all()


def test_runs_sql_answers_and_bad_sql_is_one_line(clean):
    _, _, store = clean
    res = cli(
        "runs",
        "--store",
        store,
        "--sql",
        "SELECT count(*) AS n FROM results WHERE pair = 'npd:secure'",
        "--json",
    )
    assert res.returncode == 0 and json.loads(res.stdout) == [{"n": 64}]
    bad = cli("runs", "--store", store, "--sql", "SELEC nonsense")
    assert bad.returncode == 2 and bad.stderr.startswith("error: --sql") and "Traceback" not in bad.stderr


def test_regenerated_episodes_equal_the_stored_log(clean, tmp_path):
    rep, _, store = clean
    spec = spec_from_dict(SMALL)
    with RunStore(store, read_only=True) as st:
        run = st.run(f"{rep.sweep_id}-000005")
        again = regenerate_episodes(st, run["run_id"], [3, 17, 31])
    row = {**json.loads(run["params"]), "seed": int(run["seed"]), "run_index": 5}
    overrides, model = _settings(spec, row)
    full = tmp_path / "full"
    empathica.simulate_to_files(
        full,
        spec.scenario.pairs,
        dyads=spec.scenario.dyads,
        days=spec.scenario.days,
        seed=int(run["seed"]),
        overrides=overrides,
        model=model,
        keep="episodes",
    )
    stored = pd.read_parquet(full / "episodes.parquet")
    stored = stored[stored["dyad"].isin([3, 17, 31])].reset_index(drop=True)
    assert len(again) == len(stored) > 0
    assert list(again.columns) == list(stored.columns)

    def plain(col):  # missing is missing (NA or None); every value bit for bit
        return [None if pd.isna(x) else x for x in col.astype(object)]

    for col in again.columns.drop("episode"):
        assert plain(again[col]) == plain(stored[col]), col


def test_sensitivity_finds_what_can_matter(clean):
    rep, _, store = clean
    with RunStore(store, read_only=True) as st:
        npd = analyze(st, rep.sweep_id, "paid_lift", "npd:secure", "npd").set_index("parameter")
        bpd = analyze(st, rep.sweep_id, "breakups_per_dyad_year", "bpd:secure", "bpd").set_index("parameter")
    # common random numbers: a trait of the other pairing's profile changes nothing at all
    assert npd.loc["bpd.impulsivity", "ST"] == pytest.approx(0, abs=1e-12)
    assert bpd.loc["npd.admiration_need", "ST"] == pytest.approx(0, abs=1e-12)
    assert npd.loc["npd.admiration_need", "ST"] > 0.5 and bpd.loc["bpd.impulsivity", "ST"] > 0.5
    assert {"S1_conf", "ST_conf", "resolved", "n_needed"} <= set(npd.columns)


def test_sensitivity_cli_prints_and_warns(clean, tmp_path):
    rep, _, store = clean
    res = cli("sensitivity", rep.sweep_id, "--store", store, "--html", tmp_path / "s.html")
    assert res.returncode == 0, res.stderr
    assert "npd.admiration_need" in res.stdout and (tmp_path / "s.html").exists()
    missing = cli("sensitivity", "nope", "--store", store)
    assert missing.returncode == 2 and "no sweep" in missing.stderr


def test_the_readme_names_the_example_sweep_by_its_id():
    root = Path(__file__).resolve().parents[1]
    spec = load_spec(root / "examples" / "sobol.toml")
    assert len(plan(spec)) >= 200
    assert f"empathica sensitivity {spec.hash[:12]}" in (root / "README.md").read_text()


def test_a_large_population_in_chunks_across_workers_equals_one_process():
    """The chunks of one population computed on 2 workers give the single process's summary,
    bit for bit (here 150,000 dyads in 5 chunks; the same code splits 10^8)."""
    from dask.distributed import Client, LocalCluster

    from empathica.sweep.population import counts_on_cluster

    one = empathica.simulate_counts(
        "bpd:secure", dyads=150_000, days=20, seed=9, chunk_size=1 << 15, threads=1
    )
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
        with Client(cluster) as client:
            many = counts_on_cluster(client, "bpd:secure", dyads=150_000, days=20, seed=9, chunk_size=1 << 15)
    pd.testing.assert_frame_equal(one.summary, many.summary, check_exact=True)
    assert one.n_episodes == many.n_episodes > 0


def test_kill_9_of_a_worker_mid_sweep_loses_nothing(tmp_path):
    """A worker process killed with SIGKILL while the sweep runs: its tasks run elsewhere
    (the nanny restarts it) and the results equal those of an undisturbed sweep."""
    import threading

    from dask.distributed import Client, LocalCluster

    big = {**SMALL, "design": {"method": "sobol", "n": 32}, "scenario": {**SMALL["scenario"], "days": 120}}
    spec = spec_from_dict(big)
    store = tmp_path / "store"
    folder = store / "results" / f"sweep={spec.hash[:12]}"
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
        with Client(cluster) as client:
            pids = list(client.run(os.getpid).values())
            out = {}
            worker = threading.Thread(
                target=lambda: out.update(
                    rep=run_sweep(spec, store, scheduler=cluster.scheduler_address, batch_size=4)
                )
            )
            worker.start()
            deadline = time.time() + 120
            while time.time() < deadline and len(list(folder.glob("batch-*.parquet"))) < 5:
                time.sleep(0.02)
            os.kill(pids[0], signal.SIGKILL)
            worker.join(timeout=300)
    rep = out["rep"]
    assert rep.done == rep.n_runs and rep.failed == 0
    with RunStore(store, read_only=True) as st:
        results = st.results_of(rep.sweep_id)
    assert results["run_index"].nunique() == rep.n_runs and len(results) == rep.n_runs * 4
    clean = run_sweep(spec, tmp_path / "clean", workers=1)
    with RunStore(tmp_path / "clean", read_only=True) as st:
        pd.testing.assert_frame_equal(st.results_of(clean.sweep_id), results)


def test_the_report_of_a_run_store_shows_every_sensitivity(clean, tmp_path):
    from empathica.report import build, write_html

    rep, _, store = clean
    page = build(source=store)
    constant = page.html.count("does not vary across the sweep")
    assert (
        page.title == "sweep" and len(page.figures) + constant == 2 * 2 * 2
    )  # metrics x pairings x responders
    assert len(page.figures) >= 4
    assert rep.sweep_id in page.html
    assert write_html(page, tmp_path / "sweep.html").stat().st_size > 100_000
