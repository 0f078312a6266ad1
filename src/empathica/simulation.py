"""Running populations of dyads: ``simulate(...) -> SimulationResult``.

The population is laid out pair by pair (``dyads`` dyads for each pairing of
profiles). Every random number is addressed by (seed, dyad, day, index)
(``empathica.model.streams``), so chunks (the unit of work and of memory) can be cut
anywhere and the output is bit-identical whatever the chunk size.

Every chunk runs in the fused kernel (``empathica.model.kernel``: the mechanisms
composed into one compiled loop); ``empathica.model.step`` advances a population one
day at a time with the same results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from empathica import logs
from empathica.errors import EmpathicaInputError
from empathica.io.rundir import RunDirectory
from empathica.io.tables import TableWriter, check_format
from empathica.model import streams
from empathica.model.params import ModelParams
from empathica.model.profiles import DEFAULT_SPREAD, PROFILE_NAME, Profile, resolve_profile
from empathica.model.traits import Traits

#: Profile codes are stored as int16 in the episode log.
MAX_PROFILES = 32767
#: Default chunk size in dyads (bounds memory; does not change results).
DEFAULT_CHUNK = 65536
#: The kernel engine cuts chunks further so that one holds about this many episodes
#: (some 60 MB of episode columns): smaller buffers are recycled by the allocator
#: instead of fresh memory for every chunk (measured fastest). Results do not depend on it.
KERNEL_CHUNK_ROWS = 1 << 19

PairSpec = tuple[str | Profile, str | Profile]


def parse_pair(text: str) -> tuple[str, str]:
    """``"bpd:secure"`` -> ``("bpd", "secure")``."""
    left, sep, right = text.strip().partition(":")
    if not sep or not PROFILE_NAME.fullmatch(left) or not PROFILE_NAME.fullmatch(right):
        raise EmpathicaInputError(f"bad pair {text!r}: write PROFILE:PROFILE, for example bpd:secure")
    return left, right


@dataclass(frozen=True)
class Layout:
    """Which profiles each dyad pairs, and the per-dyad trait means."""

    profiles: list[Profile]  # distinct profiles, index = profile code
    pair_codes: np.ndarray  # (n_pairs, 2) profile codes
    dyads_per_pair: int

    @property
    def n_dyads(self) -> int:
        return len(self.pair_codes) * self.dyads_per_pair

    def codes(self, dyads: np.ndarray) -> np.ndarray:
        """Profile code of each partner, shape (2, len(dyads))."""
        return self.pair_codes[dyads // self.dyads_per_pair].T

    def means(self, dyads: np.ndarray) -> np.ndarray:
        table = np.stack([p.means() for p in self.profiles])  # (n_profiles, n_traits)
        return np.moveaxis(table[self.codes(dyads)], -1, 0)  # (n_traits, 2, n)


def make_layout(
    pairs: Sequence[PairSpec] | str,
    dyads: int,
    overrides: dict[str, dict[str, float]] | None = None,
    extra_profiles: dict[str, Profile] | None = None,
) -> Layout:
    if isinstance(pairs, str):
        pairs = [parse_pair(p) for p in pairs.split(",")]
    if not pairs:
        raise EmpathicaInputError("no pair given: pass at least one, e.g. secure:secure")
    if isinstance(dyads, bool) or int(dyads) != dyads or dyads <= 0:
        raise EmpathicaInputError(f"dyads must be a positive integer, got {dyads}")
    if len(pairs) * int(dyads) > streams.MAX_DYADS:
        raise EmpathicaInputError(
            f"{len(pairs)} pairing(s) x {int(dyads):,} dyads is more than the {streams.MAX_DYADS:,} dyads "
            "one run can address (random streams number dyads with 32 bits); split it into runs "
            "with different seeds"
        )
    overrides = overrides or {}
    profiles: dict[str, Profile] = {}
    codes = []
    for pair in pairs:
        if isinstance(pair, str):
            pair = parse_pair(pair)
        row = []
        for spec in pair:
            prof = resolve_profile(spec, extra_profiles)
            if prof.name not in profiles:
                profiles[prof.name] = prof
            row.append(list(profiles).index(prof.name))
        codes.append(row)
    for name, values in overrides.items():
        targets = list(profiles) if name == "*" else [name]
        for target in targets:
            if target not in profiles:
                raise EmpathicaInputError(
                    f"override for profile {name!r}, which is not in any pair ({', '.join(profiles)})"
                )
            profiles[target] = profiles[target].with_traits(**values)
    if len(profiles) > MAX_PROFILES:
        raise EmpathicaInputError(
            f"{len(profiles)} distinct profiles in one run; at most {MAX_PROFILES}: split the run"
        )
    return Layout(list(profiles.values()), np.array(codes, dtype=np.int64), int(dyads))


def agent_traits(
    pairs: Sequence[PairSpec] | str,
    dyads: int,
    seed: int = 0,
    spread: float = DEFAULT_SPREAD,
    overrides: dict[str, dict[str, float]] | None = None,
    extra_profiles: dict[str, Profile] | None = None,
) -> Traits:
    """The traits the simulator draws for every agent of a run (the same random streams):
    one array of shape (2, n_dyads) per trait, partner a in row 0."""
    from empathica.model.traits import draw_traits

    layout = make_layout(pairs, dyads, overrides, extra_profiles)
    ids = np.arange(layout.n_dyads)
    means = np.ascontiguousarray(layout.means(ids), dtype=np.float64)
    return Traits.from_stacked(draw_traits(streams.stream_key(seed), ids, means, float(spread)))


@dataclass
class SimulationResult:
    """Episode log and trajectories of a run, as tidy DataFrames."""

    episodes: pd.DataFrame
    trajectories: pd.DataFrame
    config: dict = field(default_factory=dict)

    def save(self, out: str | Path, fmt: str = "parquet", force: bool = False) -> list[Path]:
        """Write ``episodes`` and ``trajectories`` (and ``manifest.json``) as folder ``out``.

        The folder appears only when complete; existing results are replaced only with
        ``force=True`` (see ``empathica.io.rundir``).
        """
        check_format(fmt)
        manifest = {"command": "SimulationResult.save", **_manifest_config(self.config)}
        with RunDirectory(out, force=force, manifest=manifest, what="out") as run:
            names = []
            for name, df in (("episodes", self.episodes), ("trajectories", self.trajectories)):
                with TableWriter(run.path(name), fmt) as writer:
                    writer.write(df)
                run.add_file(writer.path.name, writer.rows)
                names.append(writer.path.name)
        return [run.target / n for n in names]


@dataclass
class Chunk:
    """Output of one chunk of dyads (already in final order)."""

    episodes: pd.DataFrame
    trajectories: pd.DataFrame
    n_dyads: int
    #: ``summary.episode_sums`` of the chunk when the kernel already added them up
    episode_sums: pd.DataFrame | None = None
    #: ``summary.trajectory_sums`` of the chunk (every day, from the kernel)
    day_sums: pd.DataFrame | None = None


def _check_sizes(days: int, spread: float, record_every: int) -> None:
    if int(days) != days or days <= 0:
        raise EmpathicaInputError(f"days must be a positive integer, got {days}")
    if not 0.0 <= spread <= 0.5:
        raise EmpathicaInputError(f"spread must be between 0 and 0.5, got {spread}")
    if int(record_every) != record_every or record_every <= 0:
        raise EmpathicaInputError(f"record_every must be a positive integer, got {record_every}")


def _kernel_chunks(
    pairs, dyads, days, seed, spread, overrides, extra_profiles, model, chunk_size, record_every,
    trajectories, on_day, keep_episodes, reuse_buffers=False,
):  # fmt: skip
    """(kernel arrays, layout, profile names) of each chunk of a run, in order.

    With ``reuse_buffers`` chunks alternate between two sets of column memory: a chunk's
    arrays stay valid while the next one is simulated, and are overwritten by the one after."""
    from empathica.model import chunks

    _check_sizes(days, spread, record_every)
    if int(chunk_size) != chunk_size or chunk_size <= 0:
        raise EmpathicaInputError(f"chunk_size must be a positive integer, got {chunk_size}")
    if days > streams.MAX_DAYS:
        raise EmpathicaInputError(f"days must be at most {streams.MAX_DAYS}, got {days}")
    layout = make_layout(pairs, dyads, overrides, extra_profiles)
    model = model or ModelParams()
    n = layout.n_dyads
    key = streams.stream_key(seed)
    names = [p.name for p in layout.profiles]
    table = np.stack([p.means() for p in layout.profiles])
    episode_offset = 0
    # Bound a chunk's episode log to about KERNEL_CHUNK_ROWS rows (memory); the results do
    # not depend on the chunk size.
    per_dyad = days * max(model.context.episode_rate, 0.05)
    step_size = max(1, min(int(chunk_size), int(KERNEL_CHUNK_ROWS / per_dyad)))
    pools = (chunks.Buffers(reuse_buffers), chunks.Buffers(reuse_buffers))
    for i, first in enumerate(range(0, n, step_size)):
        dyad_ids = np.arange(first, min(n, first + step_size))
        su = chunks.setup(key, dyad_ids, table, layout.pair_codes, layout.dyads_per_pair, spread, model)
        arrays = chunks.run_chunk(
            su, days, record_every, keep_episodes, trajectories, episode_offset, len(layout.pair_codes),
            buffers=pools[i % 2],
        )  # fmt: skip
        if on_day is not None:
            on_day(len(dyad_ids) * days)
        episode_offset += arrays.n_episodes
        yield arrays, layout, names


def iter_chunks(
    pairs: Sequence[PairSpec] | str,
    dyads: int = 100,
    days: int = 365,
    seed: int = 0,
    spread: float = DEFAULT_SPREAD,
    overrides: dict[str, dict[str, float]] | None = None,
    extra_profiles: dict[str, Profile] | None = None,
    model: ModelParams | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    record_every: int = 1,
    trajectories: bool = True,
    on_day: Callable[[int], None] | None = None,
    keep_episodes: bool = True,
) -> Iterator[Chunk]:
    """Simulate chunk by chunk: the streaming form of ``simulate`` for runs larger than memory.

    Each yielded chunk holds contiguous dyads: its episode log and trajectories as
    DataFrames, and its additive summary sums. Memory stays bounded by one chunk
    (``KERNEL_CHUNK_ROWS`` episodes, about 40 MB); results do not depend on
    ``chunk_size``. ``on_day(k)`` is called as ``k`` dyad-days complete.
    keep_episodes: with False the chunks' episode logs are empty; trajectories are still
        kept if ``trajectories``.
    """
    for arrays, layout, names in _kernel_chunks(
        pairs, dyads, days, seed, spread, overrides, extra_profiles, model, chunk_size, record_every,
        trajectories, on_day, keep_episodes,
    ):  # fmt: skip
        ep = logs.episode_frame(arrays, names)
        tr = logs.trajectory_frame(arrays, names) if trajectories else None
        yield Chunk(
            ep, tr, arrays.n_dyads,
            _kernel_episode_sums(arrays.sums, layout), _kernel_day_sums(arrays.day_sums, layout),
        )  # fmt: skip


def simulate(
    pairs: Sequence[PairSpec] | str = (("secure", "secure"),),
    dyads: int = 100,
    days: int = 365,
    seed: int = 0,
    spread: float = DEFAULT_SPREAD,
    overrides: dict[str, dict[str, float]] | None = None,
    extra_profiles: dict[str, Profile] | None = None,
    model: ModelParams | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    record_every: int = 1,
    trajectories: bool = True,
) -> SimulationResult:
    """Simulate ``dyads`` dyads of each pairing for ``days`` days.

    pairs: pairings of profiles, e.g. ``[("bpd", "secure")]`` or ``"bpd:secure,npd:secure"``;
        a side may be a built-in name, a name from ``extra_profiles`` or a ``Profile``.
    overrides: ``{"bpd": {"emotion_regulation": 0.4}}`` replaces trait means
        (``"*"`` for every profile in the run).
    spread: within-profile SD of each trait on the 0-1 scale.
    record_every: keep one trajectory row per dyad every ``record_every`` days
        (breakup and reconciliation counts are summed over the days in between).

    Everything is held in memory (about ``MEMORY_PER_DYAD_DAY`` bytes per dyad-day): a run
    that would not fit in the available memory is refused before it starts; write large
    runs with ``simulate_to_files`` or stream them with ``iter_chunks``.
    """
    _check_memory(make_layout(pairs, dyads, overrides, extra_profiles).n_dyads, days)
    chunks = list(
        iter_chunks(
            pairs,
            dyads,
            days,
            seed,
            spread,
            overrides,
            extra_profiles,
            model,
            chunk_size,
            record_every,
            trajectories,
        )
    )
    episodes = _concat([c.episodes for c in chunks])
    trajs = _concat([c.trajectories for c in chunks]) if trajectories else pd.DataFrame()
    config = dict(
        pairs=str(pairs),
        dyads=dyads,
        days=days,
        seed=seed,
        spread=spread,
        overrides=overrides or {},
        record_every=record_every,
    )
    return SimulationResult(episodes, trajs, config)


#: Peak memory of ``simulate`` per dyad-day with daily trajectories (measured, rounded up).
MEMORY_PER_DYAD_DAY = 320


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux ``MemAvailable``), if known."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _check_memory(n_dyads: int, days: int) -> None:
    if not isinstance(days, (int, np.integer)) or days <= 0:
        return  # reported by _check_sizes
    need = float(n_dyads) * int(days) * MEMORY_PER_DYAD_DAY
    free = available_memory()
    if free is not None and need > free:
        from empathica.io.rundir import human_bytes

        raise EmpathicaInputError(
            f"a run of {n_dyads:,} dyads x {days:,} days needs about {human_bytes(need)} of memory, "
            f"and {human_bytes(free)} are available: write it with simulate_to_files "
            "(empathica simulate) or stream it with iter_chunks"
        )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One frame from the chunks' frames (no copy when there is a single chunk)."""
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _pair_names(pairs: Sequence[PairSpec] | str) -> list[str]:
    """Canonical names of the pairings, in the order given."""
    if isinstance(pairs, str):
        pairs = pairs.split(",")
    out = []
    for pair in pairs:
        a, b = parse_pair(pair) if isinstance(pair, str) else pair
        a, b = (x.name if isinstance(x, Profile) else x for x in (a, b))
        out.append(":".join(sorted((a, b))))
    return out


