"""The theory's headline predictions hold in whole simulations (fixed seeds, enough dyads)."""

import numpy as np
import pytest

import empathica
from empathica.demo import DEMO_PAIRS, checks
from empathica.summary import episode_sums, summarize, trajectory_sums


@pytest.fixture(scope="module")
def summary():
    r = empathica.simulate(DEMO_PAIRS, dyads=250, days=365, seed=2024)
    return summarize(episode_sums(r.episodes), trajectory_sums(r.trajectories))


def row(s, pair, responder):
    return s[(s.pair == pair) & (s.responder == responder)].iloc[0]


def test_demo_checks_hold(summary):
    results = checks(summary)
    assert len(results) == 4
    assert all(ok for ok, _ in results), [t for ok, t in results if not ok]


def test_a4_npd_lift_far_above_secure(summary):
    assert row(summary, "npd:secure", "npd").paid_lift > 0.4
    assert row(summary, "secure:secure", "secure").paid_lift < 0.1


def test_a13_bpd_cycles_and_npd_distancing(summary):
    bpd = row(summary, "bpd:secure", "bpd")
    sec = row(summary, "secure:secure", "secure")
    npd = row(summary, "npd:secure", "npd")
    assert bpd.breakups_per_dyad_year > 3 * sec.breakups_per_dyad_year
    assert bpd.reconciliations_per_dyad_year > 3 * sec.reconciliations_per_dyad_year
    # avoidance: npd dyads reconcile far less per breakup than bpd dyads
    assert (
        npd.reconciliations_per_dyad_year / npd.breakups_per_dyad_year
        < 0.5 * bpd.reconciliations_per_dyad_year / bpd.breakups_per_dyad_year
    )


def test_cognitive_empathy_reduces_perception_error_in_simulation():
    def err(cog):
        r = empathica.simulate(
            "secure:secure", dyads=150, days=60, seed=5, overrides={"*": {"cognitive_empathy": cog}}
        )
        e = r.episodes
        return np.mean(np.abs(e.true_perceived_feeling - e.true_target_feeling))

    assert err(0.9) < err(0.5) < err(0.1)


def test_regulation_protects_accuracy_of_bpd_responders():
    def acc(reg):
        r = empathica.simulate(
            "bpd:secure", dyads=200, days=60, seed=6, overrides={"bpd": {"emotion_regulation": reg}}
        )
        e = r.episodes
        return e[e.true_actor_profile == "bpd"].accuracy.mean()

    assert acc(0.8) > acc(0.1) + 0.02
