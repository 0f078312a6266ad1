"""Benchmark: the kernel, the files a run writes, and the same model written in Mesa.

    python benchmarks/run.py                 # full run, about 10 minutes
    python benchmarks/run.py --quick         # about a minute
    python benchmarks/run.py --json out.json # also write the rows as JSON

Needs the ``bench`` extra for the Mesa rows (``pip install -e ".[bench]"``); without
Mesa the Empathica rows are still measured. Everything below is measured in one run,
on the four article pairings (secure:secure, bpd:secure, npd:secure, npd:bpd):

* ``kernel``: ns per dyad-day of the fused kernel keeping only the summary sums
  (``simulate_counts``) at 10^4, 10^5 and 10^6 dyads, on one and on two threads;
* ``mesa``: the Mesa reference (``benchmarks/mesa_reference``, per-agent constants
  computed once, as an experienced Mesa user writes it) on the SAME dyads and days
  as the kernel row it is compared with, one core; its model construction is not
  timed (this favours Mesa);
* ``simulate``: end-to-end ``simulate_to_files`` (what ``empathica simulate`` does)
  for each output choice (``--keep``): summary only, episodes, trajectories, both,
  and both as CSV, with wall time, CPU time (all threads) and bytes per episode.

An agent-episode is one agent taking part in one episode (two per episode). Rates
"per CPU-second" divide by the process's CPU time (every thread), so they say what
one core delivers however the work is spread over threads.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAIRS = [("secure", "secure"), ("bpd", "secure"), ("npd", "secure"), ("npd", "bpd")]
PAIR_TEXT = ",".join(f"{a}:{b}" for a, b in PAIRS)
SEED = 1
#: The rates the previous engine reached here, for the goals (docs/performance.md).
BEFORE = {"kernel_ns_per_dyad_day": 124.0, "log_agent_episodes_per_cpu_s": 2.5e6, "bytes_per_episode": 56.0}


@dataclass
class Row:
    kind: str  # kernel, mesa, simulate, other
    mode: str
    threads: int | None = None
    dyads: int | None = None
    days: int | None = None
    episodes: int | None = None
    seconds: float | None = None
    cpu_seconds: float | None = None
    bytes_per_episode: float | None = None
    note: str = ""

    @property
    def dyad_days(self) -> float:
        return float(self.dyads or 0) * (self.days or 0)

    @property
    def ns_per_dyad_day(self) -> float | None:
        return self.seconds * 1e9 / self.dyad_days if self.seconds and self.dyad_days else None

    @property
    def agent_episodes_per_s(self) -> float | None:
        return 2 * self.episodes / self.seconds if self.seconds and self.episodes else None

    @property
    def agent_episodes_per_cpu_s(self) -> float | None:
        return 2 * self.episodes / self.cpu_seconds if self.cpu_seconds and self.episodes else None


@dataclass
class Config:
    kernel_sizes: list[int]
    days: int
    comparisons: list[tuple[int, int]]  # (dyads, days): kernel and Mesa on the same run
    file_dyads: int
    file_days: int
    repeats: int


FULL = Config([10_000, 100_000, 1_000_000], 365, [(10_000, 365), (100_000, 365)], 100_000, 30, 3)
QUICK = Config([10_000, 100_000], 60, [(10_000, 20), (100_000, 4)], 20_000, 20, 2)


def per_pair(n: int) -> int:
    return max(1, n // len(PAIRS))


def best_of(fn, repeats: int):
    """(wall seconds, CPU seconds, result) of the fastest of ``repeats`` calls."""
    best = None
    for _ in range(repeats):
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        w, c = time.perf_counter() - w, time.process_time() - c
        if best is None or w < best[0]:
            best = (w, c, result)
    return best


# --------------------------------------------------------------------------- Empathica


def bench_kernel(cfg: Config, log) -> list[Row]:
    from empathica.simulation import simulate_counts

    simulate_counts(PAIR_TEXT, 25, 5, SEED, threads=1)  # compiled code loaded
    rows = []
    plans = [(n, cfg.days, t) for n in cfg.kernel_sizes for t in (1, 2)]
    plans += [(n, d, 1) for n, d in cfg.comparisons if (n, d, 1) not in plans]
    for n, days, threads in plans:
        repeats = 1 if n * days >= 1e8 else cfg.repeats
        w, c, counts = best_of(
            lambda n=n, d=days, t=threads: simulate_counts(PAIR_TEXT, per_pair(n), d, SEED, threads=t),
            repeats,
        )
        row = Row(
            "kernel",
            "summary sums",
            threads,
            per_pair(n) * len(PAIRS),
            days,
            counts.n_episodes,
            counts.seconds,
            c,
        )
        rows.append(row)
        log(row)
    return rows


def bench_files(cfg: Config, log) -> list[Row]:
    from empathica.outputs import simulate_to_files

    rows = []
    plans = [
        ("summary", "parquet"),
        ("episodes", "parquet"),
        ("trajectories", "parquet"),
        ("episodes,trajectories", "parquet"),
        ("episodes,trajectories", "csv"),
    ]
    n, days = cfg.file_dyads, cfg.file_days
    for keep, fmt in plans:
        out = Path(tempfile.mkdtemp(prefix="empathica-bench-")) / "run"
        try:
            simulate_to_files(out, PAIR_TEXT, 10, 3, SEED, fmt, keep=keep, force=True)  # warm
            w, c, report = best_of(
                lambda k=keep, f=fmt, o=out: simulate_to_files(
                    o, PAIR_TEXT, per_pair(n), days, SEED, f, keep=k, force=True
                ),
                1 if fmt == "csv" else cfg.repeats,
            )
            size = sum(p.stat().st_size for p in out.iterdir() if p.name.startswith("episodes"))
        finally:
            shutil.rmtree(out.parent, ignore_errors=True)
        row = Row("simulate", f"{keep} ({fmt})", None, report.n_dyads, days, report.n_episodes, w, c)
        row.bytes_per_episode = size / report.n_episodes if size else None
        rows.append(row)
        log(row)
    return rows


# --------------------------------------------------------------------------- Mesa


def bench_mesa(cfg: Config, log) -> list[Row]:
    try:
        from benchmarks.mesa_reference.model import run_tallies
    except ImportError as exc:  # mesa not installed
        return [Row("mesa", "tallies", note=f"n/a: {exc}")]
    rows = []
    for n, days in cfg.comparisons:
        gc.collect()
        c = time.process_time()
        tallies, seconds = run_tallies(PAIRS, dyads=per_pair(n), days=days, seed=SEED)
        row = Row(
            "mesa",
            "tallies",
            1,
            per_pair(n) * len(PAIRS),
            days,
            tallies.n_episodes,
            seconds,
            time.process_time() - c,
        )
        rows.append(row)
        log(row)
    return rows


# --------------------------------------------------------------------------- other measures


def cli_command() -> list[str]:
    exe = shutil.which("empathica")
    return [exe] if exe else [sys.executable, "-m", "empathica.cli"]


def best_subprocess(args: list[str], repeats: int) -> float | None:
    best = None
    for _ in range(repeats):
        start = time.perf_counter()
        res = subprocess.run(args, capture_output=True, text=True, timeout=600)
        dt = time.perf_counter() - start
        if res.returncode != 0:
            return None
        best = dt if best is None else min(best, dt)
    return best


def bench_other(quick: bool) -> list[Row]:
    rows = [Row("other", "empathica --help", seconds=best_subprocess([*cli_command(), "--help"], 5))]
    out = tempfile.mkdtemp(prefix="empathica-bench-")
    try:
        args = [*cli_command(), "simulate", "--dyads", "1", "--days", "1", "--out", f"{out}/r", "--force"]
        rows.append(Row("other", "empathica simulate (1 dyad, 1 day)", seconds=best_subprocess(args, 2)))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if not quick:
        code = (
            "import time; t = time.perf_counter(); from empathica.validation import run_validation; "
            "run_validation(); print(time.perf_counter() - t)"
        )
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=3600)
        seconds = float(res.stdout.strip().splitlines()[-1]) if res.returncode == 0 else None
        rows.append(Row("other", "validation suite (fresh process)", seconds=seconds))
    return rows


# --------------------------------------------------------------------------- report


def fmt(x, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def kernel_table(rows: list[Row]) -> str:
    mesa = {(r.dyads, r.days): r for r in rows if r.kind == "mesa" and r.seconds}
    lines = [
        "| engine | threads | dyads | days | ns per dyad-day | agent-episodes/s | x Mesa (same run) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.kind not in ("kernel", "mesa"):
            continue
        ratio = ""
        m = mesa.get((r.dyads, r.days))
        if r.kind == "kernel" and m is not None and r.threads == 1:
            ratio = f"{r.agent_episodes_per_s / m.agent_episodes_per_s:,.0f}"
        lines.append(
            f"| {'empathica kernel' if r.kind == 'kernel' else 'Mesa reference'} | {fmt(r.threads, 'd')} | "
            f"{fmt(r.dyads, ',d')} | {fmt(r.days, 'd')} | {fmt(r.ns_per_dyad_day, '.1f')} | "
            f"{fmt(r.agent_episodes_per_s, '.3g')} | {ratio} |"
        )
    return "\n".join(lines)


def files_table(rows: list[Row]) -> str:
    lines = [
        "| output (--keep) | dyads | days | wall s | CPU s | agent-episodes/s | per CPU-second "
        "| ns CPU per dyad-day | bytes/episode |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.kind != "simulate":
            continue
        cpu_ns = r.cpu_seconds * 1e9 / r.dyad_days if r.cpu_seconds else None
        lines.append(
            f"| {r.mode} | {r.dyads:,} | {r.days} | {r.seconds:.2f} | {fmt(r.cpu_seconds, '.2f')} | "
            f"{fmt(r.agent_episodes_per_s, '.3g')} | {fmt(r.agent_episodes_per_cpu_s, '.3g')} | "
            f"{fmt(cpu_ns, '.0f')} | {fmt(r.bytes_per_episode, '.1f')} |"
        )
    return "\n".join(lines)


def goals(rows: list[Row], cfg: Config) -> str:
    def find(kind, mode=None, threads=None, dyads=None, days=None):
        for r in rows:
            if (
                r.kind == kind
                and (mode is None or r.mode == mode)
                and (threads is None or r.threads == threads)
            ):
                if (dyads is None or r.dyads == dyads) and (days is None or r.days == days):
                    return r
        return None

    out = []
    big = find("kernel", threads=1, dyads=max(cfg.kernel_sizes), days=cfg.days)
    if big:
        ok = "met" if big.ns_per_dyad_day <= 60 else "not met"
        out.append(
            f"- <= 60 ns per dyad-day on one core at {big.dyads:,} dyads: "
            f"{big.ns_per_dyad_day:.1f} ns ({ok}; "
            f"{BEFORE['kernel_ns_per_dyad_day']:.0f} ns before)"
        )
    for n, days in cfg.comparisons:
        k, m = find("kernel", threads=1, dyads=n, days=days), find("mesa", dyads=n, days=days)
        if k and m and m.seconds:
            ratio = k.agent_episodes_per_s / m.agent_episodes_per_s
            ok = "met" if ratio >= 100 else "not met"
            out.append(
                f"- >= 100x the tuned Mesa reference at {n:,} dyads x {days} days, one core: "
                f"{ratio:,.0f}x ({ok})"
            )
    summary = find("simulate", mode="summary (parquet)")
    kernel = find("kernel", threads=1, dyads=cfg.file_dyads, days=cfg.file_days)
    if summary and kernel is None:
        kernel = Row("kernel", "", 1, summary.dyads, summary.days)
        from empathica.simulation import simulate_counts

        w, _, counts = best_of(
            lambda: simulate_counts(PAIR_TEXT, per_pair(summary.dyads), summary.days, SEED, threads=1),
            cfg.repeats,
        )
        kernel.seconds = counts.seconds
    if summary and kernel:
        ratio = summary.seconds / kernel.seconds
        out.append(
            f"- a summary-only run within 1.2x of the kernel's time: {ratio:.2f}x "
            f"({'met' if ratio <= 1.2 else 'not met'})"
        )
    ep = find("simulate", mode="episodes (parquet)")
    if ep:
        gain = ep.agent_episodes_per_cpu_s / BEFORE["log_agent_episodes_per_cpu_s"]
        out.append(
            f"- the episode log written at >= 2x the previous rate per core: "
            f"{ep.agent_episodes_per_cpu_s:.3g} "
            f"agent-episodes per CPU-second, {gain:.1f}x ({'met' if gain >= 2 else 'not met'})"
        )
        ok = "met" if ep.bytes_per_episode <= 40 else "not met"
        out.append(
            f"- <= 40 bytes per episode on disk: {ep.bytes_per_episode:.1f} ({ok}; "
            f"{BEFORE['bytes_per_episode']:.0f} before)"
        )
    return "\n".join(out)


def machine() -> str:
    import numba
    import numpy
    import pyarrow

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import mesa

        mesa_v = mesa.__version__
    except ImportError:
        mesa_v = "not installed"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, NumPy {numpy.__version__}, "
        f"numba {numba.__version__}, pyarrow {pyarrow.__version__}, Mesa {mesa_v}; "
        f"load average at start {load:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a smaller run that finishes in about a minute")
    ap.add_argument("--json", type=Path, help="write the rows to this JSON file")
    ap.add_argument("--no-mesa", action="store_true", help="skip the Mesa rows")
    args = ap.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    started = time.perf_counter()
    info = machine()
    print(info, flush=True)

    def log(row: Row) -> None:
        print(
            f"  {row.kind:8} {row.mode:28} threads={row.threads} dyads={fmt(row.dyads, ',d'):>9} "
            f"days={row.days} {fmt(row.ns_per_dyad_day, '.1f')} ns/dyad-day "
            f"{fmt(row.agent_episodes_per_s, '.3g')} agent-episodes/s",
            flush=True,
        )

    rows = bench_kernel(cfg, log)
    if not args.no_mesa:
        rows += bench_mesa(cfg, log)
    rows += bench_files(cfg, log)
    rows += bench_other(args.quick)
    others = "\n".join(f"- {r.mode}: {fmt(r.seconds, '.2f')} s" for r in rows if r.kind == "other")
    report = (
        f"\n{info}\n\nKernel (summary sums only) and the Mesa reference on the same runs:\n\n"
        f"{kernel_table(rows)}\n\n"
        f"End to end (simulate_to_files), {cfg.file_dyads:,} dyads x {cfg.file_days} days:\n\n"
        f"{files_table(rows)}\n\n"
        f"{others}\n\nGoals:\n{goals(rows, cfg)}\n\nbenchmark run time {time.perf_counter() - started:.0f} s"
    )
    print(report)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
