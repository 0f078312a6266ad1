"""Closed-form posteriors of the cell rates, the probability of a conditional share, summaries.

Given the mixture prior, each actor's posterior is again a mixture of products of
Betas. From it come ``P(S > delta)`` (``p_conditional``) and its log-odds, and the
means and credible intervals of the share and of the other indices built on cell
rates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from empathica.recognize.counts import BEHAVIOURS
from empathica.recognize.prior import MixturePrior, _loglik

CRED = 0.90  # credible mass of the reported intervals
_GRID = np.linspace(-1.0, 1.0, 201)


@dataclass
class _Posterior:
    r: np.ndarray  # (A, J) component probabilities
    m: np.ndarray  # (A, J, C) cell means within component
    v: np.ndarray  # (A, J, C) cell variances within component
    a: np.ndarray  # (A, J, C) Beta parameters
    b: np.ndarray


def _posterior(K: np.ndarray, N: np.ndarray, prior: MixturePrior) -> _Posterior:
    ll = _loglik(K, N, prior.alpha, prior.beta) + np.log(prior.weights)[None, :]
    r = np.exp(ll - ll.max(axis=1, keepdims=True))
    r /= r.sum(axis=1, keepdims=True)
    a = prior.alpha[None] + K[:, None, :]
    b = prior.beta[None] + (N - K)[:, None, :]
    m = a / (a + b)
    v = m * (1 - m) / (a + b + 1)
    return _Posterior(r, m, v, a, b)


def _share_moments(
    post: _Posterior, weights: np.ndarray, s: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sd of sum_b w_b ((1 - s) p_hi - p_lo) per actor and component."""
    s = np.asarray(s, dtype=float)
    mu = 0.0
    var = 0.0
    for (_, lo, hi, _), w in zip(BEHAVIOURS, weights, strict=True):
        if w == 0:
            continue
        if s.ndim == 0:
            mu = mu + w * ((1 - s) * post.m[..., hi] - post.m[..., lo])
            var = var + w * w * ((1 - s) ** 2 * post.v[..., hi] + post.v[..., lo])
        else:
            mu = mu + w * ((1 - s) * post.m[..., hi, None] - post.m[..., lo, None])
            var = var + w * w * ((1 - s) ** 2 * post.v[..., hi, None] + post.v[..., lo, None])
    return np.asarray(mu), np.sqrt(np.maximum(np.asarray(var), 1e-12))


def p_share_above(post: _Posterior, weights: np.ndarray, delta: float) -> np.ndarray:
    """P(S > delta) per actor (normal approximation within each mixture component)."""
    mu, sd = _share_moments(post, weights, delta)
    return (post.r * special.ndtr(mu / sd)).sum(axis=1)


def log_odds_share_above(post: _Posterior, weights: np.ndarray, delta: float) -> np.ndarray:
    """log P(S > delta) - log P(S <= delta), computed without underflow."""
    mu, sd = _share_moments(post, weights, delta)
    z = mu / sd
    with np.errstate(divide="ignore"):
        log_r = np.log(post.r)
    above = special.logsumexp(log_r + special.log_ndtr(z), axis=1)
    below = special.logsumexp(log_r + special.log_ndtr(-z), axis=1)
    return above - below


def _summarize_cdf(F: np.ndarray, grid: np.ndarray) -> tuple[np.ndarray, ...]:
    """Mean, lower and upper quantile of a variable clipped to the grid's range."""
    F = np.maximum.accumulate(np.clip(F, 0.0, 1.0), axis=1)
    F[:, -1] = 1.0
    step = np.diff(grid)
    survival = 1.0 - F
    mean = grid[0] + ((survival[:, 1:] + survival[:, :-1]) / 2 * step).sum(axis=1)
    q = (1 - CRED) / 2
    return mean, _quantile(F, grid, q), _quantile(F, grid, 1 - q)


def _quantile(F: np.ndarray, grid: np.ndarray, q: float) -> np.ndarray:
    idx = (F < q).sum(axis=1)
    idx = np.clip(idx, 0, len(grid) - 1)
    prev = np.clip(idx - 1, 0, len(grid) - 1)
    f1 = F[np.arange(len(F)), idx]
    f0 = np.where(idx > 0, F[np.arange(len(F)), prev], 0.0)
    x1 = grid[idx]
    x0 = np.where(idx > 0, grid[prev], grid[0])
    frac = np.where(f1 > f0, (q - f0) / np.maximum(f1 - f0, 1e-12), 1.0)
    return x0 + np.clip(frac, 0, 1) * (x1 - x0)


def _chunks(n: int, size: int = 4000):
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))


def _share_summary(post: _Posterior, weights: np.ndarray) -> tuple[np.ndarray, ...]:
    A = post.r.shape[0]
    out = [np.empty(A) for _ in range(3)]
    for sl in _chunks(A):
        sub = _Posterior(post.r[sl], post.m[sl], post.v[sl], post.a[sl], post.b[sl])
        mu, sd = _share_moments(sub, weights, _GRID)
        F = (sub.r[:, :, None] * special.ndtr(-mu / sd)).sum(axis=1)
        for o, val in zip(out, _summarize_cdf(F, _GRID), strict=True):
            o[sl] = val
    return tuple(out)


def _linear_summary(post: _Posterior, coef: dict[int, float], lo: float, hi: float) -> tuple[np.ndarray, ...]:
    """Mean and interval of sum_c coef_c p_c (normal within component, mixture across)."""
    mu = sum(c * post.m[..., k] for k, c in coef.items())
    var = sum(c * c * post.v[..., k] for k, c in coef.items())
    sd = np.sqrt(np.maximum(var, 1e-12))
    grid = np.linspace(lo, hi, 201)
    A = post.r.shape[0]
    out = [np.empty(A) for _ in range(3)]
    for sl in _chunks(A):
        F = (post.r[sl, :, None] * special.ndtr((grid - mu[sl, :, None]) / sd[sl, :, None])).sum(1)
        for o, val in zip(out, _summarize_cdf(F, grid), strict=True):
            o[sl] = val
    out[0] = (post.r * mu).sum(axis=1)  # exact mean
    return tuple(out)


def _cell_summary(post: _Posterior, cell: int) -> tuple[np.ndarray, ...]:
    """A single rate: exact mixture mean; interval from a moment-matched Beta."""
    r = post.r
    m = post.m[..., cell]
    v = post.v[..., cell]
    mean = (r * m).sum(axis=1)
    var = (r * (v + m * m)).sum(axis=1) - mean**2
    return _beta_interval(mean, var)


def _beta_interval(mean: np.ndarray, var: np.ndarray) -> tuple[np.ndarray, ...]:
    mean = np.clip(mean, 1e-6, 1 - 1e-6)
    var = np.clip(var, 1e-10, mean * (1 - mean) * 0.999)
    kappa = mean * (1 - mean) / var - 1
    a, b = mean * kappa, (1 - mean) * kappa
    q = (1 - CRED) / 2
    return mean, special.betaincinv(a, b, q), special.betaincinv(a, b, 1 - q)
