"""Recognize genuine care vs strategic empathy in an interaction record (A14, A4, A5, A9).

The article's practical test: genuine care is consistent over time, given whatever
the reward, accurate to the other's needs, respects boundaries even when nobody is
watching and follows through; strategic empathy appears when it pays. This module
applies the test to a record of episodes, per actor, with honest uncertainty.
Everything it reports is a pattern in recorded behaviour, never a diagnosis.

Model (see ``docs/recognize.md`` for the full statement and its justification)
-----------------------------------------------------------------------------
Each actor's episodes are counted in eight *cells*, a behaviour in a context:

====================  ===========================================================
cell                  rate of ...
====================  ===========================================================
respond_unpaid        responding when nobody watched and nothing was to be gained
respond_paid          responding with an audience or a benefit
respond_unpaid_threat the same two, when the need implied criticism of the actor
respond_paid_threat
follow_unwatched      keeping a promise made with no audience
follow_watched        keeping a promise made with an audience
boundary_unwatched    respecting a boundary with no audience
boundary_watched      respecting a boundary with an audience
====================  ===========================================================

Counts are binomial given the actor's eight rates. The rates get a prior that is
a finite mixture of products of Beta distributions (a latent-class Beta-binomial
model). With several actors the mixture is fitted across them by marginal maximum
likelihood (empirical Bayes, EM), regularized toward uniform rates by pseudo-actors,
the number of components chosen by BIC: this is the partial pooling. With one or
two actors every rate gets a uniform Beta(1, 1) prior. Given the prior, the
posterior of each actor is exact and closed-form: a mixture of products of Betas.

The *conditional share* of an actor's care is

    S = sum_b w_b (p_b,paid - p_b,unpaid) / sum_b w_b p_b,paid

over the behaviours b (responding, follow-through, boundary respect; weights
0.5, 0.25, 0.25), "paid" meaning audience or benefit for responding and audience
for the other two. S is the fraction of the care shown when it pays that is
missing when it does not. ``p_conditional = P(S > 0.5 | record)``: the posterior
probability that the actor's care is mostly conditional. Verdict: ``conditional``
when p_conditional >= 0.9, ``genuine`` when p_conditional <= 0.1 and there is care
to speak of (posterior mean response rate when unpaid at least 0.2), in both cases
only if the record itself is strong evidence (posterior odds at least 10 times the
prior odds, or at most a tenth) and only if it holds enough moments of both kinds:
at least ``MIN_UNPAID`` episodes of responding when unpaid and ``MIN_PAID`` when
paid (the minimum-evidence rule: however much the pooled prior lets a thin record
move the probability, no verdict about a person rests on a handful of episodes);
``uncertain`` otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from empathica.errors import EmpathicaInputError

#: The eight cells (behaviour x context) the model counts, in order.
CELLS: tuple[str, ...] = (
    "respond_unpaid",
    "respond_paid",
    "respond_unpaid_threat",
    "respond_paid_threat",
    "follow_unwatched",
    "follow_watched",
    "boundary_unwatched",
    "boundary_watched",
)
_R0, _R1, _R0T, _R1T, _F0, _F1, _B0, _B1 = range(8)

#: Behaviours entering the conditional share: (name, low cell, high cell, weight).
BEHAVIOURS: tuple[tuple[str, int, int, float], ...] = (
    ("responding", _R0, _R1, 0.50),
    ("follow_through", _F0, _F1, 0.25),
    ("boundary", _B0, _B1, 0.25),
)

#: Indices reported per actor (each with ``_mean``, ``_lo``, ``_hi``).
INDICES: tuple[str, ...] = (
    "conditionality",
    "conditionality_responding",
    "conditionality_follow_through",
    "conditionality_boundary",
    "withdrawal_under_threat",
    "consistency",
    "accuracy",
    "warmth",
    "follow_through",
    "boundary_unobserved",
    "response_unpaid",
    "response_paid",
)

INDEX_HELP: dict[str, str] = {
    "conditionality": "share of the care shown when it pays (audience or benefit) that is "
    "missing when it does not; responding, follow-through and boundary respect combined "
    "(0 = given whatever the reward, 1 = only when it pays, below 0 = more care unpaid)",
    "conditionality_responding": "the same share for responding to needs alone",
    "conditionality_follow_through": "the same share for keeping promises (watched vs unwatched)",
    "conditionality_boundary": "the same share for respecting boundaries (watched vs unwatched)",
    "withdrawal_under_threat": "drop in the response rate when the need implied criticism of "
    "the actor (response rate without threat minus with threat)",
    "consistency": "1 minus the change in response rate between the earlier and the later "
    "half of the actor's episodes (1 = steady over time)",
    "accuracy": "mean accuracy of responses to what the target actually felt",
    "warmth": "mean warmth of responses",
    "follow_through": "rate of keeping promises (watched and unwatched promises weighted equally)",
    "boundary_unobserved": "rate of respecting a boundary when nobody else was watching",
    "response_unpaid": "rate of responding to a need when nobody watched and nothing was to be gained",
}

DELTA = 0.5  # S above this: care mostly conditional
CONDITIONAL_AT = 0.9
GENUINE_AT = 0.1
CARE_FLOOR = 0.2
MIN_BAYES_FACTOR = 10.0  # a verdict needs the record to move the odds at least this much
# Minimum-evidence rule: a verdict needs at least this many recorded episodes of responding
# in unpaid moments (no audience, no benefit) and in paid ones (audience or benefit), threat
# or not. Chosen from measurement, by a criterion fixed beforehand: see the table "Minimum
# evidence for a verdict" in docs/recognize.md (benchmarks/recognize_bench.py --only evidence-rule).
MIN_UNPAID = 15
MIN_PAID = 15
CRED = 0.90  # credible mass of the reported intervals
MIN_POOL = 3  # actors needed to pool
PSEUDO_ACTORS = 0.5  # base weight (in actors) of the uniform prior in each pooled component
MAX_COMPONENTS = 4
MAX_FIT_ACTORS = 1000

_GRID = np.linspace(-1.0, 1.0, 201)
_UNIT_GRID = np.linspace(0.0, 1.0, 101)
_Z = 1.6448536269514722  # standard normal 95% point (90% interval)


# --------------------------------------------------------------------------- errors


class UnknownActorError(EmpathicaInputError):
    """An actor asked for (``recognize(..., actors=...)``) is not in the diary."""


# --------------------------------------------------------------------------- result


@dataclass
class RecognitionResult:
    """What ``recognize`` found.

    ``actors``: one row per actor (``actor``, ``n_episodes``, ``n_unpaid`` and
    ``n_paid`` (episodes of responding when unpaid / paid, threat or not: what the
    minimum-evidence rule counts), ``p_conditional``, ``log10_bayes_factor``,
    ``verdict``, ``note`` and every index of :data:`INDICES` as ``_mean``, ``_lo``,
    ``_hi``). ``evidence``: the episodes that weigh most per actor, with the reason.
    ``notes``: what was left out of the analysis and why. ``settings``: thresholds
    and the prior actually used.
    """

    actors: pd.DataFrame
    evidence: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``actors`` (with nested ``indices`` and ``evidence``)."""
        ev_by_actor: dict[Any, list[dict[str, Any]]] = {}
        for rec in self.evidence.to_dict(orient="records"):
            actor = rec.pop("actor")
            ev_by_actor.setdefault(_plain(actor), []).append({k: _plain(v) for k, v in rec.items()})
        actors = []
        for rec in self.actors.to_dict(orient="records"):
            out: dict[str, Any] = {
                "actor": _plain(rec["actor"]),
                "n_episodes": int(rec["n_episodes"]),
                "n_unpaid": int(rec["n_unpaid"]),
                "n_paid": int(rec["n_paid"]),
                "p_conditional": _plain(rec["p_conditional"]),
                "log10_bayes_factor": _plain(rec["log10_bayes_factor"]),
                "verdict": rec["verdict"],
                "note": rec.get("note") or "",
                "indices": {},
            }
            for name in INDICES:
                out["indices"][name] = {
                    "mean": _plain(rec[f"{name}_mean"]),
                    "lo": _plain(rec[f"{name}_lo"]),
                    "hi": _plain(rec[f"{name}_hi"]),
                }
            out["evidence"] = ev_by_actor.get(out["actor"], [])
            actors.append(out)
        return {
            "actors": actors,
            "notes": list(self.notes),
            "settings": self.settings,
            "index_help": dict(INDEX_HELP),
        }


