"""Benchmark: Empathica's engine against the same model written in Mesa.

    python benchmarks/run.py                 # full run: 10^2 to 10^6 dyads, several minutes
    python benchmarks/run.py --quick         # under a minute (10^2 to 10^5 dyads, fewer days)
    python benchmarks/run.py --json out.json # also write the rows as JSON

Needs the ``bench`` extra for the Mesa rows (``pip install -e ".[bench]"``); without
Mesa the Empathica rows are still measured.

What is measured, at 10^2 ... 10^6 dyads of the four article pairings
(secure:secure, bpd:secure, npd:secure, npd:bpd), a year (365 days) for every engine:

* ``empathica counts``: the compiled kernel keeping only the summary sums
  (``simulation.simulate_counts``), on 1 thread and on all cores;
* ``empathica log``: the episode log and trajectories built in memory as DataFrames,
  chunk by chunk (``simulation.iter_chunks``);
* ``empathica parquet``: the same written to Parquet files (``simulate_to_files``,
  what ``empathica simulate`` does; up to 10^5 dyads, the files of 10^6 dyad-years
  would take tens of GB);
* ``empathica reference``: the NumPy reference engine (``engine.step``), log in memory;
* ``mesa``: the idiomatic Mesa 3 model of ``benchmarks/mesa_reference`` keeping the
  same summary tallies, and ``mesa log`` keeping an episode log (a list of tuples).
  Mesa runs as many of the days as fit in its time budget; its model construction
  is not timed (this favours Mesa).

An agent-episode is one agent taking part in one episode: every episode involves two
agents (the one with the need and the one who may respond), so agent-episodes are
twice the episodes (``RunReport.agent_episodes_per_second``). Agent-days are agents
times days simulated. ``bytes_per_agent`` is the peak of memory allocated through
Python and NumPy during the run (``tracemalloc``; Arrow's own buffers are not
included) divided by the number of agents; ``state_bytes_per_agent`` is what the
kernel keeps per agent (traits, state, per-dyad state and constants).

Also measured: start-up time of ``empathica --help`` and of a minimal
``empathica simulate``, the run time of the validation suite
(``empathica.validation.run_validation``) and the recognizer's episodes per second
(``empathica.recognize.recognize``); each is reported as n/a if not available.
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
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAIRS = [("secure", "secure"), ("bpd", "secure"), ("npd", "secure"), ("npd", "bpd")]
PAIR_TEXT = ",".join(f"{a}:{b}" for a, b in PAIRS)
SEED = 1


@dataclass
class Row:
    engine: str
    mode: str
    threads: int | None = None
    dyads: int | None = None
    days: int | None = None
    agents: int | None = None
    episodes: int | None = None
    seconds: float | None = None
    agent_episodes_per_s: float | None = None
    agent_days_per_s: float | None = None
    bytes_per_agent: float | None = None
    state_bytes_per_agent: float | None = None
    ratio_vs_mesa: float | None = None
    note: str = ""


@dataclass
class Config:
    sizes: list[int]
    days: int
    mesa_sizes: list[int]
    mesa_log_sizes: list[int]
    mesa_budget: float
    mesa_log_budget: float
    reference_sizes: list[int]
    log_sizes: list[int]
    parquet_sizes: list[int]
    two_thread_sizes: list[int]
    memory_seconds: float  # re-run with tracemalloc only if the timed run took less
    min_time: float  # repeat short runs until this much time has been measured
    validation: bool
    recognizer_dyads: int
    recognizer_days: int


FULL = Config(
    sizes=[100, 1_000, 10_000, 100_000, 1_000_000],
    days=365,
    mesa_sizes=[100, 1_000, 10_000, 100_000, 1_000_000],
    mesa_log_sizes=[100, 1_000, 10_000, 100_000],
    mesa_budget=60.0,
    mesa_log_budget=30.0,
    reference_sizes=[100, 1_000, 10_000],
    log_sizes=[100, 1_000, 10_000, 100_000, 1_000_000],
    parquet_sizes=[100, 1_000, 10_000, 100_000],
    two_thread_sizes=[10_000, 100_000, 1_000_000],
    memory_seconds=30.0,
    min_time=1.0,
    validation=True,
    recognizer_dyads=250,
    recognizer_days=365,
)
QUICK = Config(
    sizes=[100, 1_000, 10_000, 100_000],
    days=40,
    mesa_sizes=[100, 1_000, 10_000, 100_000],
    mesa_log_sizes=[10_000],
    mesa_budget=5.0,
    mesa_log_budget=2.0,
    reference_sizes=[100, 1_000],
    log_sizes=[10_000, 100_000],
    parquet_sizes=[10_000, 100_000],
    two_thread_sizes=[100_000],
    memory_seconds=2.0,
    min_time=0.3,
    validation=False,
    recognizer_dyads=50,
    recognizer_days=100,
)


def per_pair(n: int) -> int:
    return max(1, n // len(PAIRS))


def timed(fn, min_time: float, max_repeats: int = 20):
    """Best wall time of ``fn()`` over repeats (at least two, until ``min_time`` is spent)."""
    best, result, spent, runs = float("inf"), None, 0.0, 0
    while runs < 2 or (spent < min_time and runs < max_repeats):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - start
        best, spent, runs = min(best, dt), spent + dt, runs + 1
        if dt > 5 * min_time:  # long runs: once is enough
            break
    return best, result


def traced_peak(fn) -> int:
    """Peak bytes allocated through Python/NumPy while ``fn()`` runs."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def rates(row: Row) -> Row:
    if row.seconds and row.episodes is not None:
        row.agent_episodes_per_s = 2 * row.episodes / row.seconds
        row.agent_days_per_s = row.agents * row.days / row.seconds
    return row


