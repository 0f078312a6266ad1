"""Validation and speed benchmark of ``empathica recognize``.

Usage::

    python benchmarks/recognize_bench.py                  # simulator validation + speed
    python benchmarks/recognize_bench.py --source synthetic
    python benchmarks/recognize_bench.py --quick          # smaller, for a quick look
    python benchmarks/recognize_bench.py --only speed
    python benchmarks/recognize_bench.py --only evidence-rule   # the minimum-evidence table

Validation design (simulator)
-----------------------------
Agents of four known motive mixes are drawn as custom profiles (traits around
the article profiles, ``spread=0`` so that every replicate of an agent is the same
person):

* ``genuine``   - the ``secure`` profile, each trait jittered (SD 0.05);
* ``strategic`` - the ``npd`` profile, jittered;
* ``mixed``     - a blend ``(1 - l) * secure + l * npd`` with ``l ~ U(0.2, 0.8)``, jittered;
* ``defensive`` - ``secure`` with a very fragile self-image (``self_image_fragility``
  0.85-0.99): withdraws under criticism without caring about audience or gain.

Every agent is paired with a ``secure`` partner in ``replicates`` independent dyads.
The diary of an agent is the concatenation of its first ``diary_replicates``
relationships (one after the other, as successive relationships of one person),
cut to the first n episodes. Its ground truth is computed on the *other*
replicates (never seen by the recognizer): the long-run conditional share S of
that same agent, and the label ``S > 0.5``. ``p_conditional`` is calibrated if,
among diaries given p, a fraction p are truly conditional.

Metrics per number of episodes n: accuracy separating genuine from strategic
agents (rule p >= 0.5, and the verdicts: share decided, accuracy of decided),
AUC (genuine vs strategic, and all agents vs the truth label), expected
calibration error of p_conditional against the truth label (10 equal-width bins,
all four groups), and coverage of the 90% interval of the conditionality index.

Robustness: the same diaries recorded with noise (context flags flipped with
probability 0.1, outcomes with 0.05), selectively (episodes without a response
recorded only 60% of the time), with optional columns missing, and analysed
actor by actor without pooling.

Minimum evidence for a verdict (``--only evidence-rule``)
---------------------------------------------------------
Verdict quality as a function of how many paid and unpaid moments of responding a
record holds, for both sources (simulator and synthetic generator, same seeds and
agents per group). Every agent's record is cut into consecutive, disjoint pieces,
each piece analysed as the record of a separate actor with the agent's truth:

* ``random lengths``: 20 pieces per agent, lengths drawn uniformly from 1-60;
* ``thin pool``: 5 such pieces per agent plus 100 pieces of one or two episodes
  (half each), so that about 95% of the actors, and of the actors the pooled prior
  is fitted to, have a thin record.

Actors are bucketed by min(n_unpaid, n_paid). Per bucket: actors, share decided
under the old rule (no minimum), error rate among those verdicts (``genuine`` for
an actor whose truth label is conditional or vice versa, all four groups), ECE of
p_conditional against the truth label, and share decided under the rule in force.
Then the criterion (fixed before measuring, see docs/recognize.md): the smallest
minimum m from which every bucket has an error rate among decided verdicts of at
most 1%, per scenario; and the verdicts on a diary of one episode per actor.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from empathica.recognize import recognizer as rec
from empathica.recognize.diary import read_diary

EPISODES = (5, 10, 20, 30, 40, 50, 100, 200)
GROUPS = ("genuine", "strategic", "mixed", "defensive")
OBSERVED = (
    "episode", "t", "dyad", "actor", "target", "need", "intensity", "audience", "benefit",
    "threat", "boundary_asked", "perspective_prompt", "responded", "accuracy", "warmth",
    "committed", "followed_through", "boundary_respected",
)  # fmt: skip


# ----------------------------------------------------------------------------- metrics


def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error with equal-width bins."""
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.mean() * abs(p[m].mean() - y[m].mean())
    return float(total)


