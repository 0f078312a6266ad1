"""Simple pooled sub-models for the indices outside the mixture: consistency, accuracy, warmth.

Consistency over time compares the response rates of the earlier and the later half
of an actor's episodes (Beta priors by moment matching across actors); accuracy and
warmth are per-actor means with a pooled normal prior. Both are regularized toward
a weak default with the same pseudo-actor weight as the mixture prior.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from empathica.recognize.counts import _unique_rows
from empathica.recognize.posterior import _summarize_cdf
from empathica.recognize.prior import MIN_POOL, _pseudo_weight

_UNIT_GRID = np.linspace(0.0, 1.0, 101)
_Z = 1.6448536269514722  # standard normal 95% point (90% interval)


def _beta_eb(k: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """A single Beta prior by moment matching across actors (uniform when few)."""
    use = n > 0
    if use.sum() < MIN_POOL:
        return 1.0, 1.0
    rate = k[use] / n[use]
    w = n[use] / n[use].sum()
    m = float(np.clip((w * rate).sum(), 0.02, 0.98))
    raw_var = float((w * (rate - m) ** 2).sum())
    noise = float((w * m * (1 - m) / n[use]).sum())
    var_b = max(raw_var - noise, 1e-4)
    kappa = float(np.clip(m * (1 - m) / var_b - 1, 2.0, 200.0))
    # Regularize toward Beta(1, 1) with the same pseudo-actor weight as the mixture.
    n_act = float(use.sum())
    w0 = _pseudo_weight(n_act)
    kappa = (kappa * n_act + 2.0 * w0) / (n_act + w0)
    m = (m * n_act + 0.5 * w0) / (n_act + w0)
    return m * kappa, (1 - m) * kappa


def _consistency(k_early, n_early, k_late, n_late) -> tuple[np.ndarray, ...]:
    a0, b0 = _beta_eb(k_early + k_late, n_early + n_late)
    uniq, inverse = _unique_rows(k_early, n_early, k_late, n_late)
    k_early, n_early, k_late, n_late = uniq.T
    ae, be = a0 + k_early, b0 + n_early - k_early
    al, bl = a0 + k_late, b0 + n_late - k_late
    me, ml = ae / (ae + be), al / (al + bl)
    ve = me * (1 - me) / (ae + be + 1)
    vl = ml * (1 - ml) / (al + bl + 1)
    mu = ml - me
    sd = np.sqrt(ve + vl)
    # |D| is folded normal; consistency = 1 - |D| on [0, 1].
    x = _UNIT_GRID[None, :]
    cdf_abs = special.ndtr((x - mu[:, None]) / sd[:, None]) - special.ndtr((-x - mu[:, None]) / sd[:, None])
    # CDF of C = 1 - |D| at c is P(|D| >= 1 - c) = 1 - cdf_abs(1 - c).
    F = 1.0 - cdf_abs[:, ::-1]
    return tuple(x[inverse] for x in _summarize_cdf(F, _UNIT_GRID))


def _normal_means(codes: np.ndarray, y: np.ndarray, A: int) -> tuple[np.ndarray, ...]:
    """Per-actor mean of a 0-1 score with a pooled normal prior."""
    ok = ~np.isnan(y)
    c = codes[ok]
    yy = y[ok]
    n = np.bincount(c, minlength=A).astype(float)
    s1 = np.bincount(c, weights=yy, minlength=A)
    s2 = np.bincount(c, weights=yy * yy, minlength=A)
    with np.errstate(invalid="ignore", divide="ignore"):
        ybar = np.where(n > 0, s1 / np.maximum(n, 1), np.nan)
        ss = np.maximum(s2 - n * np.nan_to_num(ybar) ** 2, 0.0)
    df = np.maximum(n - 1, 0)
    sigma_w2 = float(ss.sum() / df.sum()) if df.sum() > 0 else 0.04
    sigma_w2 = max(sigma_w2, 1e-4)
    sig2 = (ss + 4.0 * sigma_w2) / (df + 4.0)
    has = n > 0
    if has.sum() >= MIN_POOL:
        mu0 = float(np.average(ybar[has], weights=n[has]))
        tau2 = float(np.var(ybar[has]) - np.mean(sig2[has] / n[has]))
        n_act = float(has.sum())
        # Shrink the between-actor variance toward the weak default (sd 0.3).
        w0 = _pseudo_weight(n_act)
        tau2 = (max(tau2, 0.0025) * n_act + 0.09 * w0) / (n_act + w0)
    else:
        mu0, tau2 = 0.5, 0.09
    prec = 1.0 / tau2 + n / sig2
    mean = (mu0 / tau2 + np.nan_to_num(s1) / sig2) / prec
    sd = np.sqrt(1.0 / prec)
    lo = np.clip(mean - _Z * sd, 0, 1)
    hi = np.clip(mean + _Z * sd, 0, 1)
    nan = ~has
    mean, lo, hi = mean.copy(), lo.copy(), hi.copy()
    for arr in (mean, lo, hi):
        arr[nan] = np.nan
    return mean, lo, hi
