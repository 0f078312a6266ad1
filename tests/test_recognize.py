"""The recognizer: separation, calibration, determinism, evidence, notes and the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from empathica.cli.recognize import register
from empathica.recognize import recognizer as rec
from empathica.recognize.recognizer import INDICES, recognize
from empathica.recognize.synthetic import synthetic_diary


def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    idx = np.minimum((p * bins).astype(int), bins - 1)
    return float(
        sum((idx == b).mean() * abs(p[idx == b].mean() - y[idx == b].mean())
            for b in range(bins) if (idx == b).any())
    )  # fmt: skip


def with_truth(result: rec.RecognitionResult, diary: pd.DataFrame) -> pd.DataFrame:
    truth = diary.groupby("actor").agg(group=("true_group", "first"), share=("true_share", "first"))
    return result.actors.join(truth, on="actor")


@pytest.fixture(scope="module")
def diary50() -> pd.DataFrame:
    return synthetic_diary(200, 50, seed=11)


@pytest.fixture(scope="module")
def result50(diary50: pd.DataFrame) -> rec.RecognitionResult:
    return recognize(diary50)


# ----------------------------------------------------------------- what it finds


def test_separates_genuine_from_strategic_at_50_episodes(result50, diary50) -> None:
    a = with_truth(result50, diary50)
    gs = a[a["group"].isin(["genuine", "strategic"])]
    accuracy = ((gs["p_conditional"] >= 0.5) == (gs["group"] == "strategic")).mean()
    assert accuracy >= 0.95
    decided = gs[gs["verdict"] != "uncertain"]
    assert len(decided) >= 0.8 * len(gs)
    assert ((decided["verdict"] == "conditional") == (decided["group"] == "strategic")).all()


def test_defensive_withdrawal_is_not_read_as_conditional(result50, diary50) -> None:
    a = with_truth(result50, diary50)
    defensive = a[a["group"] == "defensive"]
    genuine = a[a["group"] == "genuine"]
    assert (defensive["verdict"] != "conditional").all()
    assert (
        defensive["withdrawal_under_threat_mean"].median()
        > genuine["withdrawal_under_threat_mean"].median() + 0.3
    )


def test_p_conditional_is_calibrated_on_synthetic_diaries() -> None:
    p, y = [], []
    for n, seed in ((10, 1), (20, 2), (50, 3)):
        diary = synthetic_diary(300, n, seed=seed)
        a = with_truth(recognize(diary, evidence_per_actor=0), diary)
        p.append(a["p_conditional"].to_numpy())
        y.append((a["share"] > rec.DELTA).to_numpy())
    assert ece(np.concatenate(p), np.concatenate(y)) <= 0.05


def test_intervals_cover_the_true_share(result50, diary50) -> None:
    a = with_truth(result50, diary50)
    inside = (a["share"] >= a["conditionality_lo"]) & (a["share"] <= a["conditionality_hi"])
    assert 0.82 <= inside.mean() <= 0.98
    for name in INDICES:
        lo, mean, hi = (a[f"{name}_{s}"] for s in ("lo", "mean", "hi"))
        ok = lo.notna()
        assert (lo[ok] <= mean[ok] + 1e-9).all() and (mean[ok] <= hi[ok] + 1e-9).all(), name


def test_more_episodes_narrow_the_intervals() -> None:
    widths = []
    for n in (10, 100):
        a = recognize(synthetic_diary(60, n, seed=5), evidence_per_actor=0).actors
        widths.append((a["conditionality_hi"] - a["conditionality_lo"]).mean())
    assert widths[1] < 0.6 * widths[0]


def test_normal_approximation_matches_monte_carlo(diary50) -> None:
    sub = diary50[diary50["actor"] < 40]
    codes, names = pd.factorize(sub["actor"], sort=True)
    K, N, _ = rec._counts(sub, codes.astype(np.int64), len(names))
    prior = rec.fit_prior(K, N)
    post = rec._posterior(K, N, prior)
    weights = np.array([b[3] for b in rec.BEHAVIOURS])
    p = rec.p_share_above(post, weights, rec.DELTA)
    rng = np.random.default_rng(0)
    draws = 20_000
    mc = np.empty(len(p))
    for i in range(len(p)):
        comp = rng.choice(len(prior.weights), draws, p=post.r[i] / post.r[i].sum())
        x = rng.beta(post.a[i][comp], post.b[i][comp])
        mc[i] = (rec.true_share(x, weights) > rec.DELTA).mean()
    assert np.abs(p - mc).max() < 0.04


# --------------------------------------------------------------- properties


def test_deterministic_and_order_free(diary50) -> None:
    sub = diary50[diary50["actor"] < 30].drop(columns=["true_group", "true_share"])
    a = recognize(sub).actors
    b = recognize(sub).actors
    pd.testing.assert_frame_equal(a, b)
    shuffled = sub.sample(frac=1.0, random_state=3).reset_index(drop=True)
    c = recognize(shuffled).actors
    np.testing.assert_allclose(a["p_conditional"], c["p_conditional"], atol=1e-10)
    np.testing.assert_allclose(a["consistency_mean"], c["consistency_mean"], atol=1e-10)


def test_single_actor_uses_the_default_prior() -> None:
    diary = synthetic_diary(4, 200, seed=4)
    one = diary[diary["actor"] == 1]  # a strategic pattern
    result = recognize(one)
    assert len(result.actors) == 1
    assert any("uniform Beta(1, 1)" in note for note in result.notes)
    assert result.actors["verdict"].iloc[0] == "conditional"
    genuine = recognize(diary[diary["actor"] == 0])
    assert genuine.actors["verdict"].iloc[0] == "genuine"
    short = recognize(one.head(4))
    assert short.actors["verdict"].iloc[0] == "uncertain"
    assert "few episodes" in short.actors["note"].iloc[0]


@pytest.mark.parametrize("responded", [True, False])
def test_one_episode_decides_nothing(responded: bool) -> None:
    frame = pd.DataFrame(
        {"actor": ["Ann"], "audience": [False], "benefit": [False], "responded": [responded]}
    )
    row = recognize(frame).actors.iloc[0]
    assert row["verdict"] == "uncertain"
    assert abs(row["log10_bayes_factor"]) < 1


def test_rare_care_is_not_called_genuine() -> None:
    n = 120
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {
            "actor": ["Kim"] * n,
            "audience": rng.random(n) < 0.4,
            "benefit": rng.random(n) < 0.3,
            "responded": rng.random(n) < 0.03,
        }
    )
    row = recognize(frame).actors.iloc[0]
    assert row["verdict"] == "uncertain"
    assert row["conditionality_hi"] - row["conditionality_lo"] > 1.0  # cannot tell
    assert "rare" in row["note"]


def test_missing_optional_columns_are_left_out_with_notes() -> None:
    diary = synthetic_diary(40, 40, seed=6)
    minimal = diary[["actor", "audience", "benefit", "responded"]]
    result = recognize(minimal)
    notes = " ".join(result.notes)
    for word in ("followed_through", "boundary_respected", "threat", "accuracy", "'t'"):
        assert word in notes
    a = result.actors
    assert a["withdrawal_under_threat_mean"].isna().all()
    assert a["accuracy_mean"].isna().all()
    assert a["boundary_unobserved_mean"].isna().all()
    assert a["conditionality_mean"].notna().all()
    assert result.settings["behaviour_weights"] == {
        "responding": 1.0,
        "follow_through": 0.0,
        "boundary": 0.0,
    }


def test_evidence_points_at_real_episodes(result50, diary50) -> None:
    ev = result50.evidence
    assert set(ev.columns) >= {"actor", "episode", "weight", "direction", "reason"}
    assert ev.groupby("actor").size().max() <= 5
    by_id = diary50.set_index("episode")
    assert (by_id.loc[ev["episode"], "actor"].to_numpy() == ev["actor"].to_numpy()).all()
    assert ((ev["weight"] > 0) == (ev["direction"] == "toward conditional")).all()
    # Clear patterns come with evidence pointing their way.
    a = result50.actors
    top = a.loc[a["p_conditional"].idxmax(), "actor"]
    low = a.loc[a["p_conditional"].idxmin(), "actor"]
    assert (ev[ev["actor"] == top]["direction"] == "toward conditional").any()
    assert (ev[ev["actor"] == low]["direction"] == "toward genuine").any()
    reasons = set(ev["reason"])
    assert "did not respond when nobody was watching and there was nothing to gain" in reasons


def test_actor_filter_and_json(result50, diary50) -> None:
    only = recognize(diary50, actors=[3, "7"])
    assert only.actors["actor"].tolist() == [3, 7]
    with pytest.raises(rec.UnknownActorError, match="no actor"):
        recognize(diary50, actors=["nobody"])
    payload = json.loads(json.dumps(result50.to_dict()))
    first = payload["actors"][0]
    assert {"actor", "n_episodes", "p_conditional", "verdict", "indices"} <= set(first)
    assert "log10_bayes_factor" in first
    assert set(first["indices"]) == set(INDICES)
    assert set(first["indices"]["conditionality"]) == {"mean", "lo", "hi"}


def test_runs_on_the_simulator_log() -> None:
    import empathica

    sim = empathica.simulate(pairs=[("npd", "secure")], dyads=40, days=150, seed=3, trajectories=False)
    result = recognize(sim.episodes, evidence_per_actor=2)
    profile = sim.episodes.groupby("actor")["true_actor_profile"].first()
    a = result.actors.join(profile, on="actor")
    mean_p = a.groupby("true_actor_profile", observed=True)["p_conditional"].mean()
    assert mean_p["npd"] > 0.6 > 0.1 > mean_p["secure"]


def test_wording_describes_behaviour_never_a_diagnosis(result50) -> None:
    text = json.dumps(result50.to_dict()).lower()
    for word in ("narciss", "borderline", "npd", "bpd", "disorder", "diagnos"):
        assert word not in text


# ----------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.callback()
    def _root() -> None:
        """Test app."""

    register(app)
    return app


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory) -> Path:
    diary = synthetic_diary(6, 40, seed=8)
    diary["actor"] = diary["actor"].map(dict(enumerate(["Ann", "Bob", "Cy", "Dee", "Eve", "Fay"])))
    path = tmp_path_factory.mktemp("cli") / "diary.csv"
    diary.drop(columns=["true_group", "true_share", "true_conditional"]).to_csv(path, index=False)
    return path


def _apps(app: typer.Typer) -> list[typer.Typer]:
    """The local app, and the real command line once it registers the commands."""
    apps = [app]
    try:
        from empathica.cli import app as real
    except ImportError:  # pragma: no cover
        return apps
    names = {c.name for c in real.registered_commands}
    if "recognize" in names:
        apps.append(real)
    return apps


def test_cli_summary_and_json(app, small_csv: Path) -> None:
    runner = CliRunner()
    before = small_csv.read_bytes(), os.stat(small_csv).st_mtime_ns
    for cli in _apps(app):
        out = runner.invoke(cli, ["recognize", str(small_csv)])
        assert out.exit_code == 0, out.output
        assert "not a diagnosis" in out.output
        assert "Ann" in out.output and "verdict" in out.output
        out = runner.invoke(cli, ["recognize", str(small_csv), "--json", "--actor", "Bob"])
        assert out.exit_code == 0, out.output
        payload = json.loads(out.stdout)
        assert [a["actor"] for a in payload["actors"]] == ["Bob"]
        assert payload["actors"][0]["verdict"] in ("genuine", "conditional", "uncertain")
    assert (small_csv.read_bytes(), os.stat(small_csv).st_mtime_ns) == before


def test_cli_bad_input_exits_2_with_one_line(app, tmp_path: Path, small_csv: Path) -> None:
    runner = CliRunner()
    lines = small_csv.read_text().splitlines()
    cells = lines[5].split(",")
    cells[lines[0].split(",").index("responded")] = "perhaps"
    lines[5] = ",".join(cells)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    before = bad.read_bytes(), os.stat(bad).st_mtime_ns
    for cli in _apps(app):
        for args in (["recognize", str(bad)], ["recognize", str(bad), "--json"]):
            out = runner.invoke(cli, args)
            assert out.exit_code == 2
            message = out.stderr.strip()
            assert message.startswith("error:") and "\n" not in message
            assert "line 6" in message and "column 'responded'" in message
            assert "Traceback" not in out.output
        out = runner.invoke(cli, ["recognize", str(tmp_path / "missing.csv")])
        assert out.exit_code == 2 and "no such file" in out.stderr
        out = runner.invoke(cli, ["recognize", str(small_csv), "--actor", "Zed"])
        assert out.exit_code == 2 and "no actor" in out.stderr
    assert (bad.read_bytes(), os.stat(bad).st_mtime_ns) == before


def test_cli_diary_template(app, tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "my_diary.csv"
    out = runner.invoke(app, ["diary-template", str(path)])
    assert out.exit_code == 0 and path.exists()
    first = path.read_bytes()
    out = runner.invoke(app, ["diary-template", str(path)])
    assert out.exit_code == 2 and "already exists" in out.stderr
    assert path.read_bytes() == first
    out = runner.invoke(app, ["recognize", str(path)])
    assert out.exit_code == 0, out.output
    out = runner.invoke(app, ["diary-template"])
    assert out.exit_code == 0 and out.stdout.startswith("# Empathica interaction diary")
