"""A whole calibration: sample (ABC-SMC with model selection), evaluate the posterior's
predictions for the fit and test sets, analyze identifiability and recovery.

``calibrate(spec)`` returns a ``Calibration`` of tidy DataFrames; ``write_calibration``
puts them in a results folder (Parquet and CSV, pyabc's history database, the spec),
which appears only when complete.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import weakref
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from empathica.calibrate import analyze
from empathica.calibrate.abc import Sizes, posterior, sample
from empathica.calibrate.compare import compare
from empathica.calibrate.simulator import ACCOUNTS, findings, simulate_task
from empathica.calibrate.spec import CalibrationSpec

Progress = Callable[[str, int, int], None]  # (stage, done, total)

#: Stream labels of the calibration's own draws (SeedSequence([seed, LABEL, i])).
_PREDICT, _RECOVER, _COMPARE = 2, 3, 6


@dataclass
class Calibration:
    """A calibration's results, as tidy tables (docs/calibrate.md says what each holds)."""

    spec: CalibrationSpec
    posterior: pd.DataFrame  # the last generation's particles of the evidence account, with weights
    generations: (
        pd.DataFrame
    )  # per generation: epsilon, simulations, acceptance, seconds, effective sample size
    parameters: pd.DataFrame  # identifiability: posterior summaries and contraction
    correlations: pd.DataFrame
    predictions: pd.DataFrame  # predictive intervals of every finding, per account
    models: pd.DataFrame  # marginal likelihoods and posterior probabilities of the accounts, per tolerance
    claims: pd.DataFrame  # finding by finding: which account predicts the published value best
    recovery: pd.DataFrame  # per synthetic truth and parameter
    coverage: pd.DataFrame
    timing: dict = field(default_factory=dict)
    history_db: Path | None = None


def _seed(seed: int, label: int, i: int) -> int:
    return int(np.random.SeedSequence([seed, label, i]).generate_state(1)[0] >> 1)


@contextmanager
def _mapper(workers: int, scheduler: str | None):
    """An in-order map: in process for one worker without a scheduler, else on Dask."""
    if workers <= 1 and scheduler is None:
        yield map, 1
        return
    from empathica.calibrate.sampler import dask_map
    from empathica.sweep import cluster

    with cluster.client(workers, scheduler) as client:
        yield dask_map(client), len(client.scheduler_info()["workers"]) or workers


def _generations(history) -> pd.DataFrame:
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0].reset_index(drop=True)
    out = pd.DataFrame(
        {
            "generation": pops["t"].astype(int),
            "epsilon": pops["epsilon"].astype(float),
            "accepted": pops["particles"].astype(int),
            "simulations": pops["samples"].astype(int),
            "seconds": pops["wall_time"].astype(float),
        }
    )
    out["acceptance_rate"] = out["accepted"] / out["simulations"]
    out["effective_size"] = [
        analyze.effective_size(history.get_distribution(m=0, t=int(t))[1]) for t in out["generation"]
    ]
    return out


