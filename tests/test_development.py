"""Childhood, culture and biology (A16-A18): data, transforms, lab studies, validation rows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from empathica.errors import EmpathicaInputError
from empathica.lab import development as labdev
from empathica.lab.cohorts import Lab
from empathica.lab.study import Population
from empathica.lab.tasks import draw_sample
from empathica.model import biology, culture, development
from empathica.model.profiles import resolve_profile
from empathica.model.traits import POPULATION_SD, TRAIT_MAX, TRAIT_MIN, TRAIT_NAMES
from empathica.validation.registry import experiments

REFERENCE_TOML = """
[stable_care]
description = "reference"
heterogeneity = 0.0
heterogeneity_source = "reference"
"""


def _one_line_error(text: str) -> str:
    with pytest.raises(EmpathicaInputError) as info:
        development.parse_environments(text, "test.toml")
    message = str(info.value)
    assert "\n" not in message and message.startswith("test.toml")
    return message


# ------------------------------------------------------------------ data and its validation


def test_builtin_environments_are_complete_and_sourced():
    envs = development.builtin_environments()
    wanted = {"stable_care", "neglect", "abuse", "unstable_care", "overvaluation", "inconsistent_feedback"}
    assert wanted <= set(envs)
    assert not envs["stable_care"].shifts and envs["stable_care"].heterogeneity == 0.0
    for name, env in envs.items():
        assert env.heterogeneity_source
        if name != "stable_care":
            assert env.shifts and env.heterogeneity > 0
        for shift in env.shifts.values():
            assert shift.source and any(ch.isdigit() for ch in shift.source)  # a year or a page


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('[x]\ndescription = "a"\nheterogeneity = 0.2\nheterogeneity_source = "s"\n'
         '[x.shifts]\nempathy = { d = 0.3, source = "s" }', "unknown trait"),
        ('[x]\ndescription = "a"\nheterogeneity = 0.2\nheterogeneity_source = "s"\n'
         '[x.shifts]\nimpulsivity = { d = "0.3", source = "s" }', "not a number"),
        ('[x]\ndescription = "a"\nheterogeneity = 0.2\nheterogeneity_source = "s"\n'
         "[x.shifts]\nimpulsivity = { d = 0.3 }", "source"),
        ('[x]\ndescription = "a"\nheterogeneity = -1\nheterogeneity_source = "s"', "heterogeneity"),
        ('[x]\ndescription = "a"\nheterogeneity = 0.2\nheterogeneity_source = "s"\n'
         "[x.shifts]\nimpulsivity = 0.3", "d = 0.4"),
        ("[x\n", "not valid TOML"),
    ],
)  # fmt: skip
def test_bad_environment_data_is_one_clear_line(body, says):
    assert says in _one_line_error(REFERENCE_TOML + body)


def test_the_reference_environment_is_required_and_shifts_nothing():
    assert "stable_care" in _one_line_error(
        '[x]\ndescription = "a"\nheterogeneity = 0\nheterogeneity_source = "s"'
    )
    moved = REFERENCE_TOML + '[stable_care.shifts]\nimpulsivity = { d = 0.1, source = "s" }'
    assert "shift no trait" in _one_line_error(moved)


# ------------------------------------------------------------------ shifts, populations, profiles


def test_environment_shifts_are_applied_in_sd_units():
    abuse = development.environment("abuse")
    means = development.environment_means("abuse")
    for trait in TRAIT_NAMES:
        d = abuse.shifts[trait].d if trait in abuse.shifts else 0.0
        assert means[trait] == pytest.approx(0.5 + POPULATION_SD * d)
    assert development.environment_means("stable_care") == {t: 0.5 for t in TRAIT_NAMES}
    secure = resolve_profile("secure")
    from_secure = development.environment_means("neglect", base="secure")
    assert from_secure["impulsivity"] == secure.traits["impulsivity"].value
    assert from_secure["cognitive_empathy"] < secure.traits["cognitive_empathy"].value


def test_heterogeneity_widens_the_spread_and_population_early_samples_it():
    assert development.environment_spread("stable_care", 0.15) == pytest.approx(0.15)
    wide = development.environment_spread("abuse", 0.15)
    assert wide == pytest.approx(
        math.hypot(0.15, POPULATION_SD * development.environment("abuse").heterogeneity)
    )
    pop = Population.early("abuse")
    assert pop.name == "early-abuse" and pop.spread == pytest.approx(wide)
    s = pop.draw(20000, np.random.default_rng(1))
    assert s.emotional_contagion.mean() == pytest.approx(pop.means["emotional_contagion"], abs=0.005)
    assert s.emotional_contagion.std() == pytest.approx(wide, rel=0.05)


def test_resolve_profile_knows_early_environments():
    prof = resolve_profile("early-neglect")
    assert prof.name == "early-neglect" and prof.family == "custom"
    assert prof.traits["cognitive_empathy"].value < 0.5
    assert "neglect" in prof.traits["cognitive_empathy"].source
    assert "Pollak" in prof.traits["cognitive_empathy"].source
    assert "not moved" in prof.traits["impulsivity"].source
    assert resolve_profile("early-unstable-care").name == "early-unstable_care"
    with pytest.raises(EmpathicaInputError) as info:
        resolve_profile("early-foo")
    message = str(info.value)
    assert "\n" not in message and "early-neglect" in message and "early-overvaluation" in message
    with pytest.raises(EmpathicaInputError):
        resolve_profile("not-a-profile")


# ------------------------------------------------------------------ culture and biology transforms

GRID = np.linspace(0.0, 1.0, 11)
TRAIT_VALUES = np.array([TRAIT_MIN, 0.1, 0.5, 0.9, TRAIT_MAX])


def test_culture_is_bounded_neutral_and_monotone():
    care = np.array([culture.normative_care(TRAIT_VALUES, u) for u in GRID])
    adm = np.array([culture.admiration_expression(TRAIT_VALUES, u) for u in GRID])
    for x in (care, adm):
        assert x.min() >= TRAIT_MIN and x.max() <= TRAIT_MAX
    assert np.all(np.diff(care, axis=0) <= 0) and np.all(np.diff(adm, axis=0) >= 0)
    assert np.all(care[0] > care[-1]) and (adm[-1] > adm[0])[1:-1].all()
    np.testing.assert_allclose(culture.normative_care(TRAIT_VALUES, 0.5), TRAIT_VALUES)
    np.testing.assert_allclose(culture.admiration_expression(TRAIT_VALUES, 0.5), TRAIT_VALUES)
    assert culture.normative_care(0.5, 0.0) == pytest.approx(0.5 + culture.CARE_GAIN)
    for bad in (-0.1, 1.5, float("nan"), "x"):
        with pytest.raises(EmpathicaInputError):
            culture.normative_care(0.5, bad)


def test_culture_acts_on_samples_and_means(rng):
    s = draw_sample(resolve_profile("npd_grandiose"), 200, rng)
    lived = culture.apply_culture(s, 0.9)
    assert (lived.admiration_need >= s.admiration_need).all()
    assert (lived.empathic_concern <= s.empathic_concern).all()
    np.testing.assert_array_equal(lived.cognitive_empathy, s.cognitive_empathy)
    assert lived.self_concept is s.self_concept
    means = culture.culture_means({"admiration_need": 0.8}, 0.1)
    assert means["admiration_need"] < 0.8 and means["empathic_concern"] > 0.5
    pop = culture.culture_population(Population.profile("population"), 0.1)
    assert pop.means["empathic_concern"] > 0.5 and pop.spread == Population.profile("population").spread


def test_biology_is_bounded_typical_and_monotone(rng):
    for fn in (biology.oxytocin_cognition, biology.oxytocin_contagion, biology.dopamine_reward):
        x = np.array([fn(TRAIT_VALUES, s) for s in GRID])
        assert x.min() >= TRAIT_MIN and x.max() <= TRAIT_MAX
        assert np.all(np.diff(x, axis=0) >= 0)
        np.testing.assert_allclose(fn(TRAIT_VALUES, biology.TYPICAL), TRAIT_VALUES)
        with pytest.raises(EmpathicaInputError):
            fn(0.5, 1.2)
    threat = np.array([biology.oxytocin_contagion(0.6, s, gain=-0.3) for s in GRID])
    assert np.all(np.diff(threat) < 0)  # the threat-reducing account: the opposite sign
    with pytest.raises(EmpathicaInputError):
        biology.dopamine_reward(0.5, 0.7, gain=2.0)
    s = draw_sample(resolve_profile("bpd_evidence"), 100, rng)
    low = biology.apply_biology(s, oxytocin=0.25)
    assert (low.emotional_contagion <= s.emotional_contagion).all()
    np.testing.assert_array_equal(low.admiration_need, s.admiration_need)
    assert biology.biology_means({}, dopamine=1.0)["admiration_need"] > 0.5


def test_biology_hypotheses_are_stated_with_sources_and_status():
    names = {h.name for h in biology.HYPOTHESES}
    assert {"oxytocin_social_cognition", "oxytocin_social_salience", "dopamine_admiration_reward"} <= names
    for h in biology.HYPOTHESES:
        assert h.sources and h.status and set(h.acts_on) <= set(TRAIT_NAMES)
    dopamine = next(h for h in biology.HYPOTHESES if h.system == "dopamine")
    assert "little direct evidence" in dopamine.status


# ------------------------------------------------------------------ lab studies


def test_development_study_is_tidy_and_deterministic():
    a = labdev.development_study(n=40, seed=3)
    pd.testing.assert_frame_equal(a, labdev.development_study(n=40, seed=3))
    assert not a.equals(labdev.development_study(n=40, seed=4))
    envs = list(development.builtin_environments())
    assert len(a) == len(envs) * len(labdev.DEVELOPMENT_MEASURES)
    assert {"environment", "measure", "mean", "ci_low", "ci_high", "n", "g", "g_low", "g_high"} <= set(a)
    assert (a["ci_low"] <= a["mean"]).all() and (a["mean"] <= a["ci_high"]).all()
    assert (a.loc[a["environment"] == "stable_care", "g"] == 0).all()


def test_culture_and_biology_studies_are_deterministic():
    c = labdev.culture_study(n=30, seed=1, norms=(0.1, 0.9))
    pd.testing.assert_frame_equal(c, labdev.culture_study(n=30, seed=1, norms=(0.1, 0.9)))
    assert set(c["group"]) == {"bpd", "npd", "control"} and set(c["individualism"]) == {0.1, 0.9}
    assert {"care_genuine", "watched_strategic", "npi_admiration"} <= set(c["measure"])
    b = labdev.biology_study(n=30, seed=1)
    pd.testing.assert_frame_equal(b, labdev.biology_study(n=30, seed=1))
    assert set(b["system"]) == {"oxytocin", "dopamine"}
    typical = b[b["sensitivity"] == 0.5]
    assert (typical["g"] == 0).all()
    with pytest.raises(EmpathicaInputError):
        labdev.culture_study(n=10, norms=(2.0,))


# ------------------------------------------------------------------ validation rows

KEYS = ("A16.bpd", "A16.npd", "A17.bpd", "A17.npd", "A18.oxytocin", "A18.dopamine")


def test_a16_to_a18_are_measured_not_pending():
    rows = {e.key: e for e in experiments(["A16", "A17", "A18"])}
    assert set(rows) == set(KEYS)
    for e in rows.values():
        assert not e.pending and e.family == "article" and e.basis in ("predicted", "definitional")
        assert e.basis_note


@pytest.mark.parametrize("key", KEYS)
def test_each_new_row_runs_and_returns_an_estimate(key):
    exp = next(e for e in experiments([key]))
    lab = Lab(seed=2, group_n=200)
    for family in exp.runs_on:
        est = exp.run(lab, family)
        assert math.isfinite(est.value) and est.ci_low <= est.value <= est.ci_high
        assert exp.expectation(family).check(est) in (True, False)
        assert est.detail