def auc(score: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import rankdata

    y = y.astype(bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = rankdata(score)
    return float((r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


@dataclass
class Scored:
    n: int
    p: np.ndarray
    verdict: np.ndarray
    group: np.ndarray
    truth: np.ndarray  # long-run S > 0.5, S over all three behaviours
    share: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    own: np.ndarray  # long-run S > 0.5, S over the behaviours the diary records


def metrics(s: Scored) -> dict[str, float]:
    gs = np.isin(s.group, ["genuine", "strategic"])
    strategic = s.group[gs] == "strategic"
    p, v = s.p[gs], s.verdict[gs]
    decided = v != "uncertain"
    correct_dec = (v[decided] == "conditional") == strategic[decided]
    return {
        "n": s.n,
        "actors": len(s.p),
        "accuracy": float(((p >= 0.5) == strategic).mean()),
        "auc": auc(p, strategic),
        "decided": float(decided.mean()),
        "acc_decided": float(correct_dec.mean()) if decided.any() else float("nan"),
        "acc_vs_truth": float(((s.p >= 0.5) == s.truth).mean()),
        "auc_vs_truth": auc(s.p, s.truth),
        "ece": ece(s.p, s.truth),
        "ece_own": ece(s.p, s.own),
        "coverage90": float(((s.share >= s.lo) & (s.share <= s.hi)).mean()),
        "truth_rate": float(s.truth.mean()),
    }


def score(diary: pd.DataFrame, truth: Truth, n: int, **kwargs) -> Scored:
    result = rec.recognize(diary, evidence_per_actor=0, **kwargs)
    a = result.actors.merge(truth.table, on="actor", how="inner")
    weights = np.array(list(result.settings["behaviour_weights"].values()))
    merged = "threat" not in diary.columns
    rates = truth.rates_merged if merged else truth.rates
    own = rec.true_share(rates, weights)[a["index"].to_numpy()]
    return Scored(
        n,
        a["p_conditional"].to_numpy(),
        a["verdict"].to_numpy(),
        a["group"].to_numpy(),
        a["share"].to_numpy() > rec.DELTA,
        a["share"].to_numpy(),
        a["conditionality_lo"].to_numpy(),
        a["conditionality_hi"].to_numpy(),
        own > rec.DELTA,
    )


def pooled(scores: list[Scored]) -> Scored:
    cat = np.concatenate
    return Scored(
        scores[0].n,
        cat([s.p for s in scores]),
        cat([s.verdict for s in scores]),
        cat([s.group for s in scores]),
        cat([s.truth for s in scores]),
        cat([s.share for s in scores]),
        cat([s.lo for s in scores]),
        cat([s.hi for s in scores]),
        cat([s.own for s in scores]),
    )


# ------------------------------------------------------------------- simulated agents


def make_agents(per_group: int, rng: np.random.Generator):
    """Custom profiles (one per agent) and their groups."""
    from empathica.model.profiles import builtin_profiles
    from empathica.model.traits import TRAIT_NAMES

    base = builtin_profiles()
    secure, npd = base["secure"].means(), base["npd"].means()
    fragility = TRAIT_NAMES.index("self_image_fragility")
    profiles, groups = [], []
    for group in GROUPS:
        for i in range(per_group):
            if group == "strategic":
                mean = npd.copy()
            elif group == "mixed":
                lam = rng.uniform(0.2, 0.8)
                mean = (1 - lam) * secure + lam * npd
            else:
                mean = secure.copy()
            values = np.clip(mean + 0.05 * rng.standard_normal(len(mean)), 0.01, 0.99)
            if group == "defensive":
                values[fragility] = rng.uniform(0.85, 0.99)
            traits = dict(zip(TRAIT_NAMES, map(float, values), strict=True))
            prof = base["secure"].with_traits(**traits)
            prof = prof.model_copy(update={"name": f"{group}_{i}", "description": group})
            profiles.append(prof)
            groups.append(group)
    return profiles, np.array(groups)


def simulate_population(
    per_group: int, replicates: int, days: int, seed: int, batch: int = 60
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Episodes of the focal agents, with the replicate of each, and the agent table.

    Agents are simulated in batches (a run keeps its profile count small), each
    batch with its own seed so that batches share no random numbers.
    """
    import empathica

    rng = np.random.default_rng(seed)
    profiles, groups = make_agents(per_group, rng)
    frames = []
    for start in range(0, len(profiles), batch):
        chunk = profiles[start : start + batch]
        res = empathica.simulate(
            pairs=[(p, "secure") for p in chunk],
            dyads=replicates,
            days=days,
            seed=seed * 100_003 + start,
            spread=0.0,
            trajectories=False,
        )
        ep = res.episodes
        dyad = ep["dyad"].to_numpy()
        # Dyads are laid out pair by pair: dyad // replicates is the agent, side 0 is focal.
        focal = ep["actor"].to_numpy() == 2 * dyad
        ep = ep.loc[focal, list(OBSERVED)].copy()
        ep["agent"] = start + dyad[focal] // replicates
        ep["replicate"] = dyad[focal] % replicates
        ep["episode"] = ep["episode"].to_numpy() + start * 10_000_000
        frames.append(ep)
    ep = pd.concat(frames, ignore_index=True)
    names = np.array([p.name for p in profiles])
    return ep, pd.DataFrame({"agent": np.arange(len(profiles)), "group": groups, "name": names})


@dataclass
class Truth:
    """Per-actor truth: table (actor, group, share, index) and long-run cell rates."""

    table: pd.DataFrame
    rates: np.ndarray  # (actors, 8) cell rates, threat kept apart
    rates_merged: np.ndarray  # the same with threat and non-threat episodes merged


def cell_rates(ep: pd.DataFrame, codes: np.ndarray, n_actors: int, merge_threat: bool):
    if merge_threat:
        ep = ep.drop(columns=["threat"])
    K, N, _ = rec._counts(ep, codes, n_actors)
    return K / np.maximum(N, 1)


def sim_diaries(
    per_group: int, replicates: int, diary_replicates: int, days: int, seed: int
) -> tuple[pd.DataFrame, Truth]:
    """All agents' diaries (full length) and their truth from held-out relationships."""
    ep, agents = simulate_population(per_group, replicates, days, seed)
    held_out = ep[ep["replicate"] >= diary_replicates]
    codes = held_out["agent"].to_numpy().astype(np.int64)
    rates = cell_rates(held_out, codes, len(agents), False)
    merged = cell_rates(held_out, codes, len(agents), True)
    d = ep[ep["replicate"] < diary_replicates].copy()
    d["t"] = d["t"].to_numpy() + d["replicate"].to_numpy() * days
    d = d.sort_values(["agent", "t", "episode"], kind="stable")
    d["actor"] = d["agent"]
    table = pd.DataFrame(
        {
            "actor": agents["agent"],
            "group": agents["group"],
            "share": rec.true_share(rates),
            "index": np.arange(len(agents)),
        }
    )
    return d, Truth(table, rates, merged)


def truncate(diary: pd.DataFrame, n: int) -> pd.DataFrame:
    """First n episodes of every actor with at least n episodes."""
    rank = diary.groupby("actor", sort=False).cumcount().to_numpy()
    counts = diary.groupby("actor", sort=False)["actor"].transform("size").to_numpy()
    out = diary.loc[(rank < n) & (counts >= n), list(OBSERVED)].copy()
    out.attrs = {}
    return out.reset_index(drop=True)


# ------------------------------------------------------------------------ synthetic


def synthetic_diaries(per_group: int, seed: int, episodes: int = max(EPISODES)) -> tuple[pd.DataFrame, Truth]:
    d = rec.synthetic_diary(per_group * len(GROUPS), episodes, seed=seed)
    first = d.groupby("actor", sort=True).first()
    rates = first[[f"true_rate_{c}" for c in rec.CELLS]].to_numpy()
    # Merging threat episodes: weights of the context frequencies (threat 0.15).
    merged = rates.copy()
    merged[:, 0] = 0.85 * rates[:, 0] + 0.15 * rates[:, 2]
    merged[:, 1] = 0.85 * rates[:, 1] + 0.15 * rates[:, 3]
    table = pd.DataFrame(
        {
            "actor": first.index.to_numpy(),
            "group": first["true_group"].to_numpy(),
            "share": first["true_share"].to_numpy(),
            "index": np.arange(len(first)),
        }
    )
    return d, Truth(table, rates, merged)


# ------------------------------------------------------------------------- variants


def noisy(diary: pd.DataFrame, seed: int, flag: float = 0.10, outcome: float = 0.05):
    """Misremembered diary: flags and outcomes flipped at random."""
    rng = np.random.default_rng(seed)
    d = diary.copy()
    n = len(d)
    for col in ("audience", "benefit", "threat"):
        d[col] = d[col].to_numpy() ^ (rng.random(n) < flag)
    responded = d["responded"].to_numpy() ^ (rng.random(n) < outcome)
    d["responded"] = responded
    d["committed"] = d["committed"].to_numpy() & responded
    d.loc[~responded, ["accuracy", "warmth"]] = np.nan
    for col in ("followed_through", "boundary_respected"):
        x = d[col].astype("boolean")
        flip = pd.array(rng.random(n) < outcome, dtype="boolean")
        d[col] = x ^ flip
    ft = d["followed_through"].copy()
    ft[~d["committed"].to_numpy()] = pd.NA
    d["followed_through"] = ft
    return d


def selective(diary: pd.DataFrame, seed: int, keep_dull: float = 0.6) -> pd.DataFrame:
    """Episodes without a response are recorded only part of the time."""
    rng = np.random.default_rng(seed)
    keep = diary["responded"].to_numpy() | (rng.random(len(diary)) < keep_dull)
    return diary.loc[keep].reset_index(drop=True)


VARIANTS = {
    "clean": lambda d, s: d,
    "noisy recording": noisy,
    "selective recording": selective,
    "responding only": lambda d, s: d.drop(
        columns=["committed", "followed_through", "boundary_asked", "boundary_respected"]
    ),
    "no threat, no t": lambda d, s: d.drop(columns=["threat", "t"]),
}


# ------------------------------------------------------------------------------ runs


def fmt_table(rows: list[dict[str, float]], columns: list[str]) -> str:
    head = "| " + " | ".join(columns) + " |"
    rule = "|" + "|".join("---:" for _ in columns) + "|"
    lines = [head, rule]
    for r in rows:
        cells = []
        for c in columns:
            v = r[c]
            if isinstance(v, (int, np.integer, str)):
                cells.append(str(v))
            elif isinstance(v, float) and np.isnan(v):
                cells.append("-")
            else:
                cells.append(f"{v:.3f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


MAIN_COLUMNS = [
    "n", "actors", "accuracy", "auc", "decided", "acc_decided", "auc_vs_truth", "ece",
    "coverage90",
]  # fmt: skip
OWN_COLUMNS = ["n", "accuracy", "decided", "acc_decided", "auc_vs_truth", "ece", "ece_own"]


def reliability(scores: list[Scored]) -> None:
    p = np.concatenate([s.p for s in scores])
    y = np.concatenate([s.truth for s in scores])
    print(f"\nECE over all n pooled: {ece(p, y):.3f}")
    print("\nReliability (all n pooled): bin | diaries | mean p | share truly conditional")
    idx = np.minimum((p * 10).astype(int), 9)
    for b in range(10):
        m = idx == b
        if m.any():
            print(
                f"  {b / 10:.1f}-{(b + 1) / 10:.1f} | {int(m.sum()):5d} | "
                f"{p[m].mean():.3f} | {y[m].mean():.3f}"
            )


def verdict_table(scores: list[Scored]) -> None:
    print("\nVerdicts by group (share of diaries):\n")
    rows = []
    for s in scores:
        for group in GROUPS:
            m = s.group == group
            if not m.any():
                continue
            v = s.verdict[m]
            rows.append(
                {
                    "n": s.n,
                    "group": group,
                    "genuine": (v == "genuine").mean(),
                    "uncertain": (v == "uncertain").mean(),
                    "conditional": (v == "conditional").mean(),
                    "mean p": s.p[m].mean(),
                }
            )
    print(fmt_table(rows, ["n", "group", "genuine", "uncertain", "conditional", "mean p"]))


def validation(
    source: str, seeds: list[int], per_group: int, quick: bool
) -> list[tuple[pd.DataFrame, Truth]]:
    t0 = time.perf_counter()
    populations = make_populations(source, seeds, per_group, quick, max(EPISODES))
    print(
        f"# data: {source}, {len(seeds)} population(s) of {per_group} agents per group, "
        f"made in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    tables = pd.concat([t.table for _, t in populations])
    print("\nTrue long-run conditional share S by group:\n")
    desc = tables.groupby("group")["share"].describe()
    print(desc[["count", "mean", "std", "min", "50%", "max"]].round(3).to_string())

    for variant, transform in VARIANTS.items():
        if quick and variant not in ("clean", "noisy recording"):
            continue
        rows = []
        per_n = []
        t_var = time.perf_counter()
        for n in EPISODES:
            scores = []
            for i, (diary, truth) in enumerate(populations):
                d = transform(truncate(diary, n), 1000 + i)
                scores.append(score(d, truth, n))
            per_n.append(pooled(scores))
            rows.append(metrics(per_n[-1]))
        print(f"\n## {variant} ({time.perf_counter() - t_var:.1f} s)\n")
        columns = MAIN_COLUMNS if variant == "clean" else OWN_COLUMNS
        print(fmt_table(rows, columns), flush=True)
        if variant == "clean":
            reliability(per_n)
            verdict_table(per_n)

    if not quick:
        rows = []
        for n in EPISODES:
            scores = [score(truncate(d, n), t, n, pool=False) for d, t in populations]
            rows.append(metrics(pooled(scores)))
        print("\n## no pooling (each actor alone, uniform prior)\n")
        print(fmt_table(rows, MAIN_COLUMNS), flush=True)
    return populations


# --------------------------------------------------------- minimum evidence for a verdict

#: Buckets of min(n_unpaid, n_paid): (lowest, highest, label).
BUCKETS = (
    (0, 0, "0"), (1, 1, "1"), (2, 2, "2"), (3, 3, "3"), (4, 4, "4"), (5, 6, "5-6"),
    (7, 9, "7-9"), (10, 14, "10-14"), (15, 10**9, "15+"),
)  # fmt: skip
#: Candidate minimums: the lower edges of the buckets.
CANDIDATES = (1, 2, 3, 4, 5, 7, 10, 15)
TARGET_ERROR = 0.01
PIECES = 20  # random-length pieces per agent
MAX_PIECE = 60
THIN_PIECES = 100  # thin pieces per agent in the thin-pool scenario
THIN_ORDINARY = 5  # random-length pieces per agent in the thin-pool scenario


def cut_records(
    diary: pd.DataFrame, truth: Truth, lengths: dict[int, np.ndarray], kinds: dict[int, np.ndarray]
) -> tuple[pd.DataFrame, Truth]:
    """Cut every agent's record into consecutive pieces of the given lengths.

    Piece j of agent a becomes actor ``a * 1000 + j`` with the agent's truth;
    pieces that do not fit in the record are dropped."""
    actor = diary["actor"].to_numpy()
    order = np.argsort(actor, kind="stable")
    starts = np.searchsorted(actor[order], np.unique(actor))
    ends = np.append(starts[1:], len(order))
    new_actor = np.full(len(diary), -1, dtype=np.int64)
    rows = []
    by_actor = truth.table.set_index("actor")
    for a, lo, hi in zip(np.unique(actor), starts, ends, strict=True):
        bounds = np.concatenate([[0], np.cumsum(lengths[a])])
        fits = bounds[1:] <= hi - lo
        t = by_actor.loc[a]
        for j in np.flatnonzero(fits):
            new_actor[order[lo + bounds[j] : lo + bounds[j + 1]]] = a * 1000 + j
            rows.append((a * 1000 + j, t["group"], t["share"], int(t["index"]), kinds[a][j]))
    keep = new_actor >= 0
    out = diary.loc[keep, list(OBSERVED)].copy()
    out["actor"] = new_actor[keep]
    out.attrs = {}
    table = pd.DataFrame(rows, columns=["actor", "group", "share", "index", "kind"])
    return out.reset_index(drop=True), Truth(table, truth.rates, truth.rates_merged)


def scenario(diary: pd.DataFrame, truth: Truth, name: str, seed: int) -> tuple[pd.DataFrame, Truth]:
    rng = np.random.default_rng(seed)
    lengths, kinds = {}, {}
    for a in np.unique(diary["actor"].to_numpy()):
        if name == "random lengths":
            lengths[a] = rng.integers(1, MAX_PIECE + 1, PIECES)
            kinds[a] = np.array(["ordinary"] * PIECES)
        else:
            thin = rng.integers(1, 3, THIN_PIECES)
            lengths[a] = np.concatenate([rng.integers(1, MAX_PIECE + 1, THIN_ORDINARY), thin])
            kinds[a] = np.array(["ordinary"] * THIN_ORDINARY + ["thin"] * THIN_PIECES)
    return cut_records(diary, truth, lengths, kinds)


def rule_scores(diary: pd.DataFrame, truth: Truth) -> pd.DataFrame:
    """Per actor: counts, p_conditional, the verdict without a minimum, and the truth."""
    result = rec.recognize(diary, evidence_per_actor=0, min_unpaid=0, min_paid=0)
    a = result.actors.merge(truth.table, on="actor", how="inner")
    return pd.DataFrame(
        {
            "n_unpaid": a["n_unpaid"].to_numpy(),
            "n_paid": a["n_paid"].to_numpy(),
            "p": a["p_conditional"].to_numpy(),
            "verdict": a["verdict"].to_numpy(),
            "truth": a["share"].to_numpy() > rec.DELTA,
            "group": a["group"].to_numpy(),
            "kind": a["kind"].to_numpy(),
        }
    )


def bucket_rows(s: pd.DataFrame) -> list[dict[str, float]]:
    low = np.minimum(s["n_unpaid"], s["n_paid"]).to_numpy()
    decided = (s["verdict"] != "uncertain").to_numpy()
    wrong = decided & ((s["verdict"] == "conditional").to_numpy() != s["truth"].to_numpy())
    ok_now = (s["n_unpaid"] >= rec.MIN_UNPAID).to_numpy() & (s["n_paid"] >= rec.MIN_PAID).to_numpy()
    rows = []
    for lo, hi, label in BUCKETS:
        m = (low >= lo) & (low <= hi)
        if not m.any():
            continue
        n_dec = int(decided[m].sum())
        rows.append(
            {
                "min(n_unpaid, n_paid)": label,
                "lo": lo,
                "actors": int(m.sum()),
                "decided_old": float(decided[m].mean()),
                "decided": n_dec,
                "errors": int(wrong[m].sum()),
                "error_rate": float(wrong[m].sum() / n_dec) if n_dec else float("nan"),
                "ece": ece(s["p"].to_numpy()[m], s["truth"].to_numpy()[m]),
                "decided_now": float((decided & ok_now)[m].mean()),
            }
        )
    return rows


def smallest_minimum(rows: list[dict[str, float]]) -> tuple[int | None, bool]:
    """The criterion: the smallest candidate m from which every bucket has an error rate
    among decided verdicts of at most TARGET_ERROR (buckets without verdicts pass). If
    even the longest records are above it (not a thin-record error), a bucket passes when
    it is no worse than the longest records; the second value says so."""
    rate = {r["lo"]: r["error_rate"] for r in rows}
    top = rate.get(BUCKETS[-1][0], float("nan"))
    fallback = bool(top > TARGET_ERROR)
    bar = top if fallback else TARGET_ERROR
    for m in CANDIDATES:
        if all(np.isnan(v) or v <= bar for lo, v in rate.items() if lo >= m):
            return m, fallback
    return None, fallback


RULE_COLUMNS = [
    "min(n_unpaid, n_paid)", "actors", "decided_old", "decided", "errors", "error_rate", "ece",
    "decided_now",
]  # fmt: skip


def evidence_rule(sources: dict[str, list[tuple[pd.DataFrame, Truth]]], one_episode_actors: int) -> None:
    print(
        f"\n# minimum evidence for a verdict (rule in force: at least {rec.MIN_UNPAID} unpaid and "
        f"{rec.MIN_PAID} paid moments)"
    )
    print(
        "decided_old: share of actors with a verdict without any minimum; decided / errors / "
        "error_rate: those verdicts, and how many contradict the truth label; ece: calibration of "
        "p_conditional; decided_now: share with a verdict under the rule in force"
    )
    chosen = []
    for source, populations in sources.items():
        for name in ("random lengths", "thin pool"):
            t0 = time.perf_counter()
            scored = []
            for i, (diary, truth) in enumerate(populations):
                d, t = scenario(diary, truth, name, seed=5000 + i)
                scored.append(rule_scores(d, t))
            s = pd.concat(scored, ignore_index=True)
            rows = bucket_rows(s)
            m, fallback = smallest_minimum(rows)
            chosen.append(m)
            kinds = s["kind"].value_counts().to_dict()
            print(
                f"\n## {source}, {name}: {len(s):,} actors ({kinds.get('ordinary', 0):,} with 1-60 "
                f"episodes, {kinds.get('thin', 0):,} with 1-2) in {len(populations)} diaries "
                f"({time.perf_counter() - t0:.1f} s)\n"
            )
            print(fmt_table(rows, RULE_COLUMNS))
            extra = " (fallback: the longest records are above 1%)" if fallback else ""
            print(f"\nsmallest minimum meeting the criterion: {m}{extra}", flush=True)
    valid = [m for m in chosen if m is not None]
    overall = max(valid) if len(valid) == len(chosen) else None
    print(f"\ncriterion over all scenarios: minimum {overall} (in force: {rec.MIN_UNPAID}, {rec.MIN_PAID})")

    t0 = time.perf_counter()
    d = rec.synthetic_diary(n_actors=one_episode_actors, episodes=1, seed=0)
    old = rec.recognize(d, evidence_per_actor=0, min_unpaid=0, min_paid=0).actors["verdict"]
    now = rec.recognize(d, evidence_per_actor=0).actors["verdict"]
    print(f"\n## one episode per actor ({one_episode_actors:,} actors, {time.perf_counter() - t0:.1f} s)\n")
    print("| rule | genuine | conditional | uncertain |\n|---|---:|---:|---:|")
    for label, v in (("no minimum", old), (f"minimum {rec.MIN_UNPAID}/{rec.MIN_PAID}", now)):
        c = v.value_counts()
        counts = [f"{c.get(k, 0):,}" for k in ("genuine", "conditional", "uncertain")]
        print(f"| {label} | " + " | ".join(counts) + " |")


def make_populations(source: str, seeds: list[int], per_group: int, quick: bool, episodes: int):
    out = []
    for seed in seeds:
        if source == "simulator":
            replicates, diary_reps, days = (10, 5, 700) if quick else (16, 6, 1000)
            out.append(sim_diaries(per_group, replicates, diary_reps, days, seed))
        else:
            out.append(synthetic_diaries(per_group, seed, episodes))
    return out


def speed(n_actors: int = 5000, episodes: int = 200, workdir: Path | None = None) -> None:
    import tempfile

    d = rec.synthetic_diary(n_actors, episodes, seed=7)
    d = d[[c for c in d.columns if not c.startswith("true_")]]
    print(f"\n## speed: {len(d):,} episodes, {n_actors:,} actors\n")
    t = time.perf_counter()
    rec.recognize(d)
    print(f"recognize(DataFrame), including validation: {time.perf_counter() - t:.2f} s")
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for fmt in ("parquet", "csv"):
            path = Path(tmp) / f"diary.{fmt}"
            if fmt == "csv":
                d.to_csv(path, index=False)
            else:
                d.to_parquet(path)
            t = time.perf_counter()
            frame = read_diary(path)
            t_read = time.perf_counter() - t
            rec.recognize(frame)
            total = time.perf_counter() - t
            print(f"{fmt:8s} read {t_read:.2f} s, read + recognize {total:.2f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", choices=("simulator", "synthetic"), default="simulator")
    ap.add_argument("--only", choices=("validation", "evidence-rule", "speed"), default=None)
    ap.add_argument(
        "--one-episode-actors",
        type=int,
        default=None,
        help="actors in the one-episode-per-actor check of the evidence rule",
    )
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seeds", type=int, default=None, help="number of populations")
    ap.add_argument("--per-group", type=int, default=None)
    args = ap.parse_args(argv)
    n_seeds = args.seeds or (1 if args.quick else 3)
    per_group = args.per_group or (60 if args.quick else 100)
    seeds = list(range(1, n_seeds + 1))
    t_start = time.perf_counter()
    sources: dict[str, list[tuple[pd.DataFrame, Truth]]] = {}
    if args.only in (None, "validation"):
        populations = validation(args.source, seeds, per_group, args.quick)
        if args.source == "simulator":
            sources["simulator"] = populations  # records of 6 relationships: long enough to cut
    if args.only in (None, "evidence-rule"):
        t0 = time.perf_counter()
        for source in ("simulator", "synthetic"):
            if source not in sources:
                sources[source] = make_populations(source, seeds, per_group, args.quick, PIECES * MAX_PIECE)
        print(f"\n# evidence-rule data made in {time.perf_counter() - t0:.1f} s", flush=True)
        one = args.one_episode_actors or (50_000 if args.quick else 200_000)
        evidence_rule(sources, one)
    if args.only in (None, "speed"):
        speed()
    print(f"\n# total run time {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