# --------------------------------------------------------------------------- Empathica


def empathica_counts(n: int, days: int, threads: int | None):
    from empathica.simulation import simulate_counts

    return simulate_counts(PAIR_TEXT, dyads=per_pair(n), days=days, seed=SEED, threads=threads).n_episodes


def empathica_log(n: int, days: int, engine: str = "kernel"):
    from empathica.simulation import iter_chunks

    episodes = 0
    for chunk in iter_chunks(PAIR_TEXT, per_pair(n), days, seed=SEED, engine=engine):
        episodes += len(chunk.episodes)
    return episodes


def empathica_parquet(n: int, days: int):
    from empathica.simulation import simulate_to_files

    out = tempfile.mkdtemp(prefix="empathica-bench-")
    try:
        return simulate_to_files(out, PAIR_TEXT, per_pair(n), days, seed=SEED).n_episodes
    finally:
        shutil.rmtree(out, ignore_errors=True)


def bench_empathica(cfg: Config, log) -> list[Row]:
    import numba

    from empathica.model.kernel import state_bytes_per_agent

    rows = []
    state = state_bytes_per_agent()
    cores = numba.config.NUMBA_NUM_THREADS
    # Warm up: compiled code loaded, and memory the size of one chunk touched once.
    empathica_counts(100, 2, 1)
    empathica_log(min(max(cfg.sizes), 65536 * len(PAIRS)), min(cfg.days, 20))

    plans = []
    for n in cfg.sizes:
        plans.append(("counts", n, 1))
        if cores > 1 and n in cfg.two_thread_sizes:
            plans.append(("counts", n, cores))
    plans += [("log", n, 1) for n in cfg.log_sizes]
    plans += [("parquet", n, 1) for n in cfg.parquet_sizes]
    plans += [("reference", n, 1) for n in cfg.reference_sizes]
    for mode, n, threads in plans:
        agents = 2 * per_pair(n) * len(PAIRS)
        if mode == "counts":
            fn = lambda n=n, t=threads: empathica_counts(n, cfg.days, t)  # noqa: E731
            mem = lambda n=n: empathica_counts(n, 1, 1)  # noqa: E731 (state does not depend on days)
        elif mode == "log":
            fn = mem = lambda n=n: empathica_log(n, cfg.days)  # noqa: E731
        elif mode == "parquet":
            fn = mem = lambda n=n: empathica_parquet(n, cfg.days)  # noqa: E731
        else:
            fn = mem = lambda n=n: empathica_log(n, cfg.days, engine="reference")  # noqa: E731
        seconds, episodes = timed(fn, cfg.min_time)
        row = Row("empathica", mode, threads, n, cfg.days, agents, episodes, seconds)
        row.state_bytes_per_agent = state if mode == "counts" else None
        # The counts path's memory does not depend on days, so it is measured on one day.
        if threads == 1 and (mode == "counts" or seconds < cfg.memory_seconds):
            row.bytes_per_agent = traced_peak(mem) / agents
        rows.append(rates(row))
        log(row)
    return rows


