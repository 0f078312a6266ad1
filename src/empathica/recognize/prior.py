"""The pooled prior: a mixture of products of Betas over the cell rates, fitted by EM.

With several actors the prior is learned from all of them (empirical Bayes: marginal
maximum likelihood, regularized toward uniform rates by pseudo-actors, the number of
components chosen by BIC); with fewer than ``MIN_POOL`` actors it is uniform.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from empathica.recognize.counts import BEHAVIOURS, CELLS

MIN_POOL = 3  # actors needed to pool
PSEUDO_ACTORS = 0.5  # base weight (in actors) of the uniform prior in each pooled component
MAX_COMPONENTS = 4
MAX_FIT_ACTORS = 1000


@dataclass
class MixturePrior:
    """A mixture of products of Betas over the eight cell rates."""

    weights: np.ndarray  # (J,)
    alpha: np.ndarray  # (J, C)
    beta: np.ndarray  # (J, C)
    pooled: bool
    n_fit: int = 0
    loglik: float = float("nan")

    @classmethod
    def uniform(cls, n_cells: int = len(CELLS)) -> MixturePrior:
        ones = np.ones((1, n_cells))
        return cls(np.ones(1), ones.copy(), ones.copy(), pooled=False)

    def describe(self) -> dict[str, Any]:
        comps = []
        for j in range(len(self.weights)):
            a, b = self.alpha[j], self.beta[j]
            comps.append(
                {
                    "weight": round(float(self.weights[j]), 4),
                    "mean": {c: round(float(a[k] / (a[k] + b[k])), 3) for k, c in enumerate(CELLS)},
                    "concentration": {c: round(float(a[k] + b[k]), 2) for k, c in enumerate(CELLS)},
                }
            )
        return {"pooled": self.pooled, "actors_fitted": self.n_fit, "components": comps}


def _loglik(K: np.ndarray, N: np.ndarray, alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Beta-binomial log marginal likelihood per actor and component, (A, J)."""
    a = alpha[None, :, :]
    b = beta[None, :, :]
    k = K[:, None, :]
    n = N[:, None, :]
    ll = special.betaln(a + k, b + n - k) - special.betaln(a, b)
    return ll.sum(axis=2)


def _invdigamma(y: np.ndarray) -> np.ndarray:
    x = np.where(y >= -2.22, np.exp(y) + 0.5, -1.0 / (y + 0.5772156649015329))
    for _ in range(5):
        x = x - (special.digamma(x) - y) / special.polygamma(1, x)
        x = np.maximum(x, 1e-6)
    return x


def _pseudo_weight(n_actors: float) -> float:
    """Weight (in actors) of the uniform pseudo-actors added to every component.

    Large when there are few actors (the prior then stays close to uniform), small
    when there are many (the data decide)."""
    return PSEUDO_ACTORS + 10.0 / max(n_actors, 1.0)


