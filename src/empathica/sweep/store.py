"""The run store: a partitioned Parquet dataset of results and a DuckDB catalog.

    STORE/catalog.duckdb                          sweeps (spec, hash, code version) and runs
                                                  (parameters, seed, status, error, timings, host)
    STORE/results/sweep=<id>/batch-<k>.parquet    one row per run, pairing and responder

The Parquet files are the truth about results: a batch file is written under a
hidden temporary name and renamed when complete, then the catalog is updated in one
transaction. A driver killed between the two leaves a finished file whose runs the
catalog still calls planned; opening the store repairs that (``reconcile``), so a
rerun neither loses nor repeats a run. One driver writes a store at a time (DuckDB
locks the catalog file).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from empathica.errors import EmpathicaInputError, EmpathicaOutputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS sweeps (
    sweep_id TEXT PRIMARY KEY, name TEXT, spec_hash TEXT, spec TEXT, code_version TEXT,
    n_runs INTEGER, created TIMESTAMP
);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, sweep_id TEXT, run_index INTEGER, sample INTEGER, replicate INTEGER,
    seed UBIGINT, params TEXT, status TEXT, error TEXT, seconds DOUBLE, host TEXT, batch TEXT,
    finished TIMESTAMP
);
"""


def sweep_id_of(spec_hash: str) -> str:
    return spec_hash[:12]


def run_id(sweep: str, index: int) -> str:
    return f"{sweep}-{int(index):06d}"