def _plain(v: Any) -> Any:
    """Numpy / pandas scalars to JSON-friendly Python values (NaN -> None)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) else round(f, 4)
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    return v


# ------------------------------------------------------------------ the prior (EB)


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


# --------------------------------------------------------------------- posteriors


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


# --------------------------------------------------------- simple pooled sub-models


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


def _unique_rows(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the stacked columns and, per original row, its distinct row.

    Actors with the same counts get the same posterior: thin diaries (many actors
    with one or two episodes) have only a handful of distinct count rows, so
    summaries are computed once per distinct row."""
    X = np.column_stack([np.asarray(c, dtype=float) for c in columns])
    uniq, inverse = np.unique(X, axis=0, return_inverse=True)
    return uniq, inverse.reshape(-1)


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


# ----------------------------------------------------------------------- evidence

_REASON = {
    (_R0, 1): "responded although nobody was watching and there was nothing to gain",
    (_R0, 0): "did not respond when nobody was watching and there was nothing to gain",
    (_R1, 1): "responded when someone was watching or there was something to gain",
    (_R1, 0): "did not respond although someone was watching or there was something to gain",
    (_R0T, 1): "responded to a need that implied criticism of them, with nothing to gain",
    (_R0T, 0): "did not respond to a need that implied criticism of them, with nothing to gain",
    (_R1T, 1): "responded to a need that implied criticism of them, when it paid",
    (_R1T, 0): "did not respond to a need that implied criticism of them, even when it paid",
    (_F0, 1): "kept a promise that nobody else was watching",
    (_F0, 0): "broke a promise that nobody else was watching",
    (_F1, 1): "kept a promise made in front of others",
    (_F1, 0): "broke a promise made in front of others",
    (_B0, 1): "respected a boundary when nobody else was watching",
    (_B0, 0): "ignored a boundary when nobody else was watching",
    (_B1, 1): "respected a boundary in front of others",
    (_B1, 0): "ignored a boundary in front of others",
}
_BEHAVIOUR_OF_CELL = {
    _R0: "responding",
    _R1: "responding",
    _R0T: "responding",
    _R1T: "responding",
    _F0: "follow_through",
    _F1: "follow_through",
    _B0: "boundary",
    _B1: "boundary",
}