def _em(
    K: np.ndarray, N: np.ndarray, wts: np.ndarray, J: int, init: np.ndarray, iters: int = 300
) -> MixturePrior:
    """EM for a J-component mixture of product Betas, regularized toward uniform.

    Each component carries ``_pseudo_weight`` pseudo-actors whose rates are
    uniform: a MAP estimate that keeps components proper when few actors fall in
    them. Returns the fitted prior with its (unpenalized) log marginal likelihood.
    """
    U, C = K.shape
    n_act = float(wts.sum())
    pseudo = _pseudo_weight(n_act)
    # Initial components: split actors into J groups along ``init`` (a 1-D score).
    order = np.argsort(init, kind="stable")
    groups = np.empty(U, dtype=int)
    cum = np.cumsum(wts[order]) / wts.sum()
    groups[order] = np.minimum((cum * J).astype(int), J - 1)
    alpha = np.ones((J, C))
    beta = np.ones((J, C))
    for j in range(J):
        g = groups == j
        w = wts[g][:, None]
        k = (K[g] * w).sum(0)
        n = (N[g] * w).sum(0)
        m = (k + 1.0) / (n + 2.0)
        alpha[j] = 4.0 * m
        beta[j] = 4.0 * (1 - m)
    pi = np.full(J, 1.0 / J)
    prev = -np.inf
    loglik = -np.inf
    for _ in range(iters):
        ll = _loglik(K, N, alpha, beta) + np.log(pi)[None, :]
        mx = ll.max(axis=1, keepdims=True)
        r = np.exp(ll - mx)
        s = r.sum(axis=1, keepdims=True)
        r /= s
        loglik = float((wts * (np.log(s[:, 0]) + mx[:, 0])).sum())
        penalty = pseudo * float((-(alpha - 1) - (beta - 1) - special.betaln(alpha, beta)).sum())
        objective = loglik + penalty
        if objective - prev < 1e-5 * n_act:
            break
        prev = objective
        rw = r * wts[:, None]
        nj = rw.sum(axis=0)
        pi = (nj + 1e-6) / (nj.sum() + J * 1e-6)
        a = alpha[None] + K[:, None, :]
        b = beta[None] + (N - K)[:, None, :]
        dab = special.digamma(a + b)
        el1 = np.einsum("uj,ujc->jc", rw, special.digamma(a) - dab)
        el2 = np.einsum("uj,ujc->jc", rw, special.digamma(b) - dab)
        s1 = (el1 - pseudo) / (nj[:, None] + pseudo)  # uniform pseudo-actors: E log p = -1
        s2 = (el2 - pseudo) / (nj[:, None] + pseudo)
        for _ in range(4):
            t = special.digamma(alpha + beta)
            alpha = np.clip(_invdigamma(t + s1), 0.05, 1e4)
            beta = np.clip(_invdigamma(t + s2), 0.05, 1e4)
    return MixturePrior(pi, alpha, beta, pooled=True, n_fit=int(wts.sum()), loglik=loglik)


def fit_prior(
    K: np.ndarray, N: np.ndarray, max_components: int = MAX_COMPONENTS, seed: int = 0
) -> MixturePrior:
    """Fit the pooled mixture prior across actors (empirical Bayes).

    The number of components J is chosen by BIC among 1..``max_components``
    (at most one component per 15 actors); with 30 actors or more at least two
    components are used, because a single product of Betas cannot express that
    the behaviours of one person go together (a person whose care is conditional
    in one behaviour tends to be in the others), which a pooled prior must learn.
    """
    A, C = K.shape
    if A < MIN_POOL:
        return MixturePrior.uniform(C)
    if A > MAX_FIT_ACTORS:
        rng = np.random.default_rng(seed)
        pick = np.sort(rng.choice(A, MAX_FIT_ACTORS, replace=False))
        K, N = K[pick], N[pick]
    rows = np.concatenate([K, N], axis=1)
    uniq, counts = np.unique(rows, axis=0, return_counts=True)
    Ku, Nu = uniq[:, :C].astype(float), uniq[:, C:].astype(float)
    wts = counts.astype(float)
    n_act = float(wts.sum())
    informative = int((Nu.sum(axis=0) > 0).sum())
    # A 1-D score to seed the components: the shrunk conditional contrast.
    score = np.zeros(len(Ku))
    for _, lo, hi, w in BEHAVIOURS:
        score += w * ((Ku[:, hi] + 1) / (Nu[:, hi] + 2) - (Ku[:, lo] + 1) / (Nu[:, lo] + 2))
    j_min = 2 if n_act >= 30 else 1
    j_max = max(1, min(max_components, int(n_act // 15)))
    best: MixturePrior | None = None
    best_bic = np.inf
    for J in range(min(j_min, j_max), j_max + 1):
        fit = _em(Ku, Nu, wts, J, score)
        n_par = J * 2 * informative + (J - 1)
        bic = -2.0 * fit.loglik + n_par * math.log(n_act)
        if bic < best_bic:
            best, best_bic = fit, bic
        elif J > j_min:
            break  # BIC got worse: larger mixtures are not supported by the data
    assert best is not None
    best.n_fit = int(n_act)
    return best
