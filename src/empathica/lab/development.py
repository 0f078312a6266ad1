"""Where the traits come from, in the lab: childhood (A16), culture (A17), biology (A18).

Three pure functions return tidy DataFrames, fixed by their seed:

* ``development_study``: ``n`` adults from each early environment
  (``model.development``) take the lab's instruments; one row per environment and
  measure with the mean, its 95% interval, ``n`` and Hedges g against the adults of
  ``stable_care`` (0 for the reference cell itself; NaN where neither cell varies).
* ``culture_study``: bpd-like, npd-like and control people living under each norm of
  individualism (``model.culture``); care in the helping task unwatched, strategic
  responding watched, NPI-like admiration; g against the control group under the same norm.
* ``biology_study``: the same groups with the oxytocin or the dopamine system's
  sensitivity varied (``model.biology``, hypotheses); g against the typical sensitivity.

Within a study the people of a group are drawn once and live under every norm or
sensitivity (a within design), and every task meets the same random draws in each
cell (common random numbers), so a difference between cells is the manipulation's.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from empathica.lab import tasks
from empathica.lab.manipulations import D_ESTEEM, Induction, induced_states
from empathica.lab.stats import hedges_g, mean_ci
from empathica.lab.study import Population
from empathica.lab.tasks import Sample
from empathica.model import biology, culture, development
from empathica.model.params import ModelParams
from empathica.model.profiles import DEFAULT_SPREAD, Profile

#: The groups of the culture and biology studies: role -> profile.
GROUPS: dict[str, str] = {"bpd": "bpd_evidence", "npd": "npd_grandiose", "control": "population"}
#: The stress of "misreading under arousal": a Trier-like task, halfway to maximal arousal.
STRESS = Induction("stress", 0.5)

#: Measures of the development study: name -> what it is.
DEVELOPMENT_MEASURES: dict[str, str] = {
    "met_cognitive": "MET-like share of feelings identified (arousal carried over)",
    "met_cognitive_stressed": "the same after a stress induction (misreading under arousal)",
    "met_arousal": "MET-like arousal rise per photo (contagion)",
    "eyes_correct": "eyes-like decoding, share correct",
    "iri_personal_distress": "IRI-like personal distress (self-report)",
    "iri_empathic_concern": "IRI-like empathic concern (self-report)",
    "ecr_anxiety": "ECR-R-like attachment anxiety (self-report)",
    "ecr_avoidance": "ECR-R-like attachment avoidance (self-report)",
    "npi_admiration": "NPI-like admiration (grandiose self-report)",
    "rse_self_esteem": "Rosenberg-like self-esteem (self-report)",
    "rsq": "RSQ-like rejection sensitivity",
    "esteem_drop_criticism": "self-esteem lost to a criticism right after it (fragility)",
}


def _rng(seed: int, *parts) -> np.random.Generator:
    return np.random.default_rng([int(seed), zlib.crc32("/".join(map(str, parts)).encode())])


def early_measures(s: Sample, rng_for, m: ModelParams | None = None) -> dict[str, np.ndarray]:
    """Every measure of ``DEVELOPMENT_MEASURES`` for one group; ``rng_for(task)`` gives each
    task's generator (the same labels in every group: common random numbers)."""
    m = m or ModelParams()
    met = tasks.met(s, rng_for("met"), m)
    stressed = tasks.met(s, rng_for("met_stressed"), m, induce=(STRESS,))
    q = tasks.self_report(s, rng_for("self_report"), m=m)
    criticised = induced_states(s, (Induction("criticism", 1.0),), m)
    return {
        "met_cognitive": met["cognitive"],
        "met_cognitive_stressed": stressed["cognitive"],
        "met_arousal": met["arousal_gain"],
        "eyes_correct": tasks.eyes(s, rng_for("eyes"), m)["correct"],
        "iri_personal_distress": q["personal_distress"],
        "iri_empathic_concern": q["empathic_concern"],
        "ecr_anxiety": q["attachment_anxiety"],
        "ecr_avoidance": q["attachment_avoidance"],
        "npi_admiration": q["admiration"],
        "rse_self_esteem": q["self_esteem"],
        "rsq": tasks.rejection_sensitivity(s, rng_for("rsq"), m),
        "esteem_drop_criticism": -criticised[D_ESTEEM],
    }


def _row(values: np.ndarray, reference: np.ndarray | None, **keys) -> dict:
    est = mean_ci(values)
    row = {**keys, "mean": est.value, "ci_low": est.ci_low, "ci_high": est.ci_high, "n": len(values)}
    if reference is not None:
        if np.array_equal(values, reference):  # the reference cell itself (or no change at all)
            row.update(g=0.0, g_low=0.0, g_high=0.0)
        elif max(np.var(values), np.var(reference)) == 0.0:  # no spread (every score at a bound)
            row.update(g=np.nan, g_low=np.nan, g_high=np.nan)
        else:
            g = hedges_g(values, reference)
            row.update(g=g.value, g_low=g.ci_low, g_high=g.ci_high)
    return row


