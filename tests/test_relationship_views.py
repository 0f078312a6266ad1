"""The relationship as two people's views: impressions, repair, slow wear, care by commitment.

Directional tests first on the pure mechanisms, then on simulated couples (fixed seeds,
hundreds of dyads, so the comparisons are deterministic and far from their margins)."""

import numpy as np
import pytest

import empathica
from empathica.model import adaptation, impressions, motivation, relationship, repair
from empathica.model.params import ModelParams, constants

C = constants(ModelParams())


class TestImpressions:
    def test_charm_and_concern_show_warmth_avoidance_withholds_it(self):
        shown = lambda conc=0.5, adm=0.5, avo=0.5: impressions.shown_warmth(conc, adm, avo, C.impressions)  # noqa: E731
        assert shown(adm=0.9) > shown(adm=0.5) == shown(adm=0.2)  # charm only above the mean
        assert shown(conc=0.8) > shown(conc=0.2)
        assert shown(avo=0.8) < shown(avo=0.2)

    def test_negative_surprises_move_an_impression_more_than_positive_ones(self):
        up = impressions.revise(0.5, 0.7, C.impressions) - 0.5
        down = 0.5 - impressions.revise(0.5, 0.3, C.impressions)
        assert down > 1.5 * up > 0

    def test_initial_trust_follows_the_impression_and_the_readers_attachment(self):
        t = lambda imp=0.6, anx=0.3, avo=0.3: impressions.initial_trust(  # noqa: E731
            imp, anx, avo, C.impressions, C.relationship
        )
        assert t(imp=0.8) > t(imp=0.4)
        assert t(anx=0.8) < t(anx=0.2) and t(avo=0.8) < t(avo=0.2)


class TestRepair:
    def test_attempts_rise_with_concern_and_anxiety_fall_with_admiration_defence_and_flooding(self):
        p = lambda conc=0.5, anx=0.3, adm=0.3, dfn=0.1, flood=0.0: repair.attempt_probability(  # noqa: E731
            conc, anx, adm, dfn, flood, C.repair
        )
        assert p(conc=0.8) > p(conc=0.2)
        assert p(anx=0.8) > p(anx=0.2)
        assert p(adm=0.9) < p(adm=0.3)
        assert p(dfn=0.5) < p(dfn=0.0)
        assert p(flood=0.3) < p(flood=0.0)

    def test_acceptance_is_positive_sentiment_override_and_flooding_refuses(self):
        p = lambda sat=0.2, imp=0.5, flood=0.0: repair.accept_probability(sat, imp, flood, C.repair)  # noqa: E731
        assert p(sat=0.6) > p(sat=-0.4)
        assert p(imp=0.8) > p(imp=0.3)
        assert p(flood=0.4) < p(flood=0.0)

    def test_an_accepted_repair_gives_back_trust_and_satisfaction_and_calms(self):
        assert repair.repaired_trust(0.4, C.repair) > 0.4
        assert repair.repaired_satisfaction(-0.2, C.repair) > -0.2
        assert repair.calmed(0.8, C.repair) < 0.8


class TestAdaptation:
    def test_the_same_strain_wears_a_vulnerable_partner_more(self):
        secure = adaptation.vulnerability(0.2, 0.7, C.adaptation)
        fragile = adaptation.vulnerability(0.85, 0.2, C.adaptation)
        q = lambda v, ruptures=2.0, repairs=0.0: adaptation.daily_quality(  # noqa: E731
            0.0, v, ruptures, False, repairs, 0.0, C.adaptation
        )
        assert q(fragile) < q(secure) < 0.0

    def test_repairs_and_needs_met_offset_strain(self):
        v = adaptation.vulnerability(0.5, 0.5, C.adaptation)
        worn = adaptation.daily_quality(0.0, v, 1.0, True, 0.0, 0.0, C.adaptation)
        repaired = adaptation.daily_quality(0.0, v, 1.0, True, 1.0, 2.0, C.adaptation)
        assert repaired > worn
        assert adaptation.daily_quality(0.1, v, 0.0, False, 0.0, 0.0, C.adaptation) == 0.1


class TestCareByCommitment:
    def test_one_invests_less_in_a_partner_one_trusts_less_or_is_less_satisfied_with(self):
        drive = lambda trust, sat: motivation.genuine_drive(  # noqa: E731
            0.6, 0.3, 0.3, 0.3, 0.6, 0.5, relationship.commitment(trust, sat, C.relationship),
            C.motivation, C.distress,
        )  # fmt: skip
        assert drive(0.8, 0.3) > drive(0.3, 0.3)
        assert drive(0.6, 0.6) > drive(0.6, -0.6)


