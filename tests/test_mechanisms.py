"""Direction of effect of each mechanism, tested on the pure functions (claim ids in names).

The mechanisms are scalar compiled functions; ``elementwise`` applies them to arrays."""

import numpy as np
import pytest

from empathica.model import contagion, context, motivation, perception, relationship, response, self_image
from empathica.model.context import PHYSICAL
from empathica.model.params import constants
from empathica.model.schema import NEED_TYPES
from empathica.model.vectorize import elementwise as ew

SOCIAL = NEED_TYPES.index("social_pain")


def sd(params, cog=0.5, cont=0.5, arousal=0.2, reg=0.5, need=SOCIAL):
    a = np.atleast_1d
    return ew(perception.error_sd)(a(cog), a(cont), a(arousal), a(reg), a(need), params.perception)[0]


class TestPerception:
    def test_a1_higher_cognitive_empathy_smaller_error(self, params):
        errors = [sd(params, cog=c) for c in (0.1, 0.4, 0.7, 0.95)]
        assert errors == sorted(errors, reverse=True) and errors[0] > 1.5 * errors[-1]

    def test_a1_arousal_above_threshold_degrades_accuracy(self, params):
        theta = ew(perception.breakdown_threshold)(np.array([0.5]), params.perception)[0]
        below = [sd(params, arousal=x) for x in (0.0, theta - 0.05)]
        above = [sd(params, arousal=x) for x in (theta + 0.1, theta + 0.3)]
        assert below[0] == below[1]  # flat below the threshold
        assert below[1] < above[0] < above[1]

    def test_a10_regulation_raises_breakdown_threshold(self, params):
        theta = ew(perception.breakdown_threshold)(np.array([0.1, 0.5, 0.9]), params.perception)
        assert np.all(np.diff(theta) > 0)
        # the same arousal breaks down a dysregulated perceiver but not a regulated one
        assert sd(params, arousal=0.7, reg=0.1) > sd(params, arousal=0.7, reg=0.9)

    def test_a7_cognition_kept_affect_reduced_reads_social_better_than_physical(self, params):
        npd_like = dict(cog=0.7, cont=0.15)
        assert sd(params, need=SOCIAL, **npd_like) < sd(params, need=PHYSICAL, **npd_like)
        gap_npd = sd(params, need=PHYSICAL, **npd_like) - sd(params, need=SOCIAL, **npd_like)
        gap_sec = sd(params, need=PHYSICAL, cog=0.6, cont=0.5) - sd(params, need=SOCIAL, cog=0.6, cont=0.5)
        assert gap_npd > gap_sec

    def test_a13_anxious_aroused_read_ambiguous_cues_as_rejection(self, params):
        p = params.perception
        cue = np.array([-0.1, -0.1, -0.1, -0.9])
        anx = np.array([0.9, 0.1, 0.9, 0.9])
        arousal = np.array([0.95, 0.95, 0.1, 0.95])
        bias = ew(perception.rejection_bias)(cue, anx, arousal, np.full(4, 0.3), p)
        assert bias[0] < bias[1] < 0  # anxious more than secure, both aroused
        assert bias[2] == 0  # no bias when calm
        assert bias[0] < bias[3] <= 0  # clear cues are less ambiguous

    def test_perceive_error_shrinks_empirically(self, params, rng):
        n = 20000
        cue = rng.uniform(-1, 1, n) * 0.5
        z = rng.standard_normal(n)

        def mean_err(cog):
            got = ew(perception.perceive)(
                cue,
                np.full(n, cog),
                np.full(n, 0.5),
                np.full(n, 0.3),
                np.full(n, 0.5),
                np.full(n, 0.2),
                np.full(n, SOCIAL),
                z,
                params.perception,
            )
            return np.mean(np.abs(got - cue))

        assert mean_err(0.9) < mean_err(0.5) < mean_err(0.1)


