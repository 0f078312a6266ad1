"""Direction of effect of the mechanisms of distress, the sociometer, the self-model and
induced states (claim ids in names), on the pure functions and through the lab tasks."""

import numpy as np
import pytest

from empathica.lab import tasks
from empathica.lab.manipulations import Induction, induced_states
from empathica.lab.tasks import Sample
from empathica.model import distress, motivation, relationship, self_model, sociometer, states
from empathica.model.params import ModelParams, constants
from empathica.model.traits import TRAIT_NAMES

C = constants(ModelParams())


def people(n=4000, **traits):
    base = {t: np.full(n, 0.5) for t in TRAIT_NAMES}
    base.update({k: np.broadcast_to(np.asarray(v, float), (n,)).copy() for k, v in traits.items()})
    return Sample(base)


class TestPersonalDistress:
    def test_c2_distress_starts_above_a_regulation_dependent_level(self):
        d = [distress.personal_distress(a, 0.5, C.distress) for a in (0.2, 0.6, 0.75, 0.95)]
        assert d[0] == 0.0 and d[1] < d[2] < d[3]
        assert distress.personal_distress(0.75, 0.9, C.distress) < distress.personal_distress(
            0.75, 0.1, C.distress
        )

    def test_a1_being_flooded_reduces_care_for_the_other(self):
        """Batson; Eisenberg: over-arousal turns concern into distress, so care falls."""
        drive = lambda arousal, reg=0.3: motivation.genuine_drive(  # noqa: E731
            0.7, 0.0, 0.2, arousal, reg, 0.6, 0.5, C.motivation, C.distress
        )
        assert drive(0.95) < drive(0.4)
        assert drive(0.95, reg=0.9) > drive(0.95, reg=0.1)  # regulation keeps concern

    def test_no_crowding_out_without_the_mechanism(self):
        off = constants(ModelParams(distress={"crowd_out": 0.0}))

        def drive(arousal):
            return motivation.genuine_drive(
                0.7, 0.0, 0.2, arousal, 0.3, 0.6, 0.5, off.motivation, off.distress
            )

        assert drive(0.95) == drive(0.4)

    def test_in_the_lab_a_stress_induction_lowers_concern_of_the_poorly_regulated(self):
        s = people(
            emotion_regulation=0.15, emotional_contagion=0.8, attachment_anxiety=0.1, empathic_concern=0.7
        )
        rng = lambda k: np.random.default_rng(k)  # noqa: E731
        calm = tasks.state_empathy(s, rng(1), prompt=False)
        stressed = tasks.state_empathy(s, rng(1), prompt=False, induce=[Induction("stress", 0.8)])
        assert stressed.mean() < calm.mean() - 0.02


class TestSociometer:
    def test_a13_low_self_esteem_expects_rejection_high_expects_acceptance(self):
        e = [sociometer.expected_rejection(x, C.sociometer) for x in (0.1, 0.55, 0.9)]
        assert e[0] > 0 and e[1] == pytest.approx(0.0) and e[2] < 0

    def test_ambiguous_care_is_read_as_rejection_by_low_self_esteem_clear_care_is_not(self):
        read = lambda shown, esteem: relationship.perceived_care(  # noqa: E731
            True, shown, shown, 0.5, 0.0, 0.3, esteem, 0.0, C.relationship, C.sociometer
        )
        assert read(0.5, 0.2) < read(0.5, 0.55) < read(0.5, 0.9)
        assert read(1.0, 0.2) == read(1.0, 0.9)  # unambiguous care is read as it is

    def test_l9_exclusion_raises_rejection_sensitivity_through_self_esteem(self):
        s = people(attachment_anxiety=0.6, self_image_fragility=0.6)
        base = tasks.rejection_sensitivity(s, np.random.default_rng(3))
        excluded = tasks.rejection_sensitivity(
            s, np.random.default_rng(3), induce=[Induction("exclusion", 0.8)]
        )
        assert excluded.mean() > base.mean() + 0.01
        off = ModelParams(sociometer={"reading_bias": 0.0})
        flat = tasks.rejection_sensitivity(
            s, np.random.default_rng(3), m=off, induce=[Induction("exclusion", 0.8)]
        )
        assert flat.mean() == pytest.approx(
            tasks.rejection_sensitivity(s, np.random.default_rng(3), m=off).mean()
        )


