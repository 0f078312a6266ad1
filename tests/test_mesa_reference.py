"""The Mesa implementation used by the benchmark is faithful: same profiles, same statistics.

Both implementations run the four article pairings for a year. Every statistic of
the summary table that the theory talks about (response rates with and without an
audience or benefit, accuracy, arousal, follow-through, breakups and
reconciliations) must agree within sampling error: the difference is tested
against the standard errors of the two ratio estimates, clustered by dyad (dyads
differ in their traits, so episodes of one dyad are not independent).
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("mesa")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import empathica  # noqa: E402
from benchmarks.mesa_reference.model import TALLIES, EmpathyModel, run_tallies  # noqa: E402

PAIRS = [("secure", "secure"), ("bpd", "secure"), ("npd", "secure"), ("npd", "bpd")]
DAYS = 365
MESA_DYADS = 250  # per pairing
EMPATHICA_DYADS = 2500
Z = 4.0  # about 25 comparisons: a false alarm at 4 SE has probability ~1e-3 overall

RATIOS = {
    "resp_unpaid": ("r_unpaid", "n_unpaid"),
    "resp_paid": ("r_paid", "n_paid"),
    "accuracy": ("s_acc", "n_acc"),
    "arousal_level": ("s_level", "n_dist"),
    "follow_watched": ("s_fw", "n_fw"),
    "follow_unwatched": ("s_fu", "n_fu"),
}
PAIR_RATIOS = {
    "breakups_per_dyad_year": ("breakups", "dyad_years"),
    "reconciliations_per_dyad_year": ("reconciliations", "dyad_years"),
    "together": ("together_days", "dyad_days"),
}


def ratio_and_se(y: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    """Ratio estimate sum(y)/sum(x) over clusters and its linearised standard error."""
    n = len(x)
    r = y.sum() / x.sum()
    resid = y - r * x
    se = np.sqrt(n / (n - 1) * np.sum(resid**2)) / x.sum()
    return float(r), float(se)


def mesa_tables():
    model = EmpathyModel(PAIRS, dyads=MESA_DYADS, seed=1)
    for _ in range(DAYS):
        model.step()
    t = model.dyad_table()
    per_responder = t.groupby(["dyad", "pair", "responder"], as_index=False)[list(TALLIES)].sum()
    columns = ["dyad", "pair", "breakups", "reconciliations", "together_days", "dyad_days"]
    per_dyad = t[t["side"] == 0][columns]
    return per_responder, per_dyad.reset_index(drop=True)


def empathica_tables():
    res = empathica.simulate(PAIRS, dyads=EMPATHICA_DYADS, days=DAYS, seed=2)
    e = res.episodes
    a = e["true_actor_profile"].astype(str)
    b = e["true_target_profile"].astype(str)
    paid = e["audience"] | e["benefit"]
    responded = e["responded"]
    distress = e["need"].astype(str) != "good_news"
    known = e["followed_through"].notna()
    kept = e["followed_through"].fillna(False).astype(bool)
    watched = e["audience"]
    frame = pd.DataFrame(
        {
            "dyad": e["dyad"],
            "pair": np.where(a <= b, a + ":" + b, b + ":" + a),
            "responder": a,
            "episodes": 1,
            "n_unpaid": ~paid,
            "r_unpaid": responded & ~paid,
            "n_paid": paid,
            "r_paid": responded & paid,
            "n_acc": responded,
            "s_acc": e["accuracy"].fillna(0.0),
            "n_dist": distress,
            "s_level": np.where(distress, e["true_actor_arousal"], 0.0),
            "n_fw": known & watched,
            "s_fw": kept & known & watched,
            "n_fu": known & ~watched,
            "s_fu": kept & known & ~watched,
        }
    )
    per_responder = frame.groupby(["dyad", "pair", "responder"], as_index=False).sum(numeric_only=True)
    tr = res.trajectories
    pa, pb = tr["profile_a"].astype(str), tr["profile_b"].astype(str)
    tr = tr.assign(pair=np.where(pa <= pb, pa + ":" + pb, pb + ":" + pa), dyad_days=1)
    per_dyad = tr.groupby(["dyad", "pair"], as_index=False).agg(
        breakups=("breakups", "sum"),
        reconciliations=("reconciliations", "sum"),
        together_days=("together", "sum"),
        dyad_days=("dyad_days", "sum"),
    )
    return per_responder, per_dyad


def compare() -> pd.DataFrame:
    """One row per statistic: both estimates, their standard errors and the z of the difference."""
    rows = []
    tables = {"mesa": mesa_tables(), "empathica": empathica_tables()}
    for engine, (resp, dyad) in tables.items():
        dyad = dyad.assign(dyad_years=dyad["dyad_days"] / 365.0)
        for (pair, responder), g in resp.groupby(["pair", "responder"]):
            for stat, (num, den) in RATIOS.items():
                g = g[g[den] > 0] if stat.startswith("follow") else g
                r, se = ratio_and_se(g[num].to_numpy(float), g[den].to_numpy(float))
                rows.append((engine, pair, responder, stat, r, se))
        for pair, g in dyad.groupby("pair"):
            for stat, (num, den) in PAIR_RATIOS.items():
                r, se = ratio_and_se(g[num].to_numpy(float), g[den].to_numpy(float))
                rows.append((engine, pair, "-", stat, r, se))
    df = pd.DataFrame(rows, columns=["engine", "pair", "responder", "stat", "value", "se"])
    wide = df.pivot_table(index=["pair", "responder", "stat"], columns="engine", values=["value", "se"])
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    wide["z"] = (wide["value_mesa"] - wide["value_empathica"]) / np.sqrt(
        wide["se_mesa"] ** 2 + wide["se_empathica"] ** 2
    )
    return wide.reset_index()


@pytest.fixture(scope="module")
def comparison():
    return compare()


def test_mesa_reproduces_empathica_statistics(comparison):
    assert len(comparison) == 7 * len(RATIOS) + 4 * len(PAIR_RATIOS)
    assert comparison[["value_mesa", "value_empathica"]].notna().all().all()
    bad = comparison[comparison["z"].abs() > Z]
    assert bad.empty, "\n" + comparison.to_string()


def test_the_comparison_has_power(comparison):
    """The test would see a real difference: the standard errors are small compared
    with the effects the theory is about (e.g. npd's paid lift of about 0.65)."""
    rates = comparison[comparison["stat"].isin(["resp_unpaid", "resp_paid"])]
    assert (np.sqrt(rates["se_mesa"] ** 2 + rates["se_empathica"] ** 2) < 0.03).all()
    npd = comparison[(comparison["pair"] == "npd:secure") & (comparison["responder"] == "npd")]
    lift = npd.set_index("stat")["value_mesa"]
    assert lift["resp_paid"] - lift["resp_unpaid"] > 0.5


def test_run_tallies_runs_exactly_the_days_asked():
    """What the benchmark times: exactly ``days`` steps, the same tallies as stepping by hand."""
    tallies, seconds = run_tallies(PAIRS[:2], dyads=6, days=45, seed=3)
    model = EmpathyModel(PAIRS[:2], dyads=6, seed=3)
    for _ in range(45):
        model.step()
    assert seconds > 0
    assert (tallies.days, tallies.n_dyads, tallies.n_episodes) == (45, 12, model.n_episodes)
    assert (tallies.day_sums["dyad_days"] == 6 * 45).all()
    assert int(tallies.episode_sums["episodes"].sum()) == model.n_episodes
    pd.testing.assert_frame_equal(tallies.summary, model.summary(), check_exact=True)
    assert len(model.datacollector.get_model_vars_dataframe()) == 45