class TestContagion:
    def test_a1_contagion_gain_sets_arousal_rise(self, params):
        aff, aro = np.zeros(3), np.full(3, 0.2)
        _, new = ew(contagion.resonate)(
            aff, aro, np.full(3, -0.6), np.array([0.1, 0.5, 0.9]), params.contagion
        )
        rise = new - aro
        assert np.all(np.diff(rise) > 0) and rise[0] > 0

    def test_affect_moves_toward_perceived_feeling(self, params):
        new, _ = ew(contagion.resonate)(
            np.zeros(2), np.zeros(2), np.array([-0.8, 0.8]), np.full(2, 0.5), params.contagion
        )
        assert new[0] < 0 < new[1]

    def test_a10_regulation_speeds_return_to_baseline(self, params):
        reg = np.array([0.1, 0.9])
        base = ew(contagion.baseline_arousal)(reg, params.contagion)
        after = ew(contagion.regulate)(np.full(2, 0.95), reg, params.contagion)
        remaining = (after - base) / (0.95 - base)
        assert remaining[1] < remaining[0] < 1

    def test_a12_suppression_damps_expressed_cue(self, params):
        cue = ew(contagion.expressed_cue)(np.full(2, -0.8), np.array([0.1, 0.9]), params.contagion)
        assert abs(cue[1]) < abs(cue[0]) <= 0.8


class TestMotivation:
    def test_a4_audience_and_benefit_act_only_through_admiration_need(self, params):
        p = params.motivation
        for adm in (0.0,):
            drives = [
                ew(motivation.strategic_drive)(np.array([adm]), np.array([a]), np.array([b]), p)[0]
                for a in (0, 1)
                for b in (0, 1)
            ]
            assert drives == [0.0] * 4
        high = ew(motivation.strategic_drive)(np.array([0.9]), np.array([1]), np.array([0]), p)[0]
        none = ew(motivation.strategic_drive)(np.array([0.9]), np.array([0]), np.array([0]), p)[0]
        assert high > 0.5 and none == 0.0

    def test_a8_prompt_helps_those_who_usually_do_not_care(self, params):
        p = params.motivation
        concern = np.array([0.15, 0.6])  # npd-like, secure-like
        social = np.zeros(2, dtype=bool)
        before = ew(motivation.effective_concern)(concern, np.zeros(2), social, p)
        after = ew(motivation.effective_concern)(concern, np.ones(2), social, p)
        assert after[0] - before[0] > 0.3  # L5: the negative link disappears
        assert after[1] == before[1]  # L5: no effect in low narcissists
        physical = ew(motivation.effective_concern)(concern, np.ones(2), ~social, p)
        assert before[0] < physical[0] < after[0]  # A8: especially in social contexts

    def test_genuine_drive_grows_with_concern_need_and_trust(self, params):
        C = constants(params)
        g = lambda c=0.5, need=0.5, trust=0.5, avoid=0.2: motivation.genuine_drive(  # noqa: E731
            c, 0.2, avoid, 0.3, 0.5, need, trust, C.motivation, C.distress
        )
        assert g(c=0.8) > g(c=0.2)
        assert g(need=0.9) > g(need=0.1)
        assert g(trust=0.9) > g(trust=0.1)
        assert g(avoid=0.9) < g(avoid=0.1)  # A13 distancing

    def test_a5_defensive_drive_wins_and_withdraws(self, params):
        p = params.motivation
        z = np.zeros(3)
        motive = ew(motivation.choose_motive)(
            np.array([0.3, 0.3, 0.01]), np.zeros(3), np.array([0.0, 0.9, 0.0]), np.zeros(3), np.zeros(3), z, p
        )
        assert list(motive) == [motivation.GENUINE, motivation.DEFENSIVE, motivation.NONE]

    def test_a11_impulsive_arousal_makes_care_unpredictable(self, params, rng):
        p = params.motivation
        n = 20000
        z = rng.standard_normal(n)
        g = np.full(n, 0.2)

        def share(imp, aro):
            m = ew(motivation.choose_motive)(
                g, np.zeros(n), np.zeros(n), np.full(n, imp), np.full(n, aro), z, p
            )
            return np.mean(m == motivation.GENUINE)

        assert share(0.9, 0.9) < share(0.1, 0.1)  # more misses from the same mean drive


