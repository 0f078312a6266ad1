"""Effect sizes, intervals and replication rates for the virtual experiments.

Every estimate comes with a 95% interval. ``replication_rate`` answers the
question a reader of a paper asks of a model: if a real study had the paper's
group sizes and the world worked like the model, how often would it find the
effect (significant at p < .05 in the expected direction), or, for a null
finding, how often would it find no significant difference?
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import stats as sps

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    """A value with its 95% interval and optional details for the report."""

    value: float
    ci_low: float
    ci_high: float
    detail: str = ""
    replication: float | None = None
    extra: dict = field(default_factory=dict)


def hedges_g(x: np.ndarray, y: np.ndarray) -> Estimate:
    """Standardised mean difference (x - y) / pooled SD with small-sample correction."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n1, n2 = len(x), len(y)
    pooled = np.sqrt(((n1 - 1) * x.var(ddof=1) + (n2 - 1) * y.var(ddof=1)) / (n1 + n2 - 2))
    j = 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)
    g = j * (x.mean() - y.mean()) / pooled
    se = np.sqrt((n1 + n2) / (n1 * n2) + g * g / (2.0 * (n1 + n2)))
    detail = f"M {x.mean():.3f} vs {y.mean():.3f}, n {n1} vs {n2}"
    return Estimate(float(g), float(g - Z95 * se), float(g + Z95 * se), detail)


def paired_d(diff: np.ndarray) -> Estimate:
    """Standardised mean of within-person differences (d_z)."""
    diff = np.asarray(diff, float)
    n = len(diff)
    d = diff.mean() / diff.std(ddof=1)
    se = np.sqrt(1.0 / n + d * d / (2.0 * n))
    return Estimate(
        float(d), float(d - Z95 * se), float(d + Z95 * se), f"mean difference {diff.mean():.3f}, n {n}"
    )


def correlation(x: np.ndarray, y: np.ndarray) -> Estimate:
    """Pearson r with a Fisher-z interval."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    r = float(np.corrcoef(x, y)[0, 1])
    z, se = np.arctanh(r), 1.0 / np.sqrt(n - 3)
    return Estimate(r, float(np.tanh(z - Z95 * se)), float(np.tanh(z + Z95 * se)), f"n {n}")


def mean_diff(x: np.ndarray, y: np.ndarray) -> Estimate:
    """Raw difference of means (x - y) with a Welch interval."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    d = x.mean() - y.mean()
    se = np.sqrt(x.var(ddof=1) / len(x) + y.var(ddof=1) / len(y))
    return Estimate(float(d), float(d - Z95 * se), float(d + Z95 * se), f"M {x.mean():.3f} vs {y.mean():.3f}")


def mean_ci(x: np.ndarray) -> Estimate:
    x = np.asarray(x, float)
    se = x.std(ddof=1) / np.sqrt(len(x))
    return Estimate(float(x.mean()), float(x.mean() - Z95 * se), float(x.mean() + Z95 * se), f"n {len(x)}")


def proportion(k: int, n: int) -> Estimate:
    """Share with a Wilson interval."""
    p = k / n
    den = 1.0 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / den
    half = Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / den
    return Estimate(float(p), float(centre - half), float(centre + half), f"{k} of {n}")


def bootstrap(
    stat, arrays: tuple[np.ndarray, ...], rng: np.random.Generator, reps: int = 400
) -> tuple[float, float]:
    """Percentile interval of ``stat(*arrays)`` resampling the units (rows) of each array."""
    values = []
    for _ in range(reps):
        values.append(stat(*(a[rng.integers(0, len(a), len(a))] for a in arrays)))
    lo, hi = np.nanpercentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def replication_rate(
    x: np.ndarray,
    y: np.ndarray,
    n1: int,
    n2: int,
    expect: str,
    rng: np.random.Generator,
    reps: int = 2000,
) -> float:
    """Share of simulated studies (groups of n1 and n2 drawn from x and y) that reproduce a finding.

    expect: ``"greater"`` / ``"less"`` -- Welch t-test significant at p < .05 (two-sided)
    with mean(x) above / below mean(y); ``"null"`` -- no significant difference.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    a = x[rng.integers(0, len(x), (reps, n1))]
    b = y[rng.integers(0, len(y), (reps, n2))]
    va, vb = a.var(axis=1, ddof=1) / n1, b.var(axis=1, ddof=1) / n2
    t = (a.mean(axis=1) - b.mean(axis=1)) / np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (n1 - 1) + vb**2 / (n2 - 1))
    p = 2.0 * sps.t.sf(np.abs(t), df)
    sig = p < 0.05
    if expect == "greater":
        return float(np.mean(sig & (t > 0)))
    if expect == "less":
        return float(np.mean(sig & (t < 0)))
    if expect == "null":
        return float(np.mean(~sig))
    raise ValueError(f"expect must be greater, less or null, not {expect!r}")


def replication_rate_paired(
    diff: np.ndarray, n: int, expect: str, rng: np.random.Generator, reps: int = 2000
) -> float:
    """Like ``replication_rate`` for a within-person difference in groups of n."""
    d = np.asarray(diff, float)[rng.integers(0, len(diff), (reps, n))]
    t = d.mean(axis=1) / (d.std(axis=1, ddof=1) / np.sqrt(n))
    p = 2.0 * sps.t.sf(np.abs(t), n - 1)
    sig = p < 0.05
    return float(np.mean(sig & (t > 0) if expect == "greater" else sig & (t < 0)))


def replication_rate_proportions(
    k1: np.ndarray, k2: np.ndarray, n1: int, n2: int, rng: np.random.Generator, reps: int = 2000
) -> float:
    """Share of studies with n1 and n2 units where the share of ``k1`` (bool per unit) is
    significantly higher than that of ``k2`` (two-sided two-proportion z-test, p < .05)."""
    a = np.asarray(k1, float)[rng.integers(0, len(k1), (reps, n1))].mean(axis=1)
    b = np.asarray(k2, float)[rng.integers(0, len(k2), (reps, n2))].mean(axis=1)
    pooled = (a * n1 + b * n2) / (n1 + n2)
    se = np.sqrt(np.maximum(pooled * (1 - pooled) * (1 / n1 + 1 / n2), 1e-12))
    z = (a - b) / se
    return float(np.mean(z > Z95))
