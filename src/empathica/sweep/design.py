"""Designs: the parameter sets of a sweep (SALib's samplers, plus factorial and Monte Carlo).

``plan(spec)`` returns one row per run: ``run_index``, ``sample``, ``replicate``, ``seed``
and one column per parameter. Seeds come from ``SeedSequence(spec.seed).spawn``: child
``r`` for every run of replicate ``r``. So replicates differ and stay reproducible, the
parameter sets of one replicate share their random numbers (common random numbers: a
difference between two runs is the parameters' doing, not the seed's, which is what
variance-based sensitivity needs), and a run's numbers depend neither on the number
of workers nor on the order in which runs finish.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from empathica.errors import EmpathicaInputError
from empathica.sweep.spec import MAX_RUNS, SweepSpec


def problem(spec: SweepSpec) -> dict:
    """The SALib problem: names and bounds of the parameters."""
    names = list(spec.parameters)
    return {"num_vars": len(names), "names": names, "bounds": [list(spec.parameters[n]) for n in names]}


def samples(spec: SweepSpec) -> np.ndarray:
    """The design's parameter sets (n_samples, n_parameters), deterministic for the spec."""
    p = problem(spec)
    d, n, seed = p["num_vars"], spec.design.n, int(spec.seed % (2**32))
    method = spec.design.method
    if method == "sobol":
        from SALib.sample import sobol

        if n & (n - 1):
            raise EmpathicaInputError(f"design.n = {n}: a Sobol design needs a power of 2 (e.g. 32, 64)")
        return sobol.sample(p, n, calc_second_order=spec.design.second_order, scramble=True, seed=seed)
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(p, n, num_levels=spec.design.levels, seed=seed)
    if method == "fast":
        from SALib.sample import fast_sampler

        return fast_sampler.sample(p, max(n, 4 * 4**2 + 1), seed=seed)
    if method == "latin":
        from SALib.sample import latin

        return latin.sample(p, n, seed=seed)
    lo = np.array([b[0] for b in p["bounds"]])
    hi = np.array([b[1] for b in p["bounds"]])
    if method == "montecarlo":
        return lo + (hi - lo) * np.random.default_rng(seed).random((n, d))
    levels = [np.linspace(a, b, n) for a, b in zip(lo, hi, strict=True)]  # factorial: n levels each
    return np.array(list(itertools.product(*levels)), dtype=float)


def run_seed(seed: int, replicate: int) -> int:
    """The seed of every run of replicate ``replicate``: child ``replicate`` of ``SeedSequence(seed)``."""
    child = np.random.SeedSequence(seed, spawn_key=(int(replicate),))
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))


def plan(spec: SweepSpec) -> pd.DataFrame:
    """Every run of the sweep: its index, sample, replicate, seed and parameter values."""
    x = samples(spec)
    n_runs = len(x) * spec.replicates
    if n_runs > MAX_RUNS:
        raise EmpathicaInputError(f"the design has {n_runs:,} runs; at most {MAX_RUNS:,} per sweep")
    sample = np.repeat(np.arange(len(x)), spec.replicates)
    out = pd.DataFrame(
        {
            "run_index": np.arange(n_runs),
            "sample": sample,
            "replicate": np.tile(np.arange(spec.replicates), len(x)),
        }
    )
    seeds = [run_seed(spec.seed, r) for r in range(spec.replicates)]
    out["seed"] = [seeds[r] for r in out["replicate"]]
    for j, name in enumerate(spec.parameters):
        out[name] = x[sample, j]
    return out
