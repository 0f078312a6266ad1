"""Over months and years: partner strain, loved ones' strategies, slow traits, therapy, trials."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from oracle import replay
from typer.testing import CliRunner

from empathica.cli import app
from empathica.errors import EmpathicaInputError
from empathica.lab.loved_ones import comparison_table, couples, loved_ones_study
from empathica.lab.therapy import onset, therapy_study
from empathica.lab.trial import load_trial, run_trial, trial_from_dict, write_trial
from empathica.model import chunks, course, interventions, kernel, loved_ones, plasticity, strain, streams
from empathica.model.params import ModelParams, constants
from empathica.model.traits import TRAIT_NAMES

runner = CliRunner()


# ----------------------------------------------------------------- partner strain


def test_confusion_tracks_the_surprise_of_care():
    p = constants(ModelParams()).strain
    steady = surprising = 0.0
    for care in [0.6] * 50:
        steady = strain.confusion(steady, care, 0.6, p)
    for care in [0.9, 0.3] * 25:  # the same average care, coming and going
        surprising = strain.confusion(surprising, care, 0.6, p)
    assert steady == 0.0 and surprising > 0.2


def test_exhaustion_builds_with_load_and_drains_with_care():
    p = constants(ModelParams()).strain
    x = 0.0
    for _ in range(100):
        x = strain.exhaustion(x, 1.0, 0.0, 0.0, p)
    loaded = x
    for _ in range(100):
        x = strain.exhaustion(x, 0.0, 1.0, 0.0, p)
    cared = x
    y = loaded
    for _ in range(100):
        y = strain.exhaustion(y, 0.0, 0.0, 0.0, p)
    assert 0.3 < loaded < 1.0 and cared < y < loaded


# ----------------------------------------------------------------- loved ones' strategies


def test_strategies_are_data_with_sources_and_none_is_neutral():
    known = loved_ones.strategies()
    assert {"none", "validate_boundaries", "appease", "confront", "withdraw"} <= set(known)
    assert all(s.source and s.description for s in known.values())
    assert tuple(known["none"].policy()) == loved_ones.NEUTRAL
    with pytest.raises(EmpathicaInputError, match="unknown strategy 'shout'"):
        loved_ones.strategy("shout")


def _kernel_vs_oracle(policy: np.ndarray, days: int = 120, n: int = 3, seed: int = 5):
    """Kernel trajectories of couples with these policies equal the oracle's replay."""
    tr = couples("bpd", "npd", n, seed=seed)
    key = streams.stream_key(seed)
    model = ModelParams()
    su = chunks.setup(key, np.arange(n), np.zeros((1, 10)), np.zeros((1, 2)), 1 << 62, 0.0, model, tr, policy)
    out = chunks.run_chunk(su, days, record_every=1, keep_episodes=True)
    checked = 0
    for d in range(n):
        episodes, states = replay(key, d, tr[:, :, d], days, model, policy=policy[:, :, d])
        want = pd.DataFrame(states)
        for i, col in enumerate(kernel.STATE_FLOAT):
            got = out.tf[i, d * days : (d + 1) * days]
            np.testing.assert_array_equal(got, want[col].to_numpy(dtype=np.float32), col)
        mine = out.ei64[1] == d
        assert mine.sum() == len(episodes)
        flags = {"threat": 2, "boundary_asked": 3, "perspective_prompt": 4}
        for name, row in flags.items():
            assert out.eb[row][mine].tolist() == [e[name] for e in episodes], name
        checked += len(episodes)
    assert checked > 100


@pytest.mark.parametrize("a, b", [("confront", "consistent_support"), ("withdraw", "perspective_prompts")])
def test_the_kernel_runs_what_the_strategies_say(a, b):
    _kernel_vs_oracle(loved_ones.policies(a, b, 3))