class TestSelfModel:
    def test_self_reports_track_traits_only_as_far_as_insight(self):
        rng = np.random.default_rng(0)
        s = tasks.draw_sample(
            __import__("empathica").model.profiles.builtin_profiles()["population"], 20000, rng
        )
        rep = tasks.self_report(s, np.random.default_rng(1))
        r_concern = np.corrcoef(rep["empathic_concern"], s.empathic_concern)[0, 1]
        r_pt = np.corrcoef(rep["perspective_taking"], s.cognitive_empathy)[0, 1]
        assert r_pt < r_concern < 0.8  # abilities are known worse than felt dispositions
        assert r_pt == pytest.approx(ModelParams().self_model.insight_ability * np.sqrt(0.75), abs=0.05)

    def test_a12_high_self_esteem_rates_itself_better_low_worse(self):
        view = lambda esteem: self_model.self_view(0.5, 0.5, 0.0, 1.0, esteem, 0.55, C.self_model)  # noqa: E731
        assert view(0.2) < view(0.55) < view(0.9)
        assert view(0.55) == pytest.approx(0.5)
        undesirable = self_model.self_view(0.5, 0.5, 0.0, -1.0, 0.9, 0.55, C.self_model)
        assert undesirable < 0.5

    def test_self_concept_is_stable_reports_are_reliable(self):
        s = people(n=5000)
        s = Sample({k: np.random.default_rng(5).uniform(0.2, 0.8, 5000) for k in TRAIT_NAMES})
        a = tasks.self_report(s, np.random.default_rng(1))["empathic_concern"]
        b = tasks.self_report(s, np.random.default_rng(2))["empathic_concern"]
        assert np.corrcoef(a, b)[0, 1] > 0.6  # retest: the stable self-concept is measured twice

    def test_metacognition_aroused_poorly_regulated_perceivers_are_overconfident(self):
        calm = self_model.believed_error_sd(0.6, 0.6, 0.2, 0.2, 1, C.self_model, C.perception)
        aroused = self_model.believed_error_sd(0.6, 0.6, 0.95, 0.2, 1, C.self_model, C.perception)
        true_aroused = __import__("empathica").model.perception.error_sd(0.6, 0.6, 0.95, 0.2, 1, C.perception)
        assert aroused < true_aroused  # the cost of arousal is only partly noticed
        assert self_model.confidence(calm, 0.2) >= self_model.confidence(aroused, 0.2)
        s = people(n=6000, emotion_regulation=0.15, emotional_contagion=0.8)
        calm_eyes = tasks.eyes(s, np.random.default_rng(1))
        stressed = tasks.eyes(s, np.random.default_rng(1), induce=[Induction("stress", 0.9)])
        assert stressed["overconfidence"].mean() > calm_eyes["overconfidence"].mean()


class TestInducedStates:
    def test_states_decay_with_their_half_life_slower_in_the_anxious(self):
        h_low = states.half_life(states.EXCLUSION, 0.1, False, C.states)
        h_high = states.half_life(states.EXCLUSION, 0.9, False, C.states)
        assert h_high > h_low
        assert states.remaining(0.4, h_low, h_low) == pytest.approx(0.2)
        assert states.half_life(states.STRESS, 0.5, True, C.states) * 60 > states.half_life(
            states.STRESS, 0.5, False, C.states
        )

    def test_an_induced_state_persists_through_a_task(self):
        """A stress induction before a 40-item MET still raises arousal at the last item."""
        s = people(n=2000)
        rest = tasks.met(s, np.random.default_rng(2))
        stressed = tasks.met(s, np.random.default_rng(2), induce=[Induction("stress", 0.6)])
        first = stressed["item_arousal"][0].mean() - rest["item_arousal"][0].mean()
        last = stressed["item_arousal"][-1].mean() - rest["item_arousal"][-1].mean()
        assert first > 0.1 and last > 0.5 * first
        later = tasks.met(s, np.random.default_rng(2), induce=[Induction("stress", 0.6)], delay=120)
        assert later["item_arousal"][0].mean() - rest["item_arousal"][0].mean() < 0.1 * first

    def test_one_manipulation_per_state(self):
        s = people(n=10)
        with pytest.raises(Exception, match="both move self_esteem"):
            induced_states(s, [Induction("praise"), Induction("criticism")])
        with pytest.raises(Exception, match="unknown manipulation"):
            Induction("hunger")
