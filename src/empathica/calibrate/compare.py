"""Model comparison: the evidence, article and null accounts on the same fit set.

The ABC approximation of an account's marginal likelihood at tolerance epsilon is the
probability that a simulation from its prior lands within epsilon of the published
findings (Toni & Stumpf 2010; Didelot et al. 2011):

    Z(epsilon) = E_prior[ 1(distance <= epsilon) ]

For the article and null accounts (no free parameter) it is the share of replicate
simulations (seeds) within epsilon. For the evidence account it is estimated by
defensive importance sampling (Hesterberg 1995): proposals from the mixture
q = 0.5 prior + 0.5 Normal(posterior mean, 2 x posterior covariance), each weighted by
prior / q (at most 2, so the estimate cannot blow up). Posterior model probabilities
take a uniform prior over the accounts, Z_m / sum Z. The tolerance is the calibration's
final epsilon and multiples of it; an account with no simulation within a tolerance has
Z = 0 there (below 1 / simulations).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from empathica.calibrate.simulator import ACCOUNTS, Standardized, simulate_task
from empathica.calibrate.spec import CalibrationSpec

#: Tolerances of the comparison, as multiples of the calibration's final epsilon.
TOLERANCES = (1.0, 1.5, 2.0, 3.0)


def proposals(
    spec: CalibrationSpec, particles: pd.DataFrame, w: np.ndarray, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` draws from the defensive mixture and their weights prior / q (0 outside the prior)."""
    names = [p.name for p in spec.parameter]
    low = np.array([p.low for p in spec.parameter])
    high = np.array([p.high for p in spec.parameter])
    x = particles[names].to_numpy(float)
    mean = np.sum(w[:, None] * x, axis=0)
    cov = 2.0 * np.atleast_2d(np.cov(x.T, aweights=w)) + 1e-9 * np.eye(len(names))
    normal = stats.multivariate_normal(mean, cov, allow_singular=True)
    from_prior = rng.random(n) < 0.5
    theta = np.where(from_prior[:, None], rng.uniform(low, high, size=(n, len(names))),
                     normal.rvs(size=n, random_state=rng).reshape(n, len(names)))  # fmt: skip
    inside = np.all((theta >= low) & (theta <= high), axis=1)
    prior_pdf = inside / np.prod(high - low)
    q = 0.5 * prior_pdf + 0.5 * normal.pdf(theta).reshape(n)
    return theta, np.where(inside, prior_pdf / q, 0.0)


def compare(
    spec: CalibrationSpec,
    particles: pd.DataFrame,
    w: np.ndarray,
    epsilon: float,
    map_: Callable[[Callable, list], Iterable] = map,
    *,
    draws: int = 300,
    replicates: int = 100,
    seed_of: Callable[[int], int],
    rng: np.random.Generator,
    tolerances: Sequence[float] = TOLERANCES,
) -> pd.DataFrame:
    """Marginal likelihoods and posterior probabilities of the accounts, per tolerance."""
    from functools import partial

    names = [p.name for p in spec.parameter]
    theta, weight = proposals(spec, particles, w, draws, rng)
    tasks, kinds = [], []
    for i in np.flatnonzero(weight > 0):
        tasks.append(("evidence", dict(zip(names, map(float, theta[i]), strict=True)), seed_of(len(tasks))))
        kinds.append(("evidence", weight[i]))
    for a in ACCOUNTS[1:]:
        for _ in range(replicates):
            tasks.append((a, {}, seed_of(len(tasks))))
            kinds.append((a, 1.0))
    distance = Standardized(spec.fit)
    observed = {f.key: f.value for f in spec.fit}
    d = np.array(
        [distance(x, observed) for x in map_(partial(simulate_task, spec, [f.key for f in spec.fit]), tasks)]
    )
    account = np.array([k[0] for k in kinds])
    wt = np.array([k[1] for k in kinds])
    totals = {"evidence": draws, "article": replicates, "null": replicates}
    rows = []
    for c in tolerances:
        eps = c * epsilon
        z = {a: float(np.sum(wt[(account == a) & (d <= eps)]) / totals[a]) for a in ACCOUNTS}
        s = sum(z.values())
        for a in ACCOUNTS:
            rows.append(
                dict(
                    tolerance=c,
                    epsilon=eps,
                    account=a,
                    within=int(np.sum((account == a) & (d <= eps))),
                    simulations=totals[a],
                    marginal_likelihood=z[a],
                    probability=z[a] / s if s > 0 else np.nan,
                    median_distance=float(np.median(d[account == a])),
                )
            )
    return pd.DataFrame(rows)