def test_a_neutral_policy_changes_nothing():
    tr = couples("bpd", "population", 20, seed=3)
    key = streams.stream_key(3)
    args = (key, np.arange(20), np.zeros((1, 10)), np.zeros((1, 2)), 1 << 62, 0.0, ModelParams(), tr)
    plain = chunks.run_chunk(chunks.setup(*args), 200, keep_episodes=False)
    neutral = chunks.run_chunk(
        chunks.setup(*args, loved_ones.policies(None, "none", 20)), 200, keep_episodes=False
    )
    np.testing.assert_array_equal(plain.tf, neutral.tf)


def test_strategies_change_what_the_loved_one_voices():
    """Confronting voices more criticism than calm responses (the policy reaches the episodes)."""
    tr = couples("bpd", "population", 200, seed=1)
    key = streams.stream_key(1)
    share = {}
    for name in ("confront", "calm_nonjudgemental"):
        pol = loved_ones.policies(None, name, 200)
        su = chunks.setup(
            key, np.arange(200), np.zeros((1, 10)), np.zeros((1, 2)), 1 << 62, 0.0, ModelParams(), tr, pol
        )
        out = chunks.run_chunk(su, 60, keep_trajectories=False)
        target_is_b = out.ei64[3] % 2 == 1
        share[name] = out.eb[2][target_is_b].mean()
    assert share["confront"] > 2 * share["calm_nonjudgemental"]


def test_loved_ones_study_is_tidy_and_deterministic():
    a = loved_ones_study(n=40, seed=2, weeks=8, strategies=("none", "confront"))
    b = loved_ones_study(n=40, seed=2, weeks=8, strategies=("none", "confront"))
    pd.testing.assert_frame_equal(a, b)
    assert set(a.columns) >= {"person", "strategy", "outcome", "mean", "ci_low", "ci_high", "n", "advised"}
    assert (a["ci_low"] <= a["mean"]).all() and (a["mean"] <= a["ci_high"]).all()
    wide = comparison_table(a)
    assert len(wide) == 4 and "strain_both" in wide.columns


# ----------------------------------------------------------------- slow traits and therapy


def test_practice_moves_a_trait_toward_its_bound_and_forgetting_toward_baseline():
    p = ModelParams().plasticity
    x = np.array([0.2, 0.5, 0.85])
    up = plasticity.practiced(x, 0.01, np.full(3, 10.0), p)
    down = plasticity.practiced(x, -0.01, np.full(3, 10.0), p)
    assert (up > x).all() and (up < p.ceiling).all()
    assert (down < x).all() and (down > p.floor).all()
    back = plasticity.forgotten(up, x, p)
    assert (back < up).all() and (back > x).all()
    same = plasticity.practiced(x, 0.01, np.zeros(3), p)
    np.testing.assert_array_equal(same, x)


def test_concern_learns_only_from_accurate_practised_responses():
    p = ModelParams().plasticity
    c = np.full(4, 0.3)
    out = plasticity.experienced(
        c, np.array([0, 2, 2, 2.0]), np.array([0.9, 0.9, 0.4, np.nan]), np.ones(4), p
    )
    assert out[0] == 0.3 and out[1] > 0.3 and out[2] == 0.3 and out[3] == 0.3
    closed = plasticity.experienced(c, np.full(4, 2.0), np.full(4, 0.9), np.zeros(4), p)
    np.testing.assert_array_equal(closed, c)


def test_collaboration_raises_and_resistance_lowers_adherence():
    res = interventions.resistance(np.array([0.2, 0.8]), np.array([0.2, 0.8]))
    t = ModelParams().therapy
    p = interventions.attend_probability(0.8, np.full(2, 0.5), res, t)
    assert p[0] > p[1]
    assert (interventions.attend_probability(0.8, np.full(2, 0.9), res, t) > p).all()
    assert (
        interventions.dropout_probability(0.02, res, p)[1]
        > interventions.dropout_probability(0.02, res, p)[0]
    )


def test_a_schedule_names_known_components_within_bounds():
    with pytest.raises(EmpathicaInputError, match="unknown component 'yoga'"):
        interventions.therapy("x", [{"component": "yoga"}])
    with pytest.raises(EmpathicaInputError, match="per_week"):
        interventions.therapy("x", [{"component": "mindfulness", "per_week": 30}])


