"""Validation and speed benchmark of ``empathica recognize``.

Usage::

    python benchmarks/recognize_bench.py                  # simulator validation + speed
    python benchmarks/recognize_bench.py --source synthetic
    python benchmarks/recognize_bench.py --quick          # smaller, for a quick look
    python benchmarks/recognize_bench.py --only speed

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
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from empathica import recognize as rec
from empathica.diary import read_diary

EPISODES = (5, 10, 20, 50, 100, 200)
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
    from empathica.profiles import builtin_profiles
    from empathica.traits import TRAIT_NAMES

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


def synthetic_diaries(per_group: int, seed: int) -> tuple[pd.DataFrame, Truth]:
    d = rec.synthetic_diary(per_group * len(GROUPS), max(EPISODES), seed=seed)
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


def validation(source: str, seeds: list[int], per_group: int, quick: bool) -> None:
    populations = []
    t0 = time.perf_counter()
    for seed in seeds:
        if source == "simulator":
            replicates, diary_reps, days = (10, 5, 700) if quick else (16, 6, 1000)
            populations.append(sim_diaries(per_group, replicates, diary_reps, days, seed))
        else:
            populations.append(synthetic_diaries(per_group, seed))
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
    ap.add_argument("--only", choices=("validation", "speed"), default=None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seeds", type=int, default=None, help="number of populations")
    ap.add_argument("--per-group", type=int, default=None)
    args = ap.parse_args(argv)
    n_seeds = args.seeds or (1 if args.quick else 3)
    per_group = args.per_group or (60 if args.quick else 100)
    if args.only in (None, "validation"):
        validation(args.source, list(range(1, n_seeds + 1)), per_group, args.quick)
    if args.only in (None, "speed"):
        speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