# ----------------------------------------------------------------- simulated couples

PAIRS = "secure:secure,bpd:secure,npd:secure"


@pytest.fixture(scope="module")
def couples():
    return empathica.simulate(PAIRS, dyads=400, days=730, seed=11)


def _pair(tr, a, b):
    return tr[(tr.profile_a == a) & (tr.profile_b == b)]


def _at(tr, a, b, day, col):
    x = _pair(tr, a, b)
    return float(x[x.t == day][col].mean())


def test_each_partner_has_an_own_view(couples):
    tr = couples.trajectories
    # the secure partner of a bpd-profile person trusts less than a secure person's partner does
    assert _at(tr, "bpd", "secure", 364, "trust_b") < _at(tr, "secure", "secure", 364, "trust_b") - 0.1
    # and the two views within a couple are not one number
    x = _pair(tr, "npd", "secure")
    assert (x.trust_a - x.trust_b).abs().mean() > 0.1


def test_first_states_are_drawn_from_first_impressions(couples):
    first = couples.trajectories[couples.trajectories.t == 0]
    for col in ("liking_a", "trust_b", "satisfaction_a"):
        assert first.groupby("profile_a", observed=True)[col].std().min() > 0.02
    # who likes their partner more at first also trusts them more at first
    assert np.corrcoef(first.liking_b, first.trust_b)[0, 1] > 0.3


def test_strategic_charm_is_liked_at_first_and_liked_less_after_months(couples):
    """Paulhus (1998): self-enhancers are liked at first meeting and less after weeks."""
    tr = couples.trajectories
    npd0, sec0 = _at(tr, "npd", "secure", 0, "liking_b"), _at(tr, "secure", "secure", 0, "liking_b")
    npd6, sec6 = _at(tr, "npd", "secure", 181, "liking_b"), _at(tr, "secure", "secure", 181, "liking_b")
    assert npd0 > sec0 - 0.02  # no worse at first sight, although concern is low
    assert npd0 - npd6 > (sec0 - sec6) + 0.05


def test_repair_restores_trust_and_npd_profile_actors_rarely_attempt_it(couples):
    e = couples.episodes
    rup = e[e.true_rupture]
    rate = rup.groupby("true_actor_profile", observed=True)["true_repair_attempted"].mean()
    assert rate["npd"] < 0.5 * rate["secure"]
    assert not (e.true_repair_attempted & ~e.true_rupture).any()  # a repair follows a rupture
    assert not (e.true_repair_accepted & ~e.true_repair_attempted).any()
    # without repair attempts, the partners of bpd-profile people trust less after a year
    no_repair = ModelParams().model_copy(
        update={"repair": ModelParams().repair.model_copy(update={"attempt_base": -5.0})}
    )
    off = empathica.simulate("bpd:secure", dyads=400, days=365, seed=11, model=no_repair)
    assert not off.episodes.true_repair_attempted.any()
    with_repair = _at(couples.trajectories, "bpd", "secure", 364, "trust_b")
    assert _at(off.trajectories, "bpd", "secure", 364, "trust_b") < with_repair - 0.01


def test_slow_wear_makes_slopes_differ_over_years(couples):
    """Karney & Bradbury (1995): vulnerable couples decline faster; without wear the
    satisfaction of the second year is flat, so the slope is the wear's."""
    tr = couples.trajectories

    def slope(tr, a, b):
        x = _pair(tr, a, b)
        x = x[x.together]
        late, early = x[x.t == 729], x[x.t == 365]
        return float(late[["satisfaction_a", "satisfaction_b"]].mean().mean()) - float(
            early[["satisfaction_a", "satisfaction_b"]].mean().mean()
        )

    assert slope(tr, "bpd", "secure") < slope(tr, "secure", "secure") - 0.05
    still = ModelParams().model_copy(
        update={"adaptation": ModelParams().adaptation.model_copy(update={"rate": 0.0})}
    )
    flat = empathica.simulate("bpd:secure", dyads=400, days=730, seed=11, model=still)
    assert abs(slope(flat.trajectories, "bpd", "secure")) < 0.5 * abs(slope(tr, "bpd", "secure"))