def _npd_couples(n=200):
    return couples("npd", "population", n, seed=4)


def test_live_without_therapy_keeps_traits_and_is_deterministic():
    tr = _npd_couples(50)
    a = course.live(tr, 10, seed=3, keep=(0, 10))
    b = course.live(tr, 10, seed=3, keep=(0, 10))
    pd.testing.assert_frame_equal(a.weekly, b.weekly)
    np.testing.assert_array_equal(a.traits[10], tr)
    assert (a.dropped_week == -1).all() and (a.weekly["sessions"] == 0).all()


def test_live_results_do_not_depend_on_who_else_is_in_the_run():
    """Draws are addressed by dyad id: a subset run gives the same weeks for the same people."""
    tr = _npd_couples(60)
    th = interventions.therapy(
        "t", [{"component": "perspective_taking", "weeks": 8}, {"component": "mindfulness"}]
    )
    whole = course.live(tr, 12, seed=9, therapy=th, keep=(12,))
    part = course.live(tr[:, :, 20:40], 12, seed=9, therapy=th, keep=(12,), ids=np.arange(20, 40))
    np.testing.assert_array_equal(whole.traits[12][:, :, 20:40], part.traits[12])
    w = whole.weekly[whole.weekly["dyad"].between(20, 39)].reset_index(drop=True)
    pd.testing.assert_frame_equal(w, part.weekly)


def test_therapy_changes_the_patient_only_and_people_drop_out():
    tr = _npd_couples()
    th = interventions.therapy(
        "t", [{"component": "perspective_taking"}, {"component": "interpersonal_skills"}], 0.5
    )
    c = course.live(tr, 26, seed=1, therapy=th, keep=(0, 26))
    cog, conc = TRAIT_NAMES.index("cognitive_empathy"), TRAIT_NAMES.index("empathic_concern")
    assert c.traits[26][cog, 0].mean() > tr[cog, 0].mean()
    assert c.traits[26][conc, 0].mean() > tr[conc, 0].mean()
    np.testing.assert_array_equal(c.traits[26][:, 1], tr[:, 1])  # the partner does not change
    dropped = c.dropped_week >= 0
    assert 0 < dropped.mean() < 0.8
    w = c.weekly
    late = w[(w["week"] == 26) & w["dyad"].isin(np.flatnonzero(dropped))]
    assert (late["sessions"] == 0).all()


SPEC = {
    "name": "t",
    "seed": 3,
    "n_per_arm": 60,
    "population": "bpd",
    "weeks": 8,
    "follow_up_weeks": 4,
    "measure_weeks": [4],
    "arm": [
        {"name": "usual_care"},
        {"name": "mindful", "schedule": [{"component": "mindfulness", "weeks": 8, "per_week": 3}]},
    ],
}


def test_trial_flow_outcomes_and_effects():
    r = run_trial(trial_from_dict(SPEC))
    flow = r.flow.set_index("arm")
    assert (flow["enrolled"] == 60).all() and (flow["analysed_itt"] == 60).all()
    assert flow.loc["mindful", "dropped_out"] + flow.loc["mindful", "completed"] == 60
    assert flow.loc["usual_care", "received_treatment"] == 0
    assert set(r.outcomes["week"]) == {0, 4, 8, 12}
    e = r.effects[(r.effects["outcome"] == "misreading_stressed") & (r.effects["week"] == 8)].iloc[0]
    assert e["difference"] < 0 and e["ci_low"] < e["difference"] < e["ci_high"]
    assert 0 <= e["responders"] <= 1
    again = run_trial(trial_from_dict(SPEC))
    pd.testing.assert_frame_equal(r.participants, again.participants)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"n_per_arm": 5}, "n_per_arm"),
        ({"primary": "happiness"}, "unknown outcome 'happiness'"),
        ({"population": "martian"}, "unknown profile 'martian'"),
        ({"arm": [{"name": "a"}, {"name": "a"}]}, "arm names must differ"),
        ({"control": "nobody"}, "control arm 'nobody'"),
        (
            {"arm": [{"name": "a"}, {"name": "b", "schedule": [{"component": "mindfulness", "weeks": 9}]}]},
            "past the 8",
        ),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_trial_spec_is_one_line(tmp_path, change, message):
    with pytest.raises(EmpathicaInputError, match=message) as err:
        trial_from_dict({**SPEC, **change}, "spec.toml")
    assert "\n" not in str(err.value) and str(err.value).startswith("spec.toml")