def _predictions(spec: CalibrationSpec, particles, w, map_, on: Progress | None) -> pd.DataFrame:
    """Predictive intervals for every finding: the evidence account from posterior draws,
    the article and null accounts (no free parameters) from replicate seeds."""
    keys = [f.key for f in analyze.published(spec)]
    rng = np.random.default_rng([spec.seed, _PREDICT])
    n = spec.predictive_draws
    picks = rng.choice(len(particles), size=n, p=w)
    names = [p.name for p in spec.parameter]
    tasks = [
        ("evidence", {k: float(particles.iloc[i][k]) for k in names}, _seed(spec.seed, _PREDICT, j))
        for j, i in enumerate(picks)
    ]
    n_fixed = max(5, n // 4)
    for a in ACCOUNTS[1:]:
        tasks += [
            (a, {}, _seed(spec.seed, _PREDICT, 10_000 * (1 + ACCOUNTS.index(a)) + j)) for j in range(n_fixed)
        ]
    if on:
        on("predictions", 0, len(tasks))
    sims = pd.DataFrame(list(map_(partial(simulate_task, spec, keys), tasks)))
    if on:
        on("predictions", len(tasks), len(tasks))
    sims["account"] = [t[0] for t in tasks]
    frames = [analyze.predictive(g, spec, rng, a) for a, g in sims.groupby("account", sort=False)]
    return pd.concat(frames, ignore_index=True)


def recover(spec: CalibrationSpec, map_=map, on: Progress | None = None) -> pd.DataFrame:
    """Parameter recovery: for each of ``spec.recovery_truths`` parameter vectors drawn
    from the prior, synthetic published findings (the model's fit set at that truth plus
    each study's sampling error, ``N(0, se^2)``) are calibrated by the same ABC-SMC
    (evidence account, the recovery sizes), and the posterior is set against the truth."""
    rows: list[dict] = []
    sizes = Sizes(spec.recovery_population, spec.recovery_generations)
    keys = [f.key for f in spec.fit]
    folder = Path(tempfile.mkdtemp(prefix="empathica-recovery-"))
    try:
        for r in range(spec.recovery_truths):
            if on:
                on("recovery", r, spec.recovery_truths)
            rng = np.random.default_rng([spec.seed, _RECOVER, r])
            truth = {p.name: float(rng.uniform(p.low, p.high)) for p in spec.parameter}
            sim = findings(truth, spec.parameter, keys, _seed(spec.seed, _RECOVER, r), spec.group_n)
            observed = {f.key: sim[f.key] + float(rng.normal(0.0, f.se)) for f in spec.fit}
            history = sample(
                spec,
                observed,
                map_,
                sizes=sizes,
                seed=_seed(spec.seed, _RECOVER + 1, r),
                db=folder / f"truth{r}.db",
            )
            particles, w, t = posterior(history)
            epsilon = float(history.get_all_populations().set_index("t").loc[t, "epsilon"])
            for row in analyze.recovery_rows(truth, particles, w, spec.parameter, r):
                rows.append(row | {"epsilon": epsilon, "effective_size": analyze.effective_size(w)})
        if on:
            on("recovery", spec.recovery_truths, spec.recovery_truths)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return pd.DataFrame(
        rows,
        columns=[
            "truth",
            "parameter",
            "true",
            "median",
            "covered50",
            "covered90",
            "u",
            "epsilon",
            "effective_size",
        ],
    )


def calibrate(
    spec: CalibrationSpec,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    recovery: bool = True,
    progress: Progress | None = None,
) -> Calibration:
    """Calibrate ``spec``: ABC-SMC over the accounts on the fit set, predictions for the
    fit and test sets, identifiability, and (``recovery``) the recovery check. The same
    spec gives the same tables on any number of workers."""
    folder = Path(tempfile.mkdtemp(prefix="empathica-calibration-"))
    db = folder / "abc.db"
    start = time.perf_counter()
    try:
        with _mapper(workers, scheduler) as (map_, n_workers):
            observed = {f.key: f.value for f in spec.fit}

            def generation(t: int, accepted: int, evaluations: int) -> None:
                if progress:
                    progress("generations", t + 2, spec.generations + 1)  # t = -1: pyabc's calibration sample

            if progress:
                progress("generations", 0, spec.generations + 1)
            history = sample(spec, observed, map_, db=db, on_generation=generation)
            sampled = time.perf_counter()
            particles, w, _ = posterior(history)
            gens = _generations(history)
            preds = _predictions(spec, particles, w, map_, progress)
            if progress:
                progress("model comparison", 0, 1)
            models = compare(
                spec,
                particles,
                w,
                float(gens["epsilon"].iloc[-1]),
                map_,
                draws=spec.comparison_draws,
                replicates=spec.comparison_replicates,
                seed_of=partial(_seed, spec.seed, _COMPARE),
                rng=np.random.default_rng([spec.seed, _COMPARE]),
            )
            if progress:
                progress("model comparison", 1, 1)
            rec = recover(
                spec if recovery else spec.model_copy(update={"recovery_truths": 0}), map_, progress
            )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # an interrupted calibration leaves nothing behind
        raise
    end = time.perf_counter()
    post = particles[[p.name for p in spec.parameter]].copy()
    post["weight"] = w
    simulations = int(history.total_nr_simulations)
    timing = {
        "workers": n_workers,
        "abc_seconds": sampled - start,
        "total_seconds": end - start,
        "simulations": simulations,
        "seconds_per_simulation": (sampled - start) * n_workers / max(simulations, 1),
    }
    result = Calibration(
        spec=spec,
        posterior=post,
        generations=gens,
        parameters=analyze.identifiability(particles, w, spec.parameter),
        correlations=analyze.correlations(particles, w, spec.parameter),
        predictions=preds,
        models=models,
        claims=analyze.claims(preds),
        recovery=rec,
        coverage=analyze.coverage(rec),
        timing=timing,
        history_db=db,
    )
    weakref.finalize(result, shutil.rmtree, folder, True)  # the temporary history goes with the result
    return result


def tables(result: Calibration) -> dict[str, pd.DataFrame]:
    """The result's tables by file stem."""
    return {
        "posterior": result.posterior,
        "generations": result.generations,
        "parameters": result.parameters,
        "correlations": result.correlations,
        "predictions": result.predictions,
        "models": result.models,
        "claims": result.claims,
        "recovery": result.recovery,
        "coverage": result.coverage,
    }


def write_calibration(result: Calibration, out: str | Path, force: bool = False) -> list[Path]:
    """The calibration as folder ``out``: every table as Parquet (DuckDB reads them:
    ``select * from 'out/posterior.parquet'``) and CSV, pyabc's history (``abc.db``),
    the spec and the timing; it appears only when complete, replaces earlier results only
    with ``force=True``."""
    import json

    import empathica
    from empathica.io.rundir import RunDirectory

    manifest = {
        "command": "calibrate",
        "empathica_version": empathica.__version__,
        "parameters": result.spec.model_dump(mode="json"),
        "timing": result.timing,
    }
    names: list[str] = []
    with RunDirectory(out, force=force, manifest=manifest) as run:
        for stem, df in tables(result).items():
            df.to_parquet(run.path(f"{stem}.parquet"), index=False)
            run.add_file(f"{stem}.parquet", len(df))
            run.write_text(f"{stem}.csv", df.to_csv(index=False))
            names += [f"{stem}.parquet", f"{stem}.csv"]
        if result.history_db is not None and result.history_db.exists():
            shutil.copyfile(result.history_db, run.path("abc.db"))
            run.add_file("abc.db", 1)
            names.append("abc.db")
        run.write_text("spec.json", result.spec.model_dump_json(indent=1) + "\n")
        run.write_text("timing.json", json.dumps(result.timing, indent=1) + "\n")
        names += ["spec.json", "timing.json"]
    return [run.target / n for n in names]