# --------------------------------------------------------------------------- Mesa


def mem_available() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return float(line.split()[1]) * 1024
    except OSError:
        pass
    return float("inf")


def bench_mesa(cfg: Config, log, record: bool) -> list[Row]:
    try:
        from benchmarks.mesa_reference.model import EmpathyModel
    except ImportError as exc:  # mesa not installed
        return [Row("mesa", "log" if record else "tallies", note=f"n/a: {exc}")]
    mode = "log" if record else "tallies"
    budget = cfg.mesa_log_budget if record else cfg.mesa_budget
    rows = []
    build_per_dyad = step_per_dyad_day = bytes_per_agent = None
    for n in cfg.mesa_log_sizes if record else cfg.mesa_sizes:
        dyads = per_pair(n) * len(PAIRS)
        agents = 2 * dyads
        if build_per_dyad is not None:
            predicted = dyads * (build_per_dyad + step_per_dyad_day)
            if predicted > 1.5 * budget or (bytes_per_agent or 0) * agents > 0.4 * mem_available():
                row = Row("mesa", mode, 1, n, note=f"skipped: one day would take about {predicted:.0f} s")
                rows.append(row)
                log(row)
                continue
        gc.collect()
        start = time.perf_counter()
        model = EmpathyModel(PAIRS, dyads=per_pair(n), seed=SEED, log_episodes=record)
        build = time.perf_counter() - start
        start = time.perf_counter()
        days = 0
        while days < cfg.days:
            model.step()
            days += 1
            if time.perf_counter() - start > budget:
                break
        seconds = time.perf_counter() - start
        episodes = model.n_episodes
        del model
        gc.collect()
        build_per_dyad = build / dyads
        step_per_dyad_day = seconds / (dyads * days)
        note = f"{days} of {cfg.days} days in the time budget" if days < cfg.days else ""
        row = Row("mesa", mode, 1, n, days, agents, episodes, seconds, note=note)
        if not record and (n <= 100_000 and build < cfg.memory_seconds):
            row.bytes_per_agent = traced_peak(lambda n=n: _mesa_one_day(EmpathyModel, n)) / agents
            bytes_per_agent = row.bytes_per_agent
        rows.append(rates(row))
        log(row)
    return rows


def _mesa_one_day(model_class, n: int) -> None:
    model = model_class(PAIRS, dyads=per_pair(n), seed=SEED)
    model.step()


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


def bench_startup(cfg: Config) -> list[Row]:
    rows = []
    help_s = best_subprocess([*cli_command(), "--help"], 5)
    rows.append(Row("empathica", "cli --help", seconds=help_s, note="" if help_s else "failed"))
    out = tempfile.mkdtemp(prefix="empathica-bench-")
    try:
        args = [*cli_command(), "simulate", "--dyads", "1", "--days", "1", "--out", out]
        sim_s = best_subprocess(args, 3 if cfg.validation else 2)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    rows.append(
        Row("empathica", "cli simulate (1 dyad, 1 day)", seconds=sim_s, note="" if sim_s else "failed")
    )
    return rows


def bench_validation(cfg: Config) -> Row:
    import importlib.util

    if importlib.util.find_spec("empathica.validation") is None:
        return Row("empathica", "validation suite", note="n/a: empathica.validation not available")
    if not cfg.validation:
        return Row("empathica", "validation suite", note="skipped with --quick")
    code = (
        "import time; t = time.perf_counter(); "
        "from empathica.validation import run_validation; run_validation(); "
        "print(time.perf_counter() - t)"
    )
    try:
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=3600)
    except subprocess.TimeoutExpired:
        return Row("empathica", "validation suite", note="n/a: longer than an hour")
    if res.returncode != 0:
        last = (res.stderr.strip().splitlines() or ["?"])[-1]
        return Row("empathica", "validation suite", note=f"n/a: failed ({last[:80]})")
    return Row("empathica", "validation suite", seconds=float(res.stdout.strip().splitlines()[-1]))