def _manifest_config(config: dict) -> dict:
    """The run's settings as plain JSON values for its manifest."""
    import empathica

    return {"empathica_version": empathica.__version__, "parameters": config}


@dataclass
class CountsReport:
    """A run that kept no episode log: the summary table from the kernel's sums."""

    summary: pd.DataFrame
    n_episodes: int
    n_dyads: int
    days: int
    seconds: float

    @property
    def agent_episodes_per_second(self) -> float:
        """Each episode involves two agents (a responder and a target)."""
        return 2 * self.n_episodes / self.seconds if self.seconds > 0 else float("nan")


def simulate_counts(
    pairs: Sequence[PairSpec] | str = (("secure", "secure"),),
    dyads: int = 100,
    days: int = 365,
    seed: int = 0,
    spread: float = DEFAULT_SPREAD,
    overrides: dict[str, dict[str, float]] | None = None,
    extra_profiles: dict[str, Profile] | None = None,
    model: ModelParams | None = None,
    chunk_size: int = 1 << 16,
    threads: int | None = None,
) -> CountsReport:
    """The summary table of a run without keeping episodes or trajectories.

    The compiled kernel adds up, per pairing and responder, exactly what
    ``summary.episode_sums`` adds up from an episode log (and, per pairing, what
    ``summary.trajectory_sums`` adds up with ``record_every=1``), so the summary is the
    one ``simulate_to_files`` prints, at a fraction of the time and memory.
    threads: threads over blocks of dyads (default: the processors this process may use);
        the result does not depend on it.
    """
    import os
    import time

    from empathica.model import chunks, kernel
    from empathica.summary import summarize

    _check_sizes(days, spread, 1)
    if int(chunk_size) != chunk_size or chunk_size <= 0:
        raise EmpathicaInputError(f"chunk_size must be a positive integer, got {chunk_size}")
    if days > streams.MAX_DAYS:
        raise EmpathicaInputError(f"days must be at most {streams.MAX_DAYS}, got {days}")
    layout = make_layout(pairs, dyads, overrides, extra_profiles)
    model = model or ModelParams()
    key = streams.stream_key(seed)
    table = np.stack([p.means() for p in layout.profiles])
    n_pairs = len(layout.pair_codes)
    threads = len(os.sched_getaffinity(0)) if threads is None else int(threads)
    start = time.perf_counter()
    sums = np.zeros((2 * n_pairs, len(kernel.SUM_COLUMNS)))
    day_sums = np.zeros((n_pairs, len(kernel.DAY_SUM_COLUMNS)))
    for first in range(0, layout.n_dyads, int(chunk_size)):
        dyad_ids = np.arange(first, min(layout.n_dyads, first + int(chunk_size)))
        su = chunks.setup(key, dyad_ids, table, layout.pair_codes, layout.dyads_per_pair, spread, model)
        counts = chunks.run_counts(su, days, n_pairs, threads=threads)
        sums += counts.sums
        day_sums += counts.day_sums
        del su, counts
    seconds = time.perf_counter() - start
    summary = summarize(
        _kernel_episode_sums(sums, layout), _kernel_day_sums(day_sums, layout), pair_order=_pair_names(pairs)
    )
    n_episodes = int(sums[:, 0].sum())
    return CountsReport(summary, n_episodes, layout.n_dyads, int(days), seconds)


