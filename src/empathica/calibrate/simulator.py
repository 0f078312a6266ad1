"""The evaluate step of a calibration: parameters -> the findings the model gives.

``findings(theta, keys, seed)`` sets every free parameter (profile traits through
``Lab.traits``, mechanism constants through ``ModelParams``) and measures the findings
as ``empathica validate`` does, on the evidence profiles. ``distance`` compares
simulated with published findings in units of the published standard errors:

    distance = sqrt(mean over findings of ((simulated - published) / se)^2)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from empathica.calibrate.spec import Finding, Parameter
from empathica.lab.cohorts import Lab
from empathica.model.params import ModelParams


def apply(theta: Mapping[str, float], parameters: Sequence[Parameter]) -> tuple[ModelParams, dict]:
    """The mechanism constants and the replaced profile traits of a parameter vector."""
    traits: dict[str, dict[str, float]] = {}
    groups: dict[str, dict[str, float]] = {}
    for p in parameters:
        owner, _, field = p.name.partition(".")
        value = float(theta[p.name])
        (traits if p.kind == "trait" else groups).setdefault(owner, {})[field] = value
    base = ModelParams()
    model = base.model_copy(update={g: getattr(base, g).model_copy(update=v) for g, v in groups.items()})
    return model, traits


def findings(
    theta: Mapping[str, float],
    parameters: Sequence[Parameter],
    keys: Sequence[str],
    seed: int = 0,
    group_n: int = 1000,
) -> dict[str, float]:
    """The value of each validation row ``keys`` (evidence profiles) under ``theta``."""
    from empathica.validation.report import run_validation

    model, traits = apply(theta, parameters)
    lab = Lab(seed=seed, group_n=group_n, params=model, traits=traits)
    rows = run_validation(only=list(keys), lab=lab, own_family_only=True)
    values = rows.set_index("key")["value"]
    return {k: float(values.get(k, np.nan)) for k in keys}


def distance(simulated: Mapping[str, float], published: Sequence[Finding]) -> float:
    """Root mean square of the standardized differences (a missing value: infinitely far)."""
    z = [(simulated[f.key] - f.value) / f.se for f in published]
    return float(np.sqrt(np.mean(np.square(z)))) if np.all(np.isfinite(z)) else float("inf")