def bench_recognizer(cfg: Config) -> Row:
    try:
        from empathica.recognize.recognizer import recognize
    except ImportError as exc:
        return Row("empathica", "recognizer", note=f"n/a: {exc}")
    import empathica

    episodes = empathica.simulate(
        PAIRS, dyads=cfg.recognizer_dyads, days=cfg.recognizer_days, seed=SEED, trajectories=False
    ).episodes
    try:
        seconds, _ = timed(lambda: recognize(episodes), cfg.min_time, max_repeats=3)
    except Exception as exc:  # the recognizer is someone else's moving target
        return Row("empathica", "recognizer", note=f"n/a: failed ({type(exc).__name__}: {exc})"[:120])
    row = Row("empathica", "recognizer", dyads=len(PAIRS) * cfg.recognizer_dyads, days=cfg.recognizer_days)
    row.episodes, row.seconds = len(episodes), seconds
    row.note = f"{len(episodes) / seconds:,.0f} episodes/s ({episodes['actor'].nunique():,} actors)"
    return row


# --------------------------------------------------------------------------- report


def add_ratios(rows: list[Row]) -> None:
    """Each Empathica row against Mesa's fastest mode (tallies) at the same size."""
    mesa = {
        r.dyads: r.agent_episodes_per_s
        for r in rows
        if r.engine == "mesa" and r.mode == "tallies" and r.agent_episodes_per_s
    }
    for r in rows:
        if r.engine == "empathica" and r.agent_episodes_per_s and r.dyads in mesa:
            r.ratio_vs_mesa = r.agent_episodes_per_s / mesa[r.dyads]


