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

Here: the ``recognize`` function, its result, the verdict thresholds and the
minimum-evidence rule. The parts of the model live in their own modules:
:mod:`~empathica.recognize.counts` (cells and counting),
:mod:`~empathica.recognize.prior` (the pooled prior, EM),
:mod:`~empathica.recognize.posterior` (posteriors and their summaries),
:mod:`~empathica.recognize.submodels` (consistency, accuracy, warmth),
:mod:`~empathica.recognize.evidence` (the evidence episodes) and
:mod:`~empathica.recognize.synthetic` (synthetic diaries for validation); their
public names are importable from here too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from empathica.errors import EmpathicaInputError
from empathica.recognize.counts import (
    _B0,
    _F0,
    _F1,
    _R0,
    _R0T,
    _R1,
    _R1T,
    BEHAVIOURS,
    CELLS,
    DELTA,
    _counts,
    _halves,
    _unique_rows,
)
from empathica.recognize.evidence import _evidence, _influence
from empathica.recognize.posterior import (
    CRED,
    _cell_summary,
    _linear_summary,
    _posterior,
    _share_summary,
    log_odds_share_above,
    p_share_above,
)
from empathica.recognize.prior import (
    MAX_COMPONENTS,
    MAX_FIT_ACTORS,
    MIN_POOL,
    PSEUDO_ACTORS,
    MixturePrior,
    fit_prior,
)
from empathica.recognize.submodels import _consistency, _normal_means
from empathica.recognize.synthetic import SYNTHETIC_GROUPS, synthetic_diary, synthetic_rates, true_share

__all__ = [
    "BEHAVIOURS",
    "CARE_FLOOR",
    "CELLS",
    "CONDITIONAL_AT",
    "CRED",
    "DELTA",
    "GENUINE_AT",
    "INDEX_HELP",
    "INDICES",
    "MAX_COMPONENTS",
    "MAX_FIT_ACTORS",
    "MIN_BAYES_FACTOR",
    "MIN_PAID",
    "MIN_POOL",
    "MIN_UNPAID",
    "PSEUDO_ACTORS",
    "SYNTHETIC_GROUPS",
    "MixturePrior",
    "RecognitionResult",
    "UnknownActorError",
    "fit_prior",
    "log_odds_share_above",
    "p_share_above",
    "recognize",
    "synthetic_diary",
    "synthetic_rates",
    "true_share",
]


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


# --------------------------------------------------------------------- the function


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
