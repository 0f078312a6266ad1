"""Running a sweep on dask.distributed: batches of runs per task, results into the run store.

The driver plans the runs, registers them in the catalog, times one run to size the
batches (so that a task lasts about ``TARGET_TASK_SECONDS``: per-task overhead and
pickling stay small against the work), submits the pending batches to the cluster
(a local one by default, or ``scheduler=tcp://host:port``), and stores each batch as it
completes. A run that raises is recorded with its error and the sweep goes on. A
worker killed mid-task has its task rerun elsewhere by the scheduler; a driver killed
mid-sweep loses nothing either: rerunning the same spec continues with what is not
stored yet (``RunStore.reconcile``).
"""

from __future__ import annotations

import math
import os
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from empathica.errors import EmpathicaInputError
from empathica.sweep.design import plan
from empathica.sweep.spec import SweepSpec, spec_from_dict
from empathica.sweep.store import RunStore, sweep_id_of

#: Wanted duration of one task; a batch holds as many runs as fit in it.
TARGET_TASK_SECONDS = 1.0
#: Tasks in flight per worker (enough to keep every worker busy, few enough to stop quickly).
IN_FLIGHT_PER_WORKER = 4


def _settings(spec: SweepSpec, row: dict) -> tuple[dict, object]:
    """(trait overrides per profile, mechanism constants) of one run."""
    from empathica.model.params import ModelParams

    overrides: dict[str, dict[str, float]] = {}
    groups: dict[str, dict[str, float]] = {}
    for name in spec.parameters:
        head, _, field = name.partition(".")
        target = groups if head in ModelParams.model_fields else overrides
        target.setdefault(head, {})[field] = float(row[name])
    try:
        model = ModelParams(**{g: {**getattr(ModelParams(), g).model_dump(), **v} for g, v in groups.items()})
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(x) for x in err["loc"])
        raise EmpathicaInputError(f"{name} = {err.get('input')}: {err['msg']}") from None
    return overrides, model


def run_one(spec: SweepSpec, row: dict) -> pd.DataFrame:
    """One run's metrics: a row per pairing and responder."""
    import empathica

    overrides, model = _settings(spec, row)
    kwargs = {} if spec.scenario.spread is None else {"spread": spec.scenario.spread}
    rep = empathica.simulate_counts(
        spec.scenario.pairs,
        dyads=spec.scenario.dyads,
        days=spec.scenario.days,
        seed=int(row["seed"]),
        overrides=overrides,
        model=model,
        threads=1,
        **kwargs,
    )
    out = rep.summary[["pair", "responder", *spec.metrics]].copy()
    out.insert(0, "run_index", int(row["run_index"]))
    return out


def run_batch(spec_json: str, rows: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A task: the runs of one batch (results, and per run its time, host and error)."""
    import json

    spec = spec_from_dict(json.loads(spec_json))
    results, timings = [], []
    host = f"{socket.gethostname()}:{os.getpid()}"
    for row in rows:
        start = time.perf_counter()
        error = None
        try:
            results.append(run_one(spec, row))
        except Exception as exc:  # recorded with the run; the sweep goes on
            error = f"{type(exc).__name__}: {exc}".splitlines()[0][:500] or traceback.format_exc(limit=1)
        timings.append(
            {
                "run_index": int(row["run_index"]),
                "seconds": time.perf_counter() - start,
                "host": host,
                "error": error,
            }
        )
    res = pd.concat(results, ignore_index=True) if results else pd.DataFrame()
    return res, pd.DataFrame(timings)


@dataclass
class SweepReport:
    sweep_id: str
    n_runs: int
    done: int
    failed: int
    ran_now: int
    repaired: int
    seconds: float
    batch_size: int
    workers: int
    compute_seconds: float = 0.0  # from the first task submitted to the last result stored

    @property
    def runs_per_second(self) -> float:
        return self.ran_now / self.seconds if self.seconds else float("nan")


def run_sweep(
    spec: SweepSpec,
    store: str | Path,
    workers: int = 2,
    scheduler: str | None = None,
    on_progress: Callable[[int, int, int], None] | None = None,
    batch_size: int | None = None,
) -> SweepReport:
    """Run (or continue) a sweep; ``on_progress(done, failed, total)`` after each batch."""
    from dask.distributed import as_completed

    from empathica.sweep import cluster

    sweep = sweep_id_of(spec.hash)
    runs = plan(spec)
    spec_json = spec.canonical()
    start = time.perf_counter()
    with RunStore(store) as st:
        st.register(sweep, spec.name, spec.hash, spec_json, runs)
        repaired = st.reconcile(sweep)
        todo = st.pending(sweep)
        total = len(runs)
        rows = runs.set_index("run_index", drop=False)
        done_before = total - len(todo)
        n_done, n_failed = done_before, 0

        def store_batch(result) -> None:
            nonlocal n_done, n_failed
            res, tim = result
            st.write_batch(sweep, res, tim)
            bad = int(tim["error"].notna().sum())
            n_done += len(tim) - bad
            n_failed += bad
            if on_progress is not None:
                on_progress(n_done, n_failed, total)

        if on_progress is not None:
            on_progress(n_done, n_failed, total)
        if not todo:
            return SweepReport(sweep, total, n_done, n_failed, 0, repaired, time.perf_counter() - start, 0, 0)
        records = rows.loc[todo].to_dict("records")
        # Size the batches from two runs done here (the first one also loads the compiled
        # kernel; their results are kept, not wasted).
        store_batch(run_batch(spec_json, records[:1]))
        t0 = time.perf_counter()
        if len(records) > 1:
            store_batch(run_batch(spec_json, records[1:2]))
        per_run = max(time.perf_counter() - t0, 1e-4)
        records = records[2:]
        n_workers = workers
        compute = 0.0
        if batch_size is None:
            balance = math.ceil(len(records) / (4 * workers)) or 1  # at least 4 tasks per worker
            batch_size = max(1, min(math.ceil(TARGET_TASK_SECONDS / per_run), balance))
        batches = [records[i : i + batch_size] for i in range(0, len(records), batch_size)]
        if batches:
            with cluster.client(workers, scheduler) as client:
                n_workers = len(client.scheduler_info()["workers"]) or workers
                spec_future = client.scatter(spec_json, broadcast=True)
                t_compute = time.perf_counter()
                pending = iter(batches)
                futures = as_completed()
                for _ in range(IN_FLIGHT_PER_WORKER * n_workers):
                    batch = next(pending, None)
                    if batch is None:
                        break
                    futures.add(client.submit(run_batch, spec_future, batch, pure=False, retries=2))
                for fut in futures:
                    store_batch(fut.result())
                    fut.release()
                    batch = next(pending, None)
                    if batch is not None:
                        futures.add(client.submit(run_batch, spec_future, batch, pure=False, retries=2))
                compute = time.perf_counter() - t_compute
        seconds = time.perf_counter() - start
        ran = n_done + n_failed - done_before
        return SweepReport(
            sweep,
            total,
            n_done,
            n_failed,
            ran,
            repaired,
            seconds,
            batch_size,
            n_workers,
            compute if batches else 0.0,
        )