def _influence(
    K: np.ndarray,
    N: np.ndarray,
    prior: MixturePrior,
    weights: np.ndarray,
    delta: float,
    base: np.ndarray,
) -> np.ndarray:
    """Change in log-odds of p_conditional if one episode of each (cell, outcome)
    were removed, per actor: (A, C, 2); positive = the episode pushes toward
    'conditional'. Episodes of one cell and outcome weigh the same."""
    A, C = K.shape
    out = np.zeros((A, C, 2))
    for c in range(C):
        if not np.any(N[:, c] > 0):
            continue
        for o in (0, 1):
            has = N[:, c] > 0
            has &= K[:, c] > 0 if o == 1 else (N[:, c] - K[:, c]) > 0
            if not has.any():
                continue
            K2 = K[has].copy()
            N2 = N[has].copy()
            N2[:, c] -= 1
            if o == 1:
                K2[:, c] -= 1
            post = _posterior(K2, N2, prior)
            out[has, c, o] = base[has] - log_odds_share_above(post, weights, delta)
    return out


def _evidence(
    frame: pd.DataFrame,
    codes: np.ndarray,
    cell_of: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    influence: np.ndarray,
    names: np.ndarray,
    per_actor: int,
) -> pd.DataFrame:
    """The weightiest episodes per actor: one representative per (cell, outcome)."""
    columns = ["actor", "episode", "t", "behaviour", "weight", "direction", "similar", "reason"]
    if per_actor <= 0:
        return pd.DataFrame(columns=columns)
    rows_idx, cells, outs = (np.concatenate(x) for x in zip(*cell_of, strict=True))
    if len(rows_idx) == 0:
        return pd.DataFrame(columns=columns)
    act = codes[rows_idx]
    C = influence.shape[1]
    key = (act * C + cells) * 2 + outs
    # Representative: most intense need, then the latest episode.
    intensity = (
        frame["intensity"].to_numpy(dtype=float, na_value=np.nan)[rows_idx]
        if "intensity" in frame
        else np.zeros(len(rows_idx))
    )
    t = frame["t"].to_numpy()[rows_idx] if "t" in frame else frame["episode"].to_numpy()[rows_idx]
    order = np.lexsort((-t.astype(float), -np.nan_to_num(intensity, nan=-1.0), key))
    key_sorted = key[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = key_sorted[1:] != key_sorted[:-1]
    rep = order[first]
    uniq_keys, counts = np.unique(key, return_counts=True)
    count_of = dict(zip(uniq_keys.tolist(), counts.tolist(), strict=True))
    r_act = act[rep]
    r_cell = cells[rep]
    r_out = outs[rep]
    weight = influence[r_act, r_cell, r_out]
    table = pd.DataFrame(
        {
            "a": r_act,
            "row": rows_idx[rep],
            "cell": r_cell,
            "out": r_out,
            "weight": weight,
            "similar": [count_of[int(k)] for k in key[rep]],
        }
    )
    table = table[np.abs(table["weight"]) > 1e-3]
    table = table.assign(absw=np.abs(table["weight"]))
    table = table.sort_values(["a", "absw"], ascending=[True, False], kind="stable")
    table = table.groupby("a", sort=False).head(per_actor)
    ep = frame["episode"].to_numpy()
    tcol = frame["date"] if "date" in frame else (frame["t"] if "t" in frame else None)
    result = pd.DataFrame(
        {
            "actor": names[table["a"].to_numpy()],
            "episode": ep[table["row"].to_numpy()],
            "t": (
                tcol.to_numpy()[table["row"].to_numpy()] if tcol is not None else np.full(len(table), None)
            ),
            "behaviour": [_BEHAVIOUR_OF_CELL[c] for c in table["cell"]],
            "weight": table["weight"].to_numpy().round(3),
            "direction": np.where(table["weight"] > 0, "toward conditional", "toward genuine"),
            "similar": table["similar"].to_numpy() - 1,
            "reason": [_REASON[(int(c), int(o))] for c, o in zip(table["cell"], table["out"], strict=True)],
        }
    )
    return result.reset_index(drop=True)


# --------------------------------------------------------------------- the function


def _counts(frame: pd.DataFrame, codes: np.ndarray, A: int):
    n = len(frame)
    audience = frame["audience"].to_numpy(dtype=bool)
    benefit = frame["benefit"].to_numpy(dtype=bool)
    responded = frame["responded"].to_numpy(dtype=bool)
    threat = frame["threat"].to_numpy(dtype=bool) if "threat" in frame else np.zeros(n, bool)
    paid = audience | benefit
    K = np.zeros((A, len(CELLS)))
    N = np.zeros((A, len(CELLS)))
    cell_of: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    rc = paid.astype(np.int64) + 2 * threat.astype(np.int64)
    K[:, 0:4] = np.bincount(codes * 4 + rc, weights=responded, minlength=A * 4).reshape(A, 4)
    N[:, 0:4] = np.bincount(codes * 4 + rc, minlength=A * 4).reshape(A, 4)
    cell_of.append((np.arange(n), rc, responded.astype(np.int64)))

    if "followed_through" in frame and "committed" in frame:
        ft = frame["followed_through"]
        mask = frame["committed"].to_numpy(dtype=bool) & ft.notna().to_numpy()
        val = ft.to_numpy(dtype=float, na_value=0.0)[mask]
        key = codes[mask] * 2 + audience[mask]
        K[:, 4:6] = np.bincount(key, weights=val, minlength=A * 2).reshape(A, 2)
        N[:, 4:6] = np.bincount(key, minlength=A * 2).reshape(A, 2)
        cell_of.append((np.flatnonzero(mask), _F0 + audience[mask].astype(np.int64), val.astype(np.int64)))
    if "boundary_respected" in frame and "boundary_asked" in frame:
        br = frame["boundary_respected"]
        mask = frame["boundary_asked"].to_numpy(dtype=bool) & br.notna().to_numpy()
        val = br.to_numpy(dtype=float, na_value=0.0)[mask]
        key = codes[mask] * 2 + audience[mask]
        K[:, 6:8] = np.bincount(key, weights=val, minlength=A * 2).reshape(A, 2)
        N[:, 6:8] = np.bincount(key, minlength=A * 2).reshape(A, 2)
        cell_of.append((np.flatnonzero(mask), _B0 + audience[mask].astype(np.int64), val.astype(np.int64)))
    return K, N, cell_of


def _halves(frame: pd.DataFrame, codes: np.ndarray, A: int):
    """Responses in the earlier and the later half of each actor's episodes."""
    t = frame["t"].to_numpy() if "t" in frame else np.zeros(len(frame), dtype=np.int64)
    ep = frame["episode"].to_numpy()
    order = np.lexsort((ep, t, codes))
    sorted_codes = codes[order]
    counts = np.bincount(codes, minlength=A)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(len(order)) - starts[sorted_codes]
    late = rank >= counts[sorted_codes] / 2.0
    resp = frame["responded"].to_numpy(dtype=float)[order]
    k_late = np.bincount(sorted_codes, weights=resp * late, minlength=A)
    n_late = np.bincount(sorted_codes, weights=late.astype(float), minlength=A)
    k_all = np.bincount(sorted_codes, weights=resp, minlength=A)
    return k_all - k_late, counts - n_late, k_late, n_late


def recognize(
    episodes: pd.DataFrame,
    *,
    actors: list[Any] | None = None,
    pool: bool = True,
    delta: float = DELTA,
    conditional_at: float = CONDITIONAL_AT,
    genuine_at: float = GENUINE_AT,
    care_floor: float = CARE_FLOOR,
    min_bayes_factor: float = MIN_BAYES_FACTOR,
    min_unpaid: int = MIN_UNPAID,
    min_paid: int = MIN_PAID,
    evidence_per_actor: int = 5,
    prior: MixturePrior | None = None,
) -> RecognitionResult:
    """Recognize, per actor, how conditional the recorded care is.

    ``episodes`` holds the observable diary columns (``read_diary`` output or a
    simulator log; ``true_*`` columns are ignored). ``actors`` restricts the
    report (the prior is still fitted on everybody); an actor not in the diary
    raises :class:`UnknownActorError`. ``pool=False`` analyses every actor with
    the uniform prior. ``prior`` fixes the prior (e.g. one fitted on another
    diary). ``min_unpaid`` and ``min_paid`` are the minimum-evidence rule: no
    verdict other than ``uncertain`` unless the actor's record holds at least
    that many episodes of responding in unpaid moments (no audience, no benefit)
    and in paid ones (audience or benefit); ``p_conditional`` is reported either
    way. Deterministic: no random draws.
    """
    from empathica.recognize.diary import validate_episodes

    min_unpaid = _count_setting("min_unpaid", min_unpaid)
    min_paid = _count_setting("min_paid", min_paid)

    if not episodes.attrs.get("diary_validated"):
        episodes = validate_episodes(episodes)
    notes = list(episodes.attrs.get("diary_notes", []))
    frame = episodes

    codes, uniques = pd.factorize(frame["actor"], sort=True)
    names_all = np.asarray(uniques, dtype=object)
    A = len(names_all)
    codes = codes.astype(np.int64)

    K, N, cell_of = _counts(frame, codes, A)

    # Which behaviours can be analysed in this diary.
    weights = np.array([w for _, _, _, w in BEHAVIOURS], dtype=float)
    present = {
        "follow_through": "followed_through" in frame,
        "boundary": "boundary_respected" in frame,
    }
    for i, (name, lo, hi, _) in enumerate(BEHAVIOURS):
        if i == 0:
            continue
        if not present[name]:
            weights[i] = 0.0
            col = "followed_through" if name == "follow_through" else "boundary_respected"
            notes.append(f"no '{col}' column: {name.replace('_', '-')} is left out of the analysis")
        elif N[:, lo].sum() == 0 or N[:, hi].sum() == 0:
            weights[i] = 0.0
            notes.append(
                f"{name.replace('_', '-')} left out of the conditional share: the diary has no "
                f"{'unwatched' if N[:, lo].sum() == 0 else 'watched'} episodes of it"
            )
    if N[:, _R0].sum() == 0 or N[:, _R1].sum() == 0:
        notes.append(
            "the diary has no episode "
            + ("without audience or benefit" if N[:, _R0].sum() == 0 else "with audience or benefit")
            + ": responding cannot be compared across contexts, so the conditional share rests "
            "on the prior and on the other behaviours"
        )
    weights = weights / weights.sum()
    if "threat" not in frame:
        notes.append("no 'threat' column: withdrawal under threat is not analysed")
    for col in ("accuracy", "warmth"):
        if col not in frame:
            notes.append(f"no '{col}' column: the {col} index is not analysed")
    if "t" not in frame:
        notes.append("no 't' column: consistency over time uses the order of the episodes")

    if prior is None:
        if pool and A >= MIN_POOL:
            prior = fit_prior(K, N)
            notes.append(
                f"prior pooled across {A} actors: a mixture of {len(prior.weights)} "
                "latent pattern(s) fitted to this diary (empirical Bayes)"
            )
        else:
            prior = MixturePrior.uniform()
            why = "pooling switched off" if not pool else f"fewer than {MIN_POOL} actors"
            notes.append(f"no pooling ({why}): every rate has a uniform Beta(1, 1) prior")

    # Actors with the same counts share a posterior: compute it once per distinct row.
    uniq, inverse = _unique_rows(K, N)
    post = _posterior(uniq[:, : len(CELLS)], uniq[:, len(CELLS) :], prior)
    p_cond = p_share_above(post, weights, delta)[inverse]
    # Strength of the record itself: posterior odds over prior odds (Bayes factor).
    log_odds = log_odds_share_above(post, weights, delta)[inverse]
    empty = np.zeros((1, len(CELLS)))
    prior_log_odds = float(log_odds_share_above(_posterior(empty, empty, prior), weights, delta)[0])
    log_bf = log_odds - prior_log_odds
    strong = np.log(min_bayes_factor)

    cols: dict[str, Any] = {}

    def put(name: str, triple: tuple[np.ndarray, ...], valid: bool = True) -> None:
        for suffix, arr in zip(("mean", "lo", "hi"), triple, strict=True):
            arr = np.asarray(arr, dtype=float)[inverse]
            if not valid:
                arr[:] = np.nan
            cols[f"{name}_{suffix}"] = arr

    put("conditionality", _share_summary(post, weights))
    for i, (name, _, _, _) in enumerate(BEHAVIOURS):
        single = np.zeros(len(BEHAVIOURS))
        single[i] = 1.0
        put(f"conditionality_{name}", _share_summary(post, single), valid=bool(weights[i] > 0))
    put(
        "withdrawal_under_threat",
        _linear_summary(post, {_R0: 0.5, _R1: 0.5, _R0T: -0.5, _R1T: -0.5}, -1.0, 1.0),
        valid="threat" in frame,
    )
    consistency = _consistency(*_halves(frame, codes, A))
    for suffix, arr in zip(("mean", "lo", "hi"), consistency, strict=True):
        cols[f"consistency_{suffix}"] = np.asarray(arr, dtype=float)
    for col in ("accuracy", "warmth"):
        if col in frame:
            triple = _normal_means(codes, frame[col].to_numpy(dtype=float, na_value=np.nan), A)
        else:
            triple = (np.full(A, np.nan),) * 3
        for suffix, arr in zip(("mean", "lo", "hi"), triple, strict=True):
            cols[f"{col}_{suffix}"] = np.asarray(arr, dtype=float)
    put(
        "follow_through",
        _linear_summary(post, {_F0: 0.5, _F1: 0.5}, 0.0, 1.0),
        valid=present["follow_through"],
    )
    put("boundary_unobserved", _cell_summary(post, _B0), valid=present["boundary"])
    put("response_unpaid", _cell_summary(post, _R0))
    put("response_paid", _cell_summary(post, _R1))

    n_unpaid = (N[:, _R0] + N[:, _R0T]).astype(np.int64)
    n_paid = (N[:, _R1] + N[:, _R1T]).astype(np.int64)
    enough = (n_unpaid >= min_unpaid) & (n_paid >= min_paid)
    verdict = np.where(
        (p_cond >= conditional_at) & (log_bf >= strong),
        "conditional",
        np.where(
            (p_cond <= genuine_at) & (log_bf <= -strong) & (cols["response_unpaid_mean"] >= care_floor),
            "genuine",
            "uncertain",
        ),
    )
    held_back = ~enough & (verdict != "uncertain")
    verdict[~enough] = "uncertain"
    undecided = verdict == "uncertain"
    n_ep = np.bincount(codes, minlength=A)
    # Notes explain an `uncertain` verdict; none of them is ever attached to a definite one.
    note = np.full(A, "", dtype=object)
    need = (
        f"at least {min_unpaid} of each"
        if min_unpaid == min_paid
        else f"at least {min_unpaid} unpaid and {min_paid} paid"
    )
    thin = np.flatnonzero(~enough)
    pairs, which = np.unique(np.column_stack([n_unpaid[thin], n_paid[thin]]), axis=0, return_inverse=True)
    texts = np.array(
        [
            f"too few episodes for a verdict: {u} unpaid and {q} paid moments recorded; "
            f"a verdict needs {need}"
            for u, q in pairs
        ]
        + [""],
        dtype=object,
    )
    note[thin] = texts[which.reshape(-1)]
    rare_unpaid = cols["response_unpaid_mean"] < care_floor
    little_care = undecided & enough & rare_unpaid & (cols["response_paid_mean"] < care_floor)
    note[little_care] = (
        "care is rare in every context: the record cannot show whether it depends on "
        "the payoff, and there is too little of it to call it genuine"
    )
    few = undecided & enough & ~little_care & (n_ep < 10)
    note[few] = "few episodes: the record can say little yet"
    weak = undecided & enough & (np.abs(log_bf) < strong) & ~little_care & ~few
    decided_by_p = (p_cond >= conditional_at) | (p_cond <= genuine_at)
    note[weak & decided_by_p] = (
        "the probability leans one way mostly because of the prior: the record itself is not "
        "strong evidence yet"
    )
    if (~enough).any():
        notes.append(
            f"minimum-evidence rule: {int((~enough).sum())} of the diary's {A} actors have fewer than "
            f"{min_unpaid} unpaid or {min_paid} paid moments of responding and get no verdict; for "
            f"{int(held_back.sum())} of them the probability alone would have given one"
        )

    table = pd.DataFrame(
        {
            "actor": names_all,
            "n_episodes": n_ep,
            "n_unpaid": n_unpaid,
            "n_paid": n_paid,
            "p_conditional": p_cond,
            "log10_bayes_factor": log_bf / np.log(10.0),
            "verdict": verdict,
            "note": note,
            **cols,
        }
    )

    if evidence_per_actor > 0:
        influence = _influence(K, N, prior, weights, delta, log_odds)
    else:
        influence = np.zeros((A, len(CELLS), 2))
    evidence = _evidence(frame, codes, cell_of, influence, names_all, evidence_per_actor)

    if actors is not None:
        wanted = _match_actors(actors, names_all)
        table = table[table["actor"].isin(wanted)]
        evidence = evidence[evidence["actor"].isin(wanted)]
    table = table.reset_index(drop=True)
    evidence = evidence.reset_index(drop=True)

    settings = {
        "delta": delta,
        "conditional_at": conditional_at,
        "genuine_at": genuine_at,
        "care_floor": care_floor,
        "min_bayes_factor": min_bayes_factor,
        "min_unpaid": min_unpaid,
        "min_paid": min_paid,
        "prior_p_conditional": round(float(1.0 / (1.0 + np.exp(-prior_log_odds))), 4),
        "credible_mass": CRED,
        "behaviour_weights": {b[0]: round(float(w), 4) for b, w in zip(BEHAVIOURS, weights, strict=True)},
        "min_actors_to_pool": MIN_POOL,
        "prior": prior.describe(),
    }
    return RecognitionResult(table, evidence, notes, settings)


def _count_setting(name: str, value: Any) -> int:
    """A minimum count of episodes: a non-negative integer (bools refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise EmpathicaInputError(
            f"{name} must be a non-negative integer (a number of episodes), got {value!r}"
        )
    return int(value)


def _match_actors(wanted: list[Any], names: np.ndarray) -> list[Any]:
    by_text = {str(n): n for n in names}
    known = set(names.tolist())
    out = []
    for w in wanted:
        if w in known:
            out.append(w)
        elif str(w) in by_text:
            out.append(by_text[str(w)])
        else:
            raise UnknownActorError(
                f"no actor {w!r} in the diary; actors: "
                + ", ".join(sorted(map(str, names))[:20])
                + (" ..." if len(names) > 20 else "")
            )
    return out


# ------------------------------------------------------ synthetic diaries (validation)

#: Motive mixes of the synthetic generator.
SYNTHETIC_GROUPS: tuple[str, ...] = ("genuine", "strategic", "mixed", "defensive")


def true_share(rates: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """The conditional share S from true cell rates (..., 8)."""
    w = np.array([b[3] for b in BEHAVIOURS]) if weights is None else np.asarray(weights)
    num = sum(
        wb * (rates[..., hi] - rates[..., lo]) for (_, lo, hi, _), wb in zip(BEHAVIOURS, w, strict=True)
    )
    den = sum(wb * rates[..., hi] for (_, _, hi, _), wb in zip(BEHAVIOURS, w, strict=True))
    return num / den


def synthetic_rates(group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """True cell rates (n, 8) for actors of the given synthetic groups."""
    n = len(group)
    u = rng.random
    # Genuine care: about the same whatever the reward.
    g = np.empty((n, 8))
    base = rng.beta(6, 3, n)
    g[:, _R0] = base
    g[:, _R1] = np.minimum(base + u(n) * 0.12, 0.99)
    keep = 0.8 + 0.2 * u(n)
    g[:, _R0T] = g[:, _R0] * keep
    g[:, _R1T] = g[:, _R1] * keep
    ft = rng.beta(18, 2, n)
    g[:, _F0] = ft
    g[:, _F1] = np.minimum(ft + 0.05 * u(n), 0.99)
    bd = rng.beta(25, 1.5, n)
    g[:, _B0] = bd
    g[:, _B1] = np.minimum(bd + 0.03 * u(n), 0.995)
    # Strategic empathy: appears when it pays.
    s = np.empty((n, 8))
    paid = rng.beta(8, 2, n)
    s[:, _R1] = paid
    s[:, _R0] = paid * 0.3 * u(n)
    drop = 0.1 + 0.4 * u(n)
    s[:, _R0T] = s[:, _R0] * drop
    s[:, _R1T] = s[:, _R1] * drop
    s[:, _F1] = rng.beta(17, 3, n)
    s[:, _F0] = s[:, _F1] * (0.2 + 0.3 * u(n))
    s[:, _B1] = rng.beta(18, 1.5, n)
    s[:, _B0] = s[:, _B1] * (0.4 + 0.3 * u(n))
    lam = np.select(
        [group == "genuine", group == "strategic", group == "mixed"],
        [np.zeros(n), np.ones(n), u(n)],
        default=np.zeros(n),
    )
    rates = (1 - lam)[:, None] * g + lam[:, None] * s
    defensive = group == "defensive"
    rates[defensive, _R0T] = rates[defensive, _R0] * (0.05 + 0.25 * u(int(defensive.sum())))
    rates[defensive, _R1T] = rates[defensive, _R1T] * (0.05 + 0.25 * u(int(defensive.sum())))
    return np.clip(rates, 0.001, 0.999)


def synthetic_diary(
    n_actors: int = 200,
    episodes: int = 50,
    groups: tuple[str, ...] = SYNTHETIC_GROUPS,
    seed: int = 0,
    flag_noise: float = 0.0,
    outcome_noise: float = 0.0,
) -> pd.DataFrame:
    """A diary from a known per-actor rate structure (for validation and tests).

    Not the simulator: every actor has fixed true rates for the eight cells,
    drawn by group (``genuine``, ``strategic``, ``mixed``, ``defensive``), and
    contexts are drawn independently (audience 0.30, benefit 0.25, threat 0.15,
    boundary request 0.15, perspective prompt 0.10). ``flag_noise`` flips each
    recorded context flag and ``outcome_noise`` each recorded outcome with that
    probability (misremembering). Hidden columns: ``true_group``,
    ``true_share`` (the exact conditional share), ``true_conditional``
    (``true_share > 0.5``) and the eight true rates ``true_rate_<cell>``.
    """
    rng = np.random.default_rng(seed)
    group = np.array(groups, dtype=object)[np.arange(n_actors) % len(groups)]
    rates = synthetic_rates(group, rng)
    share = true_share(rates)
    n = n_actors * episodes
    actor = np.repeat(np.arange(n_actors), episodes)
    t = np.tile(np.arange(episodes), n_actors)
    audience = rng.random(n) < 0.30
    benefit = rng.random(n) < 0.25
    threat = rng.random(n) < 0.15
    boundary = rng.random(n) < 0.15
    prompt = rng.random(n) < 0.10
    paid = audience | benefit
    rc = paid.astype(int) + 2 * threat.astype(int)
    responded = rng.random(n) < rates[actor, rc]
    committed = responded & (rng.random(n) < 0.45)
    followed = rng.random(n) < rates[actor, _F0 + audience.astype(int)]
    respected = rng.random(n) < rates[actor, _B0 + audience.astype(int)]
    acc_level = np.where(group == "strategic", 0.62, 0.70)[actor]
    accuracy = np.clip(acc_level + 0.15 * rng.standard_normal(n), 0, 1).round(3)
    warmth = np.clip(0.6 + 0.15 * rng.standard_normal(n), 0, 1).round(3)

    def flip(x: np.ndarray, p: float) -> np.ndarray:
        return x ^ (rng.random(len(x)) < p) if p > 0 else x

    audience, benefit, threat, boundary = (flip(x, flag_noise) for x in (audience, benefit, threat, boundary))
    responded = flip(responded, outcome_noise)
    committed = committed & responded
    followed = flip(followed, outcome_noise)
    respected = flip(respected, outcome_noise)
    needs = np.array(["physical_pain", "social_pain", "sadness", "fear", "anger", "good_news"])
    frame = pd.DataFrame(
        {
            "episode": np.arange(1, n + 1),
            "t": t,
            "dyad": actor,
            "actor": actor,
            "target": actor + n_actors,
            "need": needs[rng.integers(0, 6, n)],
            "intensity": rng.random(n).round(3),
            "audience": audience,
            "benefit": benefit,
            "threat": threat,
            "boundary_asked": boundary,
            "perspective_prompt": prompt,
            "responded": responded,
            "accuracy": np.where(responded, accuracy, np.nan),
            "warmth": np.where(responded, warmth, np.nan),
            "committed": committed,
            "followed_through": pd.array(np.where(committed, followed, None), dtype="boolean"),
            "boundary_respected": pd.array(np.where(boundary, respected, None), dtype="boolean"),
            "true_group": group[actor],
            "true_share": share[actor],
            "true_conditional": share[actor] > DELTA,
        }
    )
    for k, cell in enumerate(CELLS):
        frame[f"true_rate_{cell}"] = rates[actor, k]
    return frame
