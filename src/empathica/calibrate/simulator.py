"""The evaluate step of a calibration: parameters -> the findings the model gives.

``findings(theta, keys, seed)`` sets every free parameter (profile traits through
``Lab.traits``, mechanism constants through ``ModelParams``) and measures the findings
as ``empathica validate`` does, on the evidence profiles. ``ACCOUNTS`` are the three
accounts of the groups a model comparison weighs on the same findings: the evidence
profiles (with the free parameters), the article's profiles put in their place, and a
null account without group differences. ``distance`` compares simulated with published
findings in units of the published standard errors:

    distance = sqrt(mean over findings of ((simulated - published) / se)^2)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from empathica.calibrate.spec import Finding, Parameter
from empathica.lab.cohorts import Lab
from empathica.model.params import ModelParams

#: Accounts of the groups compared on the same findings; each is trait replacements of
#: the evidence profiles (``account_traits``). "article": the article's profiles as
#: written, its control ``secure`` as the control group, its one npd for both forms;
#: "null": every group is the population (no difference beyond sampling).
ACCOUNTS = ("evidence", "article", "null")
_ARTICLE_AS = {"population": "secure", "bpd_evidence": "bpd", "npd_grandiose": "npd", "npd_vulnerable": "npd"}


def account_traits(account: str) -> dict[str, dict[str, float]]:
    """The trait means that replace the evidence profiles' under ``account``."""
    from empathica.model.profiles import builtin_profiles

    if account not in ACCOUNTS:
        raise ValueError(f"unknown account {account!r}; known: {', '.join(ACCOUNTS)}")
    if account == "evidence":
        return {}
    profiles = builtin_profiles()
    source = _ARTICLE_AS if account == "article" else dict.fromkeys(_ARTICLE_AS, "population")
    return {name: {t: s.value for t, s in profiles[src].traits.items()} for name, src in source.items()}


def apply(
    theta: Mapping[str, float], parameters: Sequence[Parameter], base: Mapping[str, Mapping] | None = None
) -> tuple[ModelParams, dict]:
    """The mechanism constants and the replaced profile traits of a parameter vector
    (``base``: replacements the parameters then override, e.g. an account's)."""
    traits: dict[str, dict[str, float]] = {p: dict(t) for p, t in (base or {}).items()}
    groups: dict[str, dict[str, float]] = {}
    for p in parameters:
        owner, _, field = p.name.partition(".")
        value = float(theta[p.name])
        (traits if p.kind == "trait" else groups).setdefault(owner, {})[field] = value
    base = ModelParams()
    model = base.model_copy(update={g: getattr(base, g).model_copy(update=v) for g, v in groups.items()})
    return model, traits


def cohort_roles(keys: Sequence[str]) -> tuple[str, ...] | None:
    """The roles the findings' relationship cohorts need: the evidence rows use the bpd
    pairing at most (L8), except L11 (all roles), so a calibration simulates half the
    cohort; results do not change (tests/test_calibrate_spec.py)."""
    return None if any(k.split(".")[0] == "L11" for k in keys) else ("bpd",)


def findings(
    theta: Mapping[str, float],
    parameters: Sequence[Parameter],
    keys: Sequence[str],
    seed: int = 0,
    group_n: int = 1000,
    account: str = "evidence",
) -> dict[str, float]:
    """The value of each validation row ``keys`` (evidence profiles) under ``theta``."""
    from empathica.validation.report import run_validation

    model, traits = apply(theta, parameters, account_traits(account))
    lab = Lab(seed=seed, group_n=group_n, params=model, traits=traits, cohort_roles=cohort_roles(keys))
    rows = run_validation(only=list(keys), lab=lab, own_family_only=True)
    values = rows.set_index("key")["value"]
    return {k: float(values.get(k, np.nan)) for k in keys}


def simulate_task(spec, keys: Sequence[str], task: tuple) -> dict[str, float]:
    """One simulation of ``keys`` for ``task = (account, theta, seed)`` (a map's item)."""
    account, theta, seed = task
    free = spec.parameter if account == "evidence" else ()
    return findings(theta, free, keys, seed, spec.group_n, account)


class Standardized:
    """The distance (pyabc's callable): root mean square of (x - x0) / se over ``published``,
    x the simulated and x0 the observed findings; a missing value is infinitely far."""

    def __init__(self, published: Sequence[Finding]):
        self.keys = [f.key for f in published]
        self.se = np.array([f.se for f in published])

    def __call__(self, x: Mapping[str, float], x0: Mapping[str, float]) -> float:
        z = (np.array([x[k] for k in self.keys]) - np.array([x0[k] for k in self.keys])) / self.se
        return float(np.sqrt(np.mean(z**2))) if np.all(np.isfinite(z)) else float("inf")


def distance(simulated: Mapping[str, float], published: Sequence[Finding]) -> float:
    """The distance of simulated findings to the published ones."""
    return Standardized(published)(simulated, {f.key: f.value for f in published})