class TestResponse:
    def _kept(self, params, genuine, audience, n=20000, seed=0):
        """Share of promises kept and of boundaries respected, by drawing against the probabilities."""
        r = np.random.default_rng(seed)
        p = params.response
        follow = ew(response.follow_probability)(np.full(n, genuine), np.full(n, audience), 0.3, 0.3, p)
        respect = ew(response.boundary_probability)(
            np.full(n, genuine), 0.9, 0.2, 0.2, 0.3, np.full(n, audience), p
        )
        return np.mean(r.random(n) < follow), np.mean(r.random(n) < respect)

    def test_a9_strategic_follow_through_depends_on_being_watched(self, params):
        watched = self._kept(params, False, True)
        unwatched = self._kept(params, False, False)
        assert watched[0] - unwatched[0] > 0.4
        assert watched[1] - unwatched[1] > 0.2

    def test_a14_genuine_follow_through_does_not(self, params):
        watched = self._kept(params, True, True, seed=1)
        unwatched = self._kept(params, True, False, seed=2)
        assert abs(watched[0] - unwatched[0]) < 0.03 and unwatched[0] > 0.8

    def test_a9_strategic_promises_readily(self, params):
        p = params.response
        genuine = ew(response.commit_probability)(np.array([True]), np.array([0.2]), p)[0]
        strategic = ew(response.commit_probability)(np.array([False]), np.array([0.2]), p)[0]
        assert strategic > genuine

    def test_a14_strategic_warmth_is_on_display(self, params):
        p = params.response
        w = ew(response.warmth)(np.array([False, False]), 0.2, np.array([False, True]), 0.0, p)
        assert w[1] > w[0]
        g = ew(response.warmth)(np.array([True, True]), np.array([0.2, 0.9]), False, 0.0, p)
        assert g[1] > g[0]

    def test_a1_flooded_responder_answers_own_feeling(self, params):
        acc = ew(response.accuracy)(
            -0.5, 0.5, -0.5, np.array([0.1, 0.9]), np.array([0.1, 0.9]), params.response
        )
        assert acc[1] < acc[0] and acc[0] <= 1.0


class TestSelfImage:
    def test_a12_fragile_or_anxious_swing_more(self, params):
        p = params.self_image
        s = ew(self_image.sensitivity)(np.array([0.2, 0.9, 0.2]), np.array([0.2, 0.2, 0.9]), p)
        assert s[1] > s[0] and s[2] > s[0]

    def test_a6_admiration_inflates_set_point_and_drains_without_supply(self, params):
        p = params.self_image
        point = ew(self_image.set_point)(np.array([0.2, 0.9]), np.array([0.3, 0.3]), p)
        assert point[1] > point[0]
        se = point.copy()
        for _ in range(60):
            se = ew(self_image.daily)(se, point, np.array([0.2, 0.9]), p)
        assert (point - se)[1] > (point - se)[0] > 0
        fed = ew(self_image.take_supply)(se, np.array([0.2, 0.9]), p)
        assert (fed - se)[1] > (fed - se)[0]

    def test_a5_threat_makes_fragile_agents_defensive(self, params):
        d = ew(self_image.defensiveness)(
            np.array([0, 1, 1, 1]),
            np.array([0.9, 0.2, 0.9, 0.9]),
            np.array([0.5, 0.5, 0.5, 0.2]),
            np.full(4, 0.5),
        )
        assert d[0] == 0 and d[1] < d[2] < d[3]