def test_trial_command_writes_whole_results_and_refuses_to_overwrite(tmp_path):
    spec = tmp_path / "trial.toml"
    spec.write_text(
        'name = "t"\nn_per_arm = 30\nweeks = 4\nfollow_up_weeks = 0\n'
        '[[arm]]\nname = "usual"\n[[arm]]\nname = "mb"\n'
        'schedule = [{ component = "mindfulness", weeks = 4 }]\n'
    )
    out = tmp_path / "res"
    r = runner.invoke(app, ["trial", str(spec), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "flow" in r.output and "mb" in r.output
    flow = pd.read_csv(out / "flow.csv")
    assert list(flow["arm"]) == ["usual", "mb"]
    assert len(pd.read_parquet(out / "participants.parquet")) == 2 * 30 * 2
    r = runner.invoke(app, ["trial", str(spec), "--out", str(out)])
    assert r.exit_code == 2 and "--force" in r.output
    bad = tmp_path / "bad.toml"
    bad.write_text('n_per_arm = "many"\n[[arm]]\nname = "a"\n[[arm]]\nname = "b"\n')
    r = runner.invoke(app, ["trial", str(bad)])
    assert r.exit_code == 2 and "n_per_arm" in r.output and "Traceback" not in r.output


def test_the_example_trial_spec_is_valid():
    spec = load_trial("examples/trial.toml")
    assert spec.n_per_arm >= 500 and len(spec.arm) >= 3 and spec.follow_up_weeks > 0


def test_therapy_study_and_onset():
    t = therapy_study(n=40, seed=1, weeks=6, follow_up=0, every=2, people={"bpd": "bpd"})
    assert set(t["arm"]) == {"usual_care", "mindfulness"}
    assert set(t["week"]) == {0, 2, 4, 6}
    base = t[t["week"] == 0]
    assert np.allclose(base["gain_sd"].dropna(), 0.0) and base["gain_sd"].notna().sum() >= 3
    w = onset(t, "bpd", "mindfulness", "misreading_stressed", higher=False)
    assert np.isnan(w) or 0 <= w <= 6


def test_experiment_command_writes_a_folder_the_report_shows(tmp_path):
    out = tmp_path / "lo"
    r = runner.invoke(app, ["experiment", "development", "--n", "40", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert len(pd.read_csv(out / "development.csv")) > 0
    r = runner.invoke(app, ["experiment", "development", "--n", "40", "--out", str(out)])
    assert r.exit_code == 2 and "--force" in r.output


def test_reports_of_a_trial_and_of_the_long_horizon_studies(tmp_path):
    from empathica.report import build, study_report, write_png

    res = run_trial(trial_from_dict(SPEC))
    write_trial(res, tmp_path / "trial")
    rep = build(tmp_path / "trial")
    assert rep.title == "trial" and "trial_misreading_stressed" in rep.figures
    assert "Flow" in rep.html and "mindful" in rep.html
    lo = tmp_path / "lo"
    r = runner.invoke(app, ["experiment", "loved-ones", "--n", "20", "--out", str(lo)])
    assert r.exit_code == 0, r.output
    rep = study_report(lo)
    strain_bars = [t for t in rep.figures["loved_ones"].data if t.type == "bar"]
    assert len(strain_bars) == 4  # two patterns x (strain, together)
    pngs = write_png(rep, tmp_path / "png")
    assert [p.name for p in pngs] == ["loved_ones.png"] and pngs[0].stat().st_size > 10_000