def fmt(x, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def table(rows: list[Row]) -> str:
    names = ["engine", "mode", "threads", "dyads", "days", "agent-episodes/s", "agent-days/s"]
    head = "| " + " | ".join([*names, "bytes/agent", "x Mesa", "note"]) + " |"
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        if r.dyads is None or r.mode == "recognizer":
            continue
        state = f" ({r.state_bytes_per_agent:.0f} state)" if r.state_bytes_per_agent else ""
        lines.append(
            f"| {r.engine} | {r.mode} | {fmt(r.threads, 'd')} | {r.dyads:,} | {fmt(r.days, 'd')} | "
            f"{fmt(r.agent_episodes_per_s, '.3g')} | {fmt(r.agent_days_per_s, '.3g')} | "
            f"{fmt(r.bytes_per_agent, ',.0f')}{state} | {fmt(r.ratio_vs_mesa, ',.0f')} | {r.note} |"
        )
    return "\n".join(lines)


def others(rows: list[Row]) -> str:
    lines = []
    for r in rows:
        if r.dyads is None or r.mode == "recognizer":
            value = f"{r.seconds:.3f} s" if r.seconds is not None and r.mode != "recognizer" else ""
            lines.append(f"- {r.mode}: {value} {r.note}".rstrip())
    return "\n".join(lines)


def goals(rows: list[Row], cfg: Config) -> str:
    def find(engine, mode, threads, dyads):
        for r in rows:
            if (r.engine, r.mode, r.threads, r.dyads) == (engine, mode, threads, dyads):
                return r
        return None

    out = []
    big = max(cfg.sizes)
    at = 100_000 if 100_000 in cfg.sizes else big
    c1 = find("empathica", "counts", 1, at)
    cores = [r for r in rows if r.mode == "counts" and r.dyads == at and (r.threads or 1) > 1]
    if c1 and c1.ratio_vs_mesa:
        best = max([c1, *cores], key=lambda r: r.ratio_vs_mesa)
        ok = "met" if best.ratio_vs_mesa >= 100 else "not met"
        where = f"on {best.threads} cores" if best.threads and best.threads > 1 else "on one core"
        one = f"; {c1.ratio_vs_mesa:,.0f}x on one core" if best is not c1 else ""
        out.append(f"- >= 100x Mesa at {at:,} dyads: {best.ratio_vs_mesa:,.0f}x {where} ({ok}){one}")
    else:
        out.append(f"- >= 100x Mesa at {at:,} dyads: n/a (no Mesa measurement at this size)")
    c_big = find("empathica", "counts", 1, big)
    if c_big:
        ok = "met" if c_big.agent_episodes_per_s >= 1e7 else "not met"
        out.append(
            f"- >= 1e7 agent-episodes/s on one core at {big:,} dyads: {c_big.agent_episodes_per_s:.3g} ({ok})"
        )
        state = c_big.state_bytes_per_agent
        peak = f", measured peak {c_big.bytes_per_agent:.0f}" if c_big.bytes_per_agent else ""
        out.append(
            f"- <= 256 bytes of state per agent: {state:.1f}{peak} ({'met' if state <= 256 else 'not met'})"
        )
    counts = sorted(
        (r.dyads, r.seconds)
        for r in rows
        if r.engine == "empathica" and r.mode == "counts" and r.threads == 1 and r.seconds
    )
    if len(counts) > 2:
        # time = fixed + per_dyad_day * dyad-days: the fixed part is a run's set-up (profiles,
        # summary table); linear means the per dyad-day cost does not grow with the population.
        n0, t0 = counts[0]
        fixed = max(0.0, t0 - (counts[1][1] - t0) / (counts[1][0] - n0) * n0)
        per = [(n, (t - fixed) / (n * cfg.days)) for n, t in counts if n >= 10_000]
        if len(per) > 1:
            costs = [c for _, c in per]
            spread = max(costs) / min(costs)
            detail = ", ".join(f"{n:,}: {c * 1e9:.0f} ns" for n, c in per)
            ok = "met" if spread < 1.25 else "not met"
            out.append(
                f"- cost linear in dyads: per dyad-day {detail} (max/min {spread:.2f}) after a fixed "
                f"{fixed * 1e3:.0f} ms per run ({ok})"
            )
    helps = [r for r in rows if r.mode == "cli --help" and r.seconds]
    if helps:
        ok = "met" if helps[0].seconds < 0.5 else "not met"
        out.append(f"- `empathica --help` under 0.5 s: {helps[0].seconds:.2f} s ({ok})")
    return "\n".join(out)


def machine() -> str:
    import numba
    import numpy

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
        f"numba {numba.__version__}, Mesa {mesa_v}; load average at start {load:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a smaller run that finishes within a minute")
    ap.add_argument("--json", type=Path, help="write the rows to this JSON file")
    ap.add_argument("--days", type=int, help="days to simulate (default 365, 40 with --quick)")
    ap.add_argument("--no-mesa", action="store_true", help="skip the Mesa rows")
    args = ap.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    if args.days:
        cfg.days = args.days
    started = time.perf_counter()
    info = machine()
    print(info, flush=True)

    def log(row: Row) -> None:
        rate = fmt(row.agent_episodes_per_s, ".3g")
        print(f"  {row.engine:9} {row.mode:9} threads={row.threads} dyads={row.dyads:>9,} {rate} {row.note}",
              flush=True)  # fmt: skip

    rows = bench_empathica(cfg, log)
    if not args.no_mesa:
        rows += bench_mesa(cfg, log, record=False)
        rows += bench_mesa(cfg, log, record=True)
    rows += bench_startup(cfg)
    rows.append(bench_validation(cfg))
    rows.append(bench_recognizer(cfg))
    add_ratios(rows)
    elapsed = time.perf_counter() - started
    report = (
        f"\n{info}\n{cfg.days} days per run; x Mesa: agent-episodes/s over Mesa's (tallies, one core) "
        f"at the same size, measured in this run.\n\n{table(rows)}\n\n{others(rows)}\n\n"
        f"Goals:\n{goals(rows, cfg)}\n\nbenchmark run time {elapsed:.0f} s"
    )
    print(report)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