def _kernel_day_sums(day_sums: np.ndarray | None, layout: Layout) -> pd.DataFrame | None:
    """The kernel's day sums per pairing as ``summary.trajectory_sums`` rows."""
    if day_sums is None:
        return None
    from empathica.model.kernel import DAY_SUM_COLUMNS

    names = [p.name for p in layout.profiles]
    rows = []
    for pair, (ca, cb) in enumerate(layout.pair_codes):
        a, b = names[ca], names[cb]
        rows.append([f"{a}:{b}" if a <= b else f"{b}:{a}", *day_sums[pair]])
    frame = pd.DataFrame(rows, columns=["pair", *DAY_SUM_COLUMNS])
    frame = frame.astype(dict.fromkeys(DAY_SUM_COLUMNS, np.int64))
    return frame.groupby("pair", sort=True).sum().reset_index()


def _kernel_episode_sums(sums: np.ndarray | None, layout: Layout) -> pd.DataFrame | None:
    """The kernel's sums per (pairing, actor side) as ``summary.episode_sums`` rows."""
    if sums is None:
        return None
    from empathica.model.kernel import SUM_COLUMNS

    names = [p.name for p in layout.profiles]
    rows = []
    for pair, (ca, cb) in enumerate(layout.pair_codes):
        a, b = names[ca], names[cb]
        canon = f"{a}:{b}" if a <= b else f"{b}:{a}"
        for side, responder in ((0, a), (1, b)):
            row = sums[2 * pair + side]
            if row[0] > 0:
                rows.append([canon, responder, *row])
    frame = pd.DataFrame(rows, columns=["pair", "responder", *SUM_COLUMNS])
    floats = {"s_acc", "s_gain", "s_level"}
    frame = frame.astype({c: np.int64 for c in SUM_COLUMNS if c not in floats})
    return frame.groupby(["pair", "responder"], sort=True).sum().reset_index()