class TestRelationship:
    def test_l11_influence_has_thresholds(self, params):
        p = params.relationship
        x = np.array([-0.9, -0.05, 0.05, 0.9])
        i = ew(relationship.influence)(x, np.full(4, 0.2), np.full(4, 0.2), p)
        assert i[0] < 0 and i[1] == 0 and i[2] == 0 and i[3] > 0

    def test_l11_influence_is_constant_beyond_the_thresholds(self, params):
        """Gottman et al. 2002: a partner far below the threshold pulls no harder than one just below."""
        p = params.relationship
        x = np.array([-0.95, -0.6, 0.5, 0.95])
        i = ew(relationship.influence)(x, np.full(4, 0.2), np.full(4, 0.2), p)
        assert i[0] == i[1] == -p.neg_influence
        assert i[2] == i[3] == pytest.approx(p.pos_influence * 0.8)

    def test_l11_anxious_partner_reacts_to_milder_negativity(self, params):
        p = params.relationship
        x = np.full(2, -0.2)
        i = ew(relationship.influence)(x, np.array([0.1, 0.9]), np.full(2, 0.2), p)
        assert i[0] == 0 and i[1] < 0

    def test_l11_uninfluenced_set_point(self, params):
        p = params.relationship
        anx, avo, reg = np.array([0.8]), np.array([0.2]), np.array([0.4])
        w = np.array([0.9])
        for _ in range(300):
            w = ew(relationship.daily_affect)(w, np.zeros(1), np.zeros(1, dtype=bool), reg, anx, avo, p)
        assert w[0] == pytest.approx(ew(relationship.affect_set_point)(anx, avo, p)[0], abs=1e-9)

    def test_a13_fear_of_abandonment_drives_reconciliation_avoidance_blocks_it(self, params):
        p = params.relationship
        one = np.ones(1)
        rec = lambda anx, avo, days=5.0: ew(relationship.reconciliation_probability)(  # noqa: E731
            anx * one, 0.2 * one, avo * one, 0.2 * one, 0.5 * one, (days * one).astype(np.int64), p
        )[0]
        assert rec(0.9, 0.2) > 3 * rec(0.2, 0.2)
        assert rec(0.9, 0.9) < rec(0.9, 0.2)
        assert rec(0.9, 0.2, days=120) < rec(0.9, 0.2, days=5)

    def test_breakup_rises_as_satisfaction_falls_and_with_protest(self, params):
        p = params.relationship
        b = ew(relationship.breakup_probability)(np.array([0.4, 0.0, -0.4]), np.zeros(3), p)
        assert b[0] < b[1] < b[2]
        assert ew(relationship.breakup_probability)(np.array([0.4]), np.array([0.1]), p)[0] > b[0]

    def test_trust_falls_with_broken_promises_and_ignored_boundaries(self, params):
        p = params.relationship
        t = ew(relationship.update_trust)(
            np.full(3, 0.6),
            np.full(3, 0.6),
            np.array([False, True, False]),
            np.array([False, False, True]),
            p,
        )
        assert t[1] < t[0] and t[2] < t[0]

    def test_a13_anxious_targets_protest_more(self, params):
        p = params.relationship
        pr = ew(relationship.protest_probability)(np.array([0.2, 0.9]), np.full(2, 0.5), p)
        assert pr[1] > 2 * pr[0]


def test_episode_counts_are_poisson_capped(rng):
    u = rng.random(200000)
    thresholds = context.episode_thresholds(1.2, 3)
    counts = np.array([context.episode_count(x, thresholds) for x in u[:50000]])
    assert counts.max() == 3
    from scipy.stats import poisson

    assert np.mean(counts == 0) == pytest.approx(poisson.pmf(0, 1.2), abs=0.01)
    assert np.mean(counts) == pytest.approx(sum(min(k, 3) * poisson.pmf(k, 1.2) for k in range(30)), abs=0.02)
    assert context.episode_count(0.99, context.episode_thresholds(1.2, 1)) == 1  # the cap


def test_need_types_follow_their_probabilities(params, rng):
    from empathica.model.params import group_constants

    c = group_constants(params.context)
    needs = np.array([context.need_type(x, c) for x in rng.random(20000)])
    probs = np.array(params.context.need_probs) / sum(params.context.need_probs)
    np.testing.assert_allclose(np.bincount(needs, minlength=6) / len(needs), probs, atol=0.012)
