"""A whole calibration: it recovers what generated its findings, is deterministic on any
number of workers, reports fit and test sets, and its command behaves like the others."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from empathica.calibrate import analyze
from empathica.calibrate.run import calibrate, recover
from empathica.calibrate.simulator import findings
from empathica.calibrate.spec import calibration_from_dict
from empathica.cli.application import app

runner = CliRunner()

#: Lab-only findings (milliseconds a simulation), two free parameters.
KEYS = ["L2.contagion", "L2.concern", "L3.reasoning"]
PARAMS = [
    {"name": "bpd_evidence.emotional_contagion", "low": 0.4, "high": 0.95},
    {"name": "bpd_evidence.empathic_concern", "low": 0.25, "high": 0.75},
]


def spec_for(values: dict, **sizes):
    raw = {
        "name": "test",
        "parameter": PARAMS,
        "fit": [{"key": k, "value": values[k], "se": 0.08, "source": "synthetic"} for k in KEYS[:2]],
        "test": [{"key": KEYS[2], "value": values[KEYS[2]], "se": 0.08, "source": "synthetic"}],
        "population_size": 40,
        "generations": 4,
        "group_n": 600,
        "predictive_draws": 30,
        "recovery_truths": 0,
        **sizes,
    }
    return calibration_from_dict(raw)


def test_the_posterior_finds_the_truth_and_the_generating_account_wins():
    truth = {"bpd_evidence.emotional_contagion": 0.85, "bpd_evidence.empathic_concern": 0.40}
    free = spec_for(dict.fromkeys(KEYS, 0.0)).parameter
    values = findings(truth, free, KEYS, seed=5, group_n=4000)
    result = calibrate(spec_for(values), workers=1)
    par = result.parameters.set_index("parameter")
    for name, t in truth.items():
        assert par.loc[name, "q05"] <= t <= par.loc[name, "q95"]
        assert par.loc[name, "contraction"] > 0.5  # the two findings pin both parameters down
    m = result.models
    p = m[m["tolerance"] == 1.0].set_index("account")["probability"]
    assert p["evidence"] > 0.9 and p.sum() == pytest.approx(1.0)
    assert result.posterior["weight"].sum() == pytest.approx(1.0)
    ev = result.predictions[result.predictions["account"] == "evidence"].set_index("key")
    assert list(ev["set"]) == ["fit", "fit", "test"]
    assert ev["inside90"].all()  # its own findings, and the held-out one it did not see
    g = result.generations
    assert (np.diff(g["epsilon"]) < 0).all() and (g["acceptance_rate"] <= 1).all()
    assert g["effective_size"].iloc[0] == pytest.approx(40)  # prior draws, equal weights
    assert (g["effective_size"] > 10).all()  # the importance weights do not degenerate


def test_published_values_of_the_null_account_favour_it_over_the_article():
    values = findings({}, (), KEYS, seed=3, group_n=4000, account="null")
    result = calibrate(spec_for(values, generations=3), workers=1, recovery=False)
    m = result.models
    p = m[m["tolerance"] == 1.0].set_index("account")["probability"]
    assert p["null"] > p["article"]
    claims = result.claims.set_index("key")
    assert (claims["log10_bf_evidence_article"] > 1).all()  # the article misses every null value
    history = result.history_db
    assert history.exists()
    del result, claims, m
    gc.collect()
    assert not history.parent.exists()  # the temporary history goes with the result


def test_same_spec_same_tables_in_process_and_on_two_dask_workers():
    values = {"L2.contagion": 1.1, "L2.concern": 0.06, "L3.reasoning": -0.44}
    spec = spec_for(values, population_size=15, generations=2, predictive_draws=6)
    one = calibrate(spec, workers=1, recovery=False)
    two = calibrate(spec, workers=2, recovery=False)
    pd.testing.assert_frame_equal(one.posterior, two.posterior)
    pd.testing.assert_frame_equal(one.predictions, two.predictions)
    assert two.timing["workers"] == 2


def test_recovery_covers_the_truths_it_drew():
    spec = spec_for(
        {"L2.contagion": 1.1, "L2.concern": 0.06, "L3.reasoning": -0.44},
        recovery_truths=6, recovery_population=30, recovery_generations=3,
    )  # fmt: skip
    rec = recover(spec)
    assert rec["truth"].nunique() == 6 and set(rec["parameter"]) == {p["name"] for p in PARAMS}
    assert rec["covered90"].mean() >= 0.6  # a broken posterior (or a mislabelled truth) covers far less
    assert ((rec["u"] >= 0) & (rec["u"] <= 1)).all()
    cov = analyze.coverage(rec).set_index("parameter")
    assert cov.loc["all", "truths"] == 6
    assert cov.loc["all", "covered90"] == pytest.approx(rec["covered90"].mean())


def free_parameter(name: str):
    from types import SimpleNamespace

    return SimpleNamespace(name=name)


def test_weighted_quantiles_and_coverage_of_a_calibrated_posterior():
    rng = np.random.default_rng(0)
    x = rng.normal(size=4000)
    assert analyze.weighted_quantiles(x, np.ones_like(x), [0.5])[0] == pytest.approx(np.median(x), abs=0.01)
    w = np.where(x > 0, 3.0, 1.0)  # weights move the median up
    assert analyze.weighted_quantiles(x, w, [0.5])[0] > 0.3
    # truths drawn from the very posterior they are checked against: coverage is nominal
    rows = []
    for i in range(400):
        post = rng.normal(size=300)
        p = free_parameter("p")
        rows += analyze.recovery_rows(
            {"p": rng.normal()}, pd.DataFrame({"p": post}), np.full(300, 1 / 300), [p], i
        )
    cov = analyze.coverage(pd.DataFrame(rows)).set_index("parameter").loc["all"]
    assert cov["covered50"] == pytest.approx(0.5, abs=0.07) and cov["covered90"] == pytest.approx(
        0.9, abs=0.05
    )
    assert cov["sbc_p"] > 0.01


def test_the_command_writes_a_folder_the_report_reads(tmp_path):
    spec = tmp_path / "cal.toml"
    spec.write_text(
        'name = "cli"\npopulation_size = 12\ngenerations = 2\ngroup_n = 200\npredictive_draws = 5\n'
        "recovery_truths = 2\nrecovery_population = 10\nrecovery_generations = 1\n"
        '[[parameter]]\nname = "bpd_evidence.emotional_contagion"\nlow = 0.4\nhigh = 0.95\n'
        '[[fit]]\nkey = "L2.contagion"\nvalue = 1.1\nse = 0.08\nsource = "Blunden et al. 2024"\n'
        '[[test]]\nkey = "L3.decoding"\nvalue = 0.0\nse = 0.1\nsource = "Bora 2021"\n'
    )
    out = tmp_path / "out"
    res = runner.invoke(app, ["calibrate", str(spec), "--workers", "1", "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())  # titles wrap on a narrow terminal
    assert "held-out test set" in text and "posterior probabilities of the accounts" in text
    for name in ("posterior", "predictions", "parameters", "models", "claims", "coverage", "generations"):
        assert (out / f"{name}.parquet").exists()
    assert (out / "abc.db").exists()
    import duckdb

    n = duckdb.sql(f"select count(*) from '{out / 'posterior.parquet'}'").fetchall()[0][0]
    assert 0 < n <= 12 and n == len(pd.read_csv(out / "posterior.csv"))  # the evidence account's particles
    again = runner.invoke(app, ["calibrate", str(spec), "--workers", "1", "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    html = tmp_path / "r.html"
    rep = runner.invoke(app, ["report", str(out), "--out", str(html)])
    assert rep.exit_code == 0, rep.output
    page = html.read_text()
    assert "held-out test set" in page.lower() and "Parameter recovery" in page


def test_a_bad_spec_is_one_line_exit_2(tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text('[[parameter]]\nname = "bpd_evidence.charm"\nlow = 0\nhigh = 1\n')
    res = runner.invoke(app, ["calibrate", str(spec)])
    assert res.exit_code == 2
    assert len(res.output.strip().splitlines()) == 1 and "charm" in res.output


def test_the_example_spec_runs_end_to_end_quick(tmp_path):
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "evidence.toml"
    out = tmp_path / "cal"
    res = runner.invoke(app, ["calibrate", str(example), "--quick", "--workers", "1", "--out", str(out)])
    assert res.exit_code == 0, res.output
    preds = pd.read_parquet(out / "predictions.parquet")
    assert set(preds["set"]) == {"fit", "test"} and set(preds["account"]) == {"evidence", "article", "null"}
    assert len(pd.read_parquet(out / "coverage.parquet")) == 10  # nine parameters and "all"
    # the posterior drives validate --posterior: held-out rows are named and counted first
    val = runner.invoke(app, ["validate", "--posterior", str(out), "--draws", "2", "--json"])
    assert val.exit_code in (0, 1), val.output
    import json

    rows = {r["key"]: r for r in json.loads(val.stdout)}
    assert rows["L8.dissolved"]["set"] == "test" and rows["L8.dissolved"]["basis"] == "predicted (held out)"
    assert rows["L2.contagion"]["basis"] == "fitted (calibration)"
    assert rows["L11.structure"]["set"] == "" and 0 <= rows["L4.cognitive"]["share_pass"] <= 1
    assert val.exit_code == (
        1 if any(r["set"] == "test" and r["verdict"] == "fail" for r in rows.values()) else 0
    )


def test_validate_posterior_refuses_a_folder_that_is_not_a_calibration(tmp_path):
    res = runner.invoke(app, ["validate", "--posterior", str(tmp_path)])
    assert res.exit_code == 2 and "not a calibration folder" in res.output
