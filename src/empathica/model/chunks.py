"""Running the kernel on a chunk of dyads: set-up, column buffers, capacity, summary sums.

``kernel`` holds the compiled loop; this module prepares what it reads and receives
what it writes, for ``simulation`` (runs chunk by chunk) and ``step`` (one day).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from empathica.model import params
from empathica.model.kernel import (
    AVO,
    DAY_SUM_COLUMNS,
    EP_BOOL,
    EP_CODES,
    EP_FLOAT,
    EP_INT64,
    N_POLICY,
    STATE_FLOAT,
    STATE_INT,
    SUM_COLUMNS,
    TR_FLOAT,
    TR_INT32,
    initial_state,
    run_dyads,
)
from empathica.model.params import ModelParams
from empathica.model.traits import TRAIT_NAMES


@dataclass
class ChunkArrays:
    """Kernel output of one chunk: episode and trajectory columns as 2-d arrays by dtype
    (rows named by ``EP_*`` / ``TR_*``), trimmed to the rows written, and the final state."""

    n_dyads: int
    n_episodes: int
    ef: np.ndarray
    eb: np.ndarray
    ecodes: np.ndarray
    ei64: np.ndarray
    et: np.ndarray
    tf: np.ndarray | None
    ti: np.ndarray | None
    tb: np.ndarray | None
    td: np.ndarray | None
    tp: np.ndarray | None
    sums: np.ndarray | None = None  # (2 * n_pairs, len(SUM_COLUMNS)) if asked for
    day_sums: np.ndarray | None = None  # (n_pairs, len(DAY_SUM_COLUMNS)) if asked for
    state: tuple[np.ndarray, np.ndarray] | None = None  # (STATE_FLOAT rows, STATE_INT rows)


def record_days(first_day: int, n_days: int, record_every: int) -> int:
    last = first_day + n_days - 1
    return sum(1 for day in range(first_day, last + 1) if (day + 1) % record_every == 0 or day == last)


def expected_episodes(su: Setup, days: int, lo: int = 0) -> float:
    """Mean number of episodes of dyads ``lo..`` if they stayed together every day, from their
    profiles' mean avoidance (a buffer estimate; a chunk that needs more grows its buffers)."""
    ctx, rel = su.C.context, su.C.relationship
    if su.traits.shape[2]:
        avo = su.traits[AVO, :, lo:]
    else:
        codes = su.pair_codes[su.dyad_ids[lo:] // su.dyads_per_pair].T  # (2, n)
        avo = su.table[codes, AVO]
    rate = ctx.episode_rate * (1.0 - rel.distancing * 0.5 * (avo[0] + avo[1]))
    return float(days * np.minimum(rate, ctx.max_episodes_per_day).sum())


class Buffers:
    """Reusable column memory for chunks: each call returns views of arrays at least that
    large, grown as needed (fresh memory costs a page fault per 4 KiB on first touch, so a
    run that reuses its buffers writes its logs faster)."""

    def __init__(self, reuse: bool = False) -> None:
        self.reuse = reuse
        self._episode = None
        self._trajectory = None

    def episodes(self, capacity: int):
        if not self.reuse:
            return _episode_buffers(capacity)
        if self._episode is None or self._episode[0].shape[1] < capacity:
            self._episode = _episode_buffers(capacity)
        return tuple(x[..., :capacity] for x in self._episode)

    def trajectories(self, rows: int):
        if not self.reuse:
            return _trajectory_buffers(rows)
        if self._trajectory is None or self._trajectory[2].shape[0] < rows:
            self._trajectory = _trajectory_buffers(rows)
        return tuple(x[..., :rows] for x in self._trajectory)


def _trajectory_buffers(rows: int):
    return (
        np.empty((len(TR_FLOAT), rows), dtype=np.float32),
        np.empty((len(TR_INT32), rows), dtype=np.int32),
        np.empty(rows, dtype=np.bool_),
        np.empty(rows, dtype=np.int64),
        np.empty((2, rows), dtype=np.int16),
    )


def _episode_buffers(capacity: int):
    return (
        np.empty((len(EP_FLOAT), capacity), dtype=np.float32),
        np.empty((len(EP_BOOL), capacity), dtype=np.bool_),
        np.empty((len(EP_CODES), capacity), dtype=np.int16),
        np.empty((len(EP_INT64), capacity), dtype=np.int64),
        np.empty(capacity, dtype=np.int32),
    )


_NO_TRAITS = np.empty((len(TRAIT_NAMES), 2, 0))
_NO_POLICY = np.empty((N_POLICY, 2, 0))
_NO_STATE = (np.empty((len(STATE_FLOAT), 0)), np.empty((len(STATE_INT), 0), dtype=np.int64))


@dataclass(frozen=True)
class Setup:
    """Everything the kernel reads for one chunk of dyads: their traits are drawn in the
    kernel around the profile means ``table[code]`` with ``spread``, unless ``traits``
    (n_traits, 2, n) gives them; each partner's loved-one policy is neutral unless ``policy``
    (N_POLICY, 2, n; ``loved_ones.policies``) gives it."""

    key: np.uint64
    dyad_ids: np.ndarray
    table: np.ndarray  # (n_profiles, n_traits) trait means
    spread: float
    C: tuple  # params.constants(model)
    pair_codes: np.ndarray  # (n_pairs, 2) profile codes; dyad i pairs pair_codes[i // dyads_per_pair]
    dyads_per_pair: int
    traits: np.ndarray = field(default_factory=lambda: _NO_TRAITS)
    policy: np.ndarray = field(default_factory=lambda: _NO_POLICY)


def setup(
    key: np.uint64,
    dyad_ids: np.ndarray,
    table: np.ndarray,
    pair_codes: np.ndarray,
    dyads_per_pair: int,
    spread: float,
    model: ModelParams,
    traits_: np.ndarray | None = None,
    policy: np.ndarray | None = None,
) -> Setup:
    return Setup(
        np.uint64(key),
        np.ascontiguousarray(dyad_ids, dtype=np.int64),
        np.ascontiguousarray(table, dtype=np.float64),
        float(spread),
        params.constants(model),
        np.ascontiguousarray(pair_codes, dtype=np.int64),
        int(dyads_per_pair),
        _NO_TRAITS if traits_ is None else np.ascontiguousarray(traits_, dtype=np.float64),
        _NO_POLICY if policy is None else np.ascontiguousarray(policy, dtype=np.float64),
    )


def run_chunk(
    su: Setup,
    days: int,
    record_every: int = 1,
    keep_episodes: bool = True,
    keep_trajectories: bool = True,
    episode_offset: int = 0,
    n_pairs: int = 0,
    first_day: int = 0,
    state: tuple[np.ndarray, np.ndarray] | None = None,
    buffers: Buffers | None = None,
    keep_state: bool = False,
) -> ChunkArrays:
    """Run one chunk for ``days`` days from ``first_day`` (from the start of a relationship,
    or from ``state``) and return its episode and trajectory columns (and, with ``state`` or
    ``keep_state``, its final state); with ``n_pairs`` (the number of pairings in the run)
    also the summary's sums.

    With ``buffers`` the columns are written into (and are views of) that reusable
    memory, valid until the buffers are used again; without, into fresh arrays."""
    n = su.dyad_ids.shape[0]
    cap = su.C.context.max_episodes_per_day
    if state is not None:
        sf, si = state[0].copy(), state[1].copy()
    elif keep_state:
        if not su.traits.shape[2]:
            raise ValueError("keep_state needs the traits in the setup")
        sf, si = initial_state(su.traits, su.key, su.dyad_ids, su.C)
    else:
        sf, si = _NO_STATE
    n_rec = record_days(first_day, days, record_every) if keep_trajectories else 0
    buffers = buffers or Buffers()
    tf, ti, tb, td, tp = buffers.trajectories(n * n_rec)
    keep_sums = n_pairs > 0
    sums = np.zeros((2 * n_pairs, len(SUM_COLUMNS)))
    dsums = np.zeros((n_pairs, len(DAY_SUM_COLUMNS)))
    capacity = int(1.02 * expected_episodes(su, days)) + days * cap + 64 if keep_episodes else 0
    parts = []
    start, row0, offset = 0, 0, int(episode_offset)
    while True:
        bufs = buffers.episodes(capacity) if not parts else _episode_buffers(capacity)
        stop, rows = run_dyads(
            start, n, su.key, su.dyad_ids, su.traits, su.policy, su.table, su.spread, su.C, int(first_day),
            int(days), int(record_every), su.pair_codes, su.dyads_per_pair, sf, si, keep_episodes, row0,
            offset, *bufs, keep_trajectories, tf, ti, tb, td, tp, keep_sums, sums, dsums,
        )  # fmt: skip
        parts.append(tuple(x[..., :rows] for x in bufs))
        if stop >= n:
            break
        # Rare: more episodes than estimated. Continue in a fresh buffer sized for the rest.
        offset += rows
        start = stop
        capacity = int(1.1 * expected_episodes(su, days, start)) + days * cap + 64
    if len(parts) == 1:
        ef, eb, ecodes, ei64, et = parts[0]
    else:
        ef, eb, ecodes, ei64, et = (np.concatenate(cols, axis=-1) for cols in zip(*parts, strict=True))
    if not keep_trajectories:
        tf = ti = tb = td = tp = None
    return ChunkArrays(
        n, int(et.shape[0]), ef, eb, ecodes, ei64, et, tf, ti, tb, td, tp,
        sums if keep_sums else None, dsums if keep_sums else None, (sf, si) if sf.shape[1] else None,
    )  # fmt: skip


@dataclass
class Counts:
    """Additive sums of a counts-only run (no episode log kept)."""

    sums: np.ndarray  # (n_pairs * 2, len(SUM_COLUMNS)): row 2 * pair + actor side
    day_sums: np.ndarray  # (n_pairs, len(DAY_SUM_COLUMNS))

    @property
    def n_episodes(self) -> int:
        return int(round(self.sums[:, 0].sum()))


def run_counts(su: Setup, days: int, n_pairs: int, threads: int = 1, blocks: int = 64) -> Counts:
    """Run one chunk keeping only additive sums, in ``threads`` threads over blocks of dyads
    (the kernel releases the GIL; results do not depend on either)."""
    from concurrent.futures import ThreadPoolExecutor

    n = su.dyad_ids.shape[0]
    blocks = max(1, min(int(blocks), n))
    sums = np.zeros((blocks, 2 * n_pairs, len(SUM_COLUMNS)))
    dsums = np.zeros((blocks, n_pairs, len(DAY_SUM_COLUMNS)))
    empty = _episode_buffers(0)
    no_traj = _trajectory_buffers(0)
    sf, si = _NO_STATE

    def block(b: int) -> None:
        run_dyads(
            b * n // blocks, (b + 1) * n // blocks, su.key, su.dyad_ids, su.traits, su.policy, su.table,
            su.spread, su.C, 0, int(days), 1, su.pair_codes, su.dyads_per_pair, sf, si, False, 0, 0, *empty,
            False, *no_traj, True, sums[b], dsums[b],
        )  # fmt: skip

    if threads <= 1:
        for b in range(blocks):
            block(b)
    else:
        with ThreadPoolExecutor(max_workers=int(threads)) as pool:
            list(pool.map(block, range(blocks)))
    return Counts(sums.sum(axis=0), dsums.sum(axis=0))


def state_bytes_per_agent(n_traits: int = len(TRAIT_NAMES)) -> float:
    """Bytes the kernel holds per agent while it simulates a dyad (traits and per-agent
    state in float64, plus half of the per-dyad state): a run keeps no per-dyad arrays
    beyond what it writes, so this is the state of the dyads in flight, not of the run."""
    per_agent = 8 * n_traits + 3 * 8
    per_dyad = 8 + 8 + 8 + 8
    return per_agent + per_dyad / 2
