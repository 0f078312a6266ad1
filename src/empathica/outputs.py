"""Runs written to disk: what a run keeps, how large it gets, and ``simulate_to_files``.

A run's results appear as one folder, complete or not at all (``io.rundir``), with
the outputs chosen by ``keep``: the episode log, trajectories, and always the
summary table. Files are written from Arrow tables built on the kernel's buffers
(``logs``) while the kernel simulates the next chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from empathica import logs
from empathica.errors import EmpathicaInputError
from empathica.io.failpoints import failpoint
from empathica.io.rundir import RunDirectory
from empathica.io.tables import TableWriter, check_format
from empathica.model import streams
from empathica.model.params import ModelParams
from empathica.model.profiles import DEFAULT_SPREAD, Profile
from empathica.simulation import (
    DEFAULT_CHUNK,
    PairSpec,
    _check_sizes,
    _kernel_chunks,
    _kernel_day_sums,
    _kernel_episode_sums,
    _manifest_config,
    _pair_names,
    make_layout,
    simulate_counts,
)


@dataclass
class RunReport:
    """What a file-writing run produced: paths, sizes and the summary table."""

    paths: list[Path]
    n_episodes: int
    n_dyads: int
    days: int
    seconds: float
    summary: pd.DataFrame
    kept: tuple[str, ...] = ("episodes", "trajectories", "summary")

    @property
    def agent_episodes_per_second(self) -> float:
        """Each episode involves two agents (a responder and a target)."""
        return 2 * self.n_episodes / self.seconds if self.seconds > 0 else float("nan")


#: Bytes on disk per episode and per trajectory row, by format: measured on the four demo
#: pairings (Parquet 29.3 and 31.3, CSV 185 and 118), rounded up.
BYTES_PER_EPISODE = {"parquet": 32, "csv": 200}
BYTES_PER_TRAJECTORY_ROW = {"parquet": 34, "csv": 125}


def estimate_output_bytes(
    n_dyads: int,
    days: int,
    fmt: str,
    record_every: int = 1,
    model: ModelParams | None = None,
    episodes: bool = True,
    trajectories: bool = True,
) -> float:
    """Upper estimate of what a run writes: every dyad together every day."""
    model = model or ModelParams()
    n_episodes = float(n_dyads) * days * model.context.episode_rate if episodes else 0.0
    rows = float(n_dyads) * -(-int(days) // int(record_every)) if trajectories else 0.0
    return n_episodes * BYTES_PER_EPISODE[fmt] + rows * BYTES_PER_TRAJECTORY_ROW[fmt] + 1e5


#: What a run can keep on disk; the summary table is always written.
KEEP_CHOICES = ("episodes", "trajectories", "summary")
#: ``keep="auto"`` keeps the full log only up to this estimated size; above, the summary.
AUTO_KEEP_BYTES = 2e9


def resolve_keep(keep, n_dyads: int, days: int, fmt: str, record_every: int = 1, model=None):
    """The outputs to keep: a collection of KEEP_CHOICES, or ``"auto"`` (the full log when it
    would take at most AUTO_KEEP_BYTES, otherwise only the summary)."""
    if isinstance(keep, str) and keep == "auto":
        full = estimate_output_bytes(n_dyads, days, fmt, record_every, model)
        return ("episodes", "trajectories", "summary") if full <= AUTO_KEEP_BYTES else ("summary",)
    items = [k.strip() for k in (keep.split(",") if isinstance(keep, str) else keep)]
    unknown = [k for k in items if k not in KEEP_CHOICES]
    if unknown or not items:
        raise EmpathicaInputError(
            f"unknown output {', '.join(map(repr, unknown)) or 'none'}: keep one or more of "
            f"{', '.join(KEEP_CHOICES)} (comma-separated), or auto"
        )
    return tuple(k for k in KEEP_CHOICES if k in items or k == "summary")


def simulate_to_files(
    out: str | Path,
    pairs: Sequence[PairSpec] | str,
    dyads: int = 100,
    days: int = 365,
    seed: int = 0,
    fmt: str = "parquet",
    on_day: Callable[[int], None] | None = None,
    force: bool = False,
    command: str = "simulate",
    keep="auto",
    spread: float = DEFAULT_SPREAD,
    overrides: dict[str, dict[str, float]] | None = None,
    extra_profiles: dict[str, Profile] | None = None,
    model: ModelParams | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    record_every: int = 1,
) -> RunReport:
    """Simulate chunk by chunk, writing the outputs in ``keep`` as they come.

    keep: ``"auto"`` or some of ``episodes``, ``trajectories``, ``summary`` (the summary
        table is always written, as ``summary.parquet`` or ``.csv``; ``resolve_keep``).
        A summary-only run never builds an episode log (``simulate_counts``).

    The results appear as folder ``out`` only when complete, with a ``manifest.json``;
    an interrupted or failed run leaves earlier results untouched, and existing results
    are replaced only with ``force=True`` (``empathica.io.rundir``). A run whose files
    would not fit on the disk is refused before it starts.

    Memory stays bounded by two chunks: while one chunk is being written (by two
    writer threads, one per table, from Arrow tables built on the kernel's buffers),
    the next one is simulated. The summary table is built from the kernel's sums.
    """
    import time
    from concurrent.futures import ThreadPoolExecutor

    from empathica.summary import summarize

    check_format(fmt)
    streams.check_seed(seed)
    _check_sizes(days, spread, record_every)
    layout = make_layout(pairs, dyads, overrides, extra_profiles)
    keep = resolve_keep(keep, layout.n_dyads, days, fmt, record_every, model)
    want_ep, want_tr = "episodes" in keep, "trajectories" in keep
    need = estimate_output_bytes(layout.n_dyads, days, fmt, record_every, model, want_ep, want_tr)
    config = {
        "pairs": _pair_names(pairs),
        "dyads_per_pair": int(dyads),
        "days": int(days),
        "seed": int(seed),
        "format": fmt,
        "kept": list(keep),
        "spread": float(spread),
        "record_every": int(record_every),
        "overrides": overrides or {},
        "profiles": {p.name: p.model_dump(mode="json") for p in layout.profiles},
    }
    manifest = {"command": command, **_manifest_config(config)}
    start = time.perf_counter()
    written: list[TableWriter] = []
    with RunDirectory(out, force=force, manifest=manifest, need_bytes=need) as run:
        if want_ep or want_tr:
            ep_sums, tr_sums = [], []
            ew = TableWriter(run.path("episodes"), fmt) if want_ep else None
            tw = TableWriter(run.path("trajectories"), fmt) if want_tr else None
            written = [w for w in (ew, tw) if w is not None]
            try:
                with ThreadPoolExecutor(max_workers=2, thread_name_prefix="empathica-writer") as pool:
                    pending: list = []
                    chunks = _kernel_chunks(
                        pairs, dyads, days, seed, spread, overrides, extra_profiles, model, chunk_size,
                        record_every, want_tr, on_day, want_ep, reuse_buffers=True,
                    )  # fmt: skip
                    for arrays, _, names in chunks:
                        ep_sums.append(arrays.sums.copy())
                        tr_sums.append(arrays.day_sums.copy())
                        for future in pending:  # keep the order of chunks in each file
                            future.result()
                        pending = []
                        if ew is not None:
                            pending.append(pool.submit(_write, ew, logs.episode_table, arrays, names))
                        if tw is not None:
                            pending.append(pool.submit(_write, tw, logs.trajectory_table, arrays, names))
                        del arrays
                        failpoint("after-chunk")
                    for future in pending:
                        future.result()
                for w in written:
                    w.close()
            except BaseException:
                for w in written:
                    w.abort()
                raise
            summary = summarize(
                _kernel_episode_sums(sum(ep_sums), layout),
                _kernel_day_sums(sum(tr_sums), layout),
                pair_order=_pair_names(pairs),
            )
            n_episodes = ew.rows if ew is not None else int(summary["episodes"].sum())
        else:
            counts = simulate_counts(
                pairs, dyads, days, seed, spread, overrides, extra_profiles, model, threads=1
            )
            if on_day is not None:
                on_day(layout.n_dyads * days)
            summary, n_episodes = counts.summary, counts.n_episodes
        with TableWriter(run.path("summary"), fmt) as sw:
            sw.write(summary)
        written.append(sw)
        for w in written:
            run.add_file(w.path.name, w.rows)
        run.manifest["rows"] = {w.path.stem: w.rows for w in written}
    seconds = time.perf_counter() - start
    paths = [run.target / w.path.name for w in written]
    return RunReport(paths, n_episodes, layout.n_dyads, days, seconds, summary, keep)


def _write(writer: TableWriter, build, arrays, names) -> None:
    writer.write(build(arrays, names))