def development_study(
    n: int = 500,
    seed: int = 0,
    base: str | Profile = "population",
    spread: float = DEFAULT_SPREAD,
    model: ModelParams | None = None,
) -> pd.DataFrame:
    """Adults from each early environment take the lab's instruments (``DEVELOPMENT_MEASURES``).

    One row per environment and measure: ``environment``, ``measure``, ``mean`` with its 95%
    interval, ``n``, and ``g`` (with ``g_low``, ``g_high``): Hedges g against the adults of
    ``stable_care``. ``base``: the profile the environments shift (default: the population)."""
    envs = list(development.builtin_environments())
    scores = {}
    for env in envs:
        people = development.environment_population(env, base=base, spread=spread).draw(
            int(n), _rng(seed, "people", env)
        )
        scores[env] = early_measures(people, lambda task: _rng(seed, "task", task), model)
    ref = scores[development.REFERENCE]
    rows = [
        _row(scores[env][name], ref[name], environment=env, measure=name)
        for env in envs
        for name in DEVELOPMENT_MEASURES
    ]
    return pd.DataFrame(rows)


def _groups(groups: Mapping[str, str | Profile] | None, n: int, seed: int) -> dict[str, Sample]:
    groups = GROUPS if groups is None else groups
    if "control" not in groups:
        raise ValueError("the groups need a 'control' group (the reference of g)")
    return {g: Population.profile(p).draw(int(n), _rng(seed, "people", g)) for g, p in groups.items()}


def _helping(s: Sample, rng_for, m: ModelParams | None) -> dict[str, np.ndarray]:
    """Care unwatched (what one does when nothing pays) and responding watched (audience)."""
    alone = tasks.conditional_empathy(s, rng_for("unwatched"), False, False, m=m)
    seen = tasks.conditional_empathy(s, rng_for("watched"), True, False, m=m)
    return {
        "care_genuine": alone["genuine"],
        "care_responded": alone["responded"],
        "watched_responded": seen["responded"],
        "watched_strategic": seen["strategic"],
    }


def culture_study(
    n: int = 500,
    seed: int = 0,
    norms: Sequence[float] = (0.1, 0.5, 0.9),
    groups: Mapping[str, str | Profile] | None = None,
    model: ModelParams | None = None,
) -> pd.DataFrame:
    """bpd-like, npd-like and control people under each norm of individualism (0 collectivist,
    1 individualist).

    Measures: ``care_genuine`` and ``care_responded`` (share of an acquaintance's needs met out
    of care, and met at all, when no one watches), ``watched_responded`` and
    ``watched_strategic`` (the same with an audience: responding, and responding for the
    admiration it brings), ``npi_admiration`` (self-report). One row per group, norm and
    measure: mean with its 95% interval, ``n``, and g against the control group under the
    same norm."""
    norms = [culture.check_norm(u) for u in norms]
    people = _groups(groups, n, seed)
    scores = {}
    for u in norms:
        for g, s in people.items():
            lived = culture.apply_culture(s, u)
            rng_for = lambda task, g=g: _rng(seed, "task", g, task)  # noqa: E731
            out = _helping(lived, rng_for, model)
            out["npi_admiration"] = tasks.self_report(lived, rng_for("self_report"), m=model)["admiration"]
            scores[u, g] = out
    rows = []
    for u in norms:
        for g in people:
            for name, values in scores[u, g].items():
                rows.append(_row(values, scores[u, "control"][name], group=g, individualism=u, measure=name))
    return pd.DataFrame(rows)


def _biology_measures(s: Sample, system: str, rng_for, m: ModelParams | None) -> dict[str, np.ndarray]:
    if system == "oxytocin":
        met = tasks.met(s, rng_for("met"), m)
        return {
            "met_cognitive": met["cognitive"],
            "met_arousal": met["arousal_gain"],
            "eyes_correct": tasks.eyes(s, rng_for("eyes"), m)["correct"],
            "masc_correct": tasks.reasoning(s, rng_for("masc"), m),
        }
    seen = _helping(s, rng_for, m)
    return {
        "watched_responded": seen["watched_responded"],
        "watched_strategic": seen["watched_strategic"],
        "npi_admiration": tasks.self_report(s, rng_for("self_report"), m=m)["admiration"],
    }


def biology_study(
    n: int = 500,
    seed: int = 0,
    levels: Sequence[float] = (0.25, 0.5, 0.75),
    groups: Mapping[str, str | Profile] | None = None,
    model: ModelParams | None = None,
) -> pd.DataFrame:
    """The groups with the oxytocin or the dopamine system's sensitivity varied (0.5 typical;
    ``model.biology``: hypotheses, not facts).

    Oxytocin: social cognition (MET-like, eyes-like, MASC-like) and contagion (MET arousal
    rise). Dopamine: watched responding, strategic responding and NPI-like admiration. One
    row per group, system, level and measure: mean with its 95% interval, ``n``, and g
    against the same people at the typical sensitivity."""
    levels = [biology.check_sensitivity(x) for x in levels]
    people = _groups(groups, n, seed)
    rows = []
    for g, s in people.items():
        for system in ("oxytocin", "dopamine"):
            rng_for = lambda task, g=g, system=system: _rng(seed, "task", g, system, task)  # noqa: E731
            typical = _biology_measures(s, system, rng_for, model)
            for level in levels:
                lived = biology.apply_biology(s, **{system: level})
                scores = _biology_measures(lived, system, rng_for, model)
                for name, values in scores.items():
                    rows.append(
                        _row(values, typical[name], group=g, system=system, sensitivity=level, measure=name)
                    )
    return pd.DataFrame(rows)