class RunStore:
    """A folder holding the catalog and the results of sweeps."""

    def __init__(self, root: str | Path, read_only: bool = False):
        self.root = Path(root)
        self.results = self.root / "results"
        if read_only and not (self.root / "catalog.duckdb").exists():
            raise EmpathicaInputError(f"{root}: no run store here (run empathica sweep first)")
        try:
            if not read_only:
                self.results.mkdir(parents=True, exist_ok=True)
            self.db = duckdb.connect(str(self.root / "catalog.duckdb"), read_only=read_only)
        except duckdb.IOException as exc:
            raise EmpathicaOutputError(f"{root}: the run store is busy or unreadable ({exc})") from None
        except OSError as exc:
            raise EmpathicaOutputError(f"{root}: cannot open the run store: {exc.strerror or exc}") from None
        if not read_only:
            self.db.execute(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ sweeps
    def register(self, sweep: str, name: str, spec_hash: str, spec_json: str, plan: pd.DataFrame) -> None:
        """Record a sweep and its planned runs (idempotent: a rerun adds nothing)."""
        from empathica import __version__

        exists = self.db.execute("SELECT 1 FROM sweeps WHERE sweep_id = ?", [sweep]).fetchone()
        if exists:
            return
        params = [c for c in plan.columns if c not in ("run_index", "sample", "replicate", "seed")]
        rows = pd.DataFrame(
            {
                "run_id": [run_id(sweep, i) for i in plan["run_index"]],
                "sweep_id": sweep,
                "run_index": plan["run_index"].astype("int32"),
                "sample": plan["sample"].astype("int32"),
                "replicate": plan["replicate"].astype("int32"),
                "seed": plan["seed"].astype("uint64"),
                "params": [
                    json.dumps(dict(zip(params, map(float, r), strict=True))) for r in plan[params].to_numpy()
                ],
                "status": "planned",
                "error": None,
                "seconds": None,
                "host": None,
                "batch": None,
                "finished": pd.NaT,
            }
        )
        self.db.execute("BEGIN")
        self.db.execute(
            "INSERT INTO sweeps VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                sweep,
                name,
                spec_hash,
                spec_json,
                __version__,
                len(plan),
                datetime.now(UTC).replace(tzinfo=None),
            ],
        )
        self.db.register("new_runs", rows)
        self.db.execute("INSERT INTO runs SELECT * FROM new_runs")
        self.db.unregister("new_runs")
        self.db.execute("COMMIT")

    def sweep_folder(self, sweep: str) -> Path:
        return self.results / f"sweep={sweep}"

    def finished_indices(self, sweep: str) -> set[int]:
        """Run indices with results on disk (complete batch files only)."""
        folder = self.sweep_folder(sweep)
        done: set[int] = set()
        for path in sorted(folder.glob("batch-*.parquet")):
            done.update(pq.read_table(path, columns=["run_index"]).column(0).to_pylist())
        return done

    def reconcile(self, sweep: str) -> int:
        """Remove unfinished temporary files and mark runs with results as done; returns how
        many runs the catalog had missed (a driver stopped between file and catalog)."""
        folder = self.sweep_folder(sweep)
        folder.mkdir(parents=True, exist_ok=True)
        for tmp in folder.glob(".batch-*"):
            tmp.unlink(missing_ok=True)
        done = self.finished_indices(sweep)
        query = "SELECT run_index FROM runs WHERE sweep_id = ? AND status = 'done'"
        marked = {r[0] for r in self.db.execute(query, [sweep]).fetchall()}
        missing = sorted(done - marked)
        if missing:
            self.db.execute(
                "UPDATE runs SET status = 'done', error = NULL WHERE sweep_id = ? AND run_index IN "
                f"({','.join(str(int(i)) for i in missing)})",
                [sweep],
            )
        return len(missing)

    def pending(self, sweep: str) -> list[int]:
        """Runs still to do: planned or failed (a rerun retries failed runs)."""
        rows = self.db.execute(
            "SELECT run_index FROM runs WHERE sweep_id = ? AND status <> 'done' ORDER BY run_index", [sweep]
        ).fetchall()
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ batches
    def write_batch(self, sweep: str, results: pd.DataFrame, timings: pd.DataFrame) -> None:
        """Store one finished batch: its results file first (atomic), then the catalog."""
        folder = self.sweep_folder(sweep)
        first = int(timings["run_index"].min())
        name = f"batch-{first:06d}-{secrets.token_hex(4)}.parquet"
        if len(results):
            tmp = folder / f".{name}.partial-{os.getpid()}"
            try:
                pq.write_table(pa.Table.from_pandas(results, preserve_index=False), tmp)
                with open(tmp, "rb") as f:
                    os.fsync(f.fileno())
                os.replace(tmp, folder / name)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise EmpathicaOutputError(f"cannot write to the run store: {exc.strerror or exc}") from None
        now = datetime.now(UTC).replace(tzinfo=None)
        host = socket.gethostname()
        self.db.execute("BEGIN")
        for r in timings.itertuples(index=False):
            status = "done" if isinstance(r.error, float) or r.error is None else "failed"
            self.db.execute(
                "UPDATE runs SET status = ?, error = ?, seconds = ?, host = ?, batch = ?, finished = ? "
                "WHERE run_id = ?",
                [
                    status,
                    None if status == "done" else str(r.error),
                    float(r.seconds),
                    r.host or host,
                    name if status == "done" else None,
                    now,
                    run_id(sweep, r.run_index),
                ],
            )
        self.db.execute("COMMIT")

    # ------------------------------------------------------------------ queries
    def sql(self, query: str) -> pd.DataFrame:
        """A query over the catalog (tables ``sweeps``, ``runs``) and the results (view ``results``)."""
        files = list(self.results.glob("sweep=*/batch-*.parquet"))
        if files:
            pattern = str(self.results / "sweep=*" / "batch-*.parquet")
            self.db.execute(
                f"CREATE OR REPLACE TEMP VIEW results AS SELECT * FROM read_parquet('{pattern}', "
                "hive_partitioning = true, union_by_name = true)"
            )
        try:
            return self.db.execute(query).fetchdf()
        except duckdb.Error as exc:
            raise EmpathicaInputError(f"--sql: {str(exc).splitlines()[0]}") from None

    def sweeps(self) -> pd.DataFrame:
        return self.sql(
            "SELECT s.sweep_id, s.name, s.n_runs, count(*) FILTER (WHERE r.status = 'done') AS done, "
            "count(*) FILTER (WHERE r.status = 'failed') AS failed, s.created FROM sweeps s "
            "JOIN runs r USING (sweep_id) GROUP BY ALL ORDER BY s.created"
        )

    def spec_of(self, sweep: str) -> str:
        row = self.db.execute("SELECT spec FROM sweeps WHERE sweep_id = ?", [sweep]).fetchone()
        if row is None:
            known = (
                ", ".join(r[0] for r in self.db.execute("SELECT sweep_id FROM sweeps").fetchall()) or "none"
            )
            raise EmpathicaInputError(f"no sweep {sweep!r} in the store (known: {known})")
        return row[0]

    def results_of(self, sweep: str) -> pd.DataFrame:
        files = sorted(self.sweep_folder(sweep).glob("batch-*.parquet"))
        if not files:
            return pd.DataFrame()
        df = pd.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)
        return df.sort_values(["run_index", "pair", "responder"], ignore_index=True)

    def run(self, rid: str) -> dict:
        row = self.db.execute("SELECT * FROM runs WHERE run_id = ?", [rid]).fetchdf()
        if row.empty:
            raise EmpathicaInputError(f"no run {rid!r} in the store; list runs with empathica runs")
        return row.iloc[0].to_dict()
