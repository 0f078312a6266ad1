"""Cost of a calibration: ABC-SMC of the example spec's free parameters to all its findings
(fit and test sets together), on a local Dask cluster; time per simulation, acceptance
rates per generation, wall time.

Usage::

    python benchmarks/calibrate.py               # examples/evidence.toml, every finding fitted, 2 workers
    python benchmarks/calibrate.py --quick       # the --quick sizes (seconds)
    python benchmarks/calibrate.py --workers 1

The time per simulation is measured twice: in this process (best of three, one
simulation of every finding) and from the run (wall time x workers / simulations, which
includes the sampler's waiting: static scheduling waits for a generation's slowest
particle).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from empathica.calibrate.run import calibrate
from empathica.calibrate.simulator import findings
from empathica.calibrate.spec import load_calibration

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", default=str(ROOT / "examples" / "evidence.toml"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    spec = load_calibration(args.spec)
    spec = spec.model_copy(update={"fit": spec.fit + spec.test, "test": (), "recovery_truths": 0})
    if args.quick:
        spec = spec.quick()
    keys = [f.key for f in spec.fit]
    theta = {p.name: 0.5 * (p.low + p.high) for p in spec.parameter}
    findings(theta, spec.parameter, keys, 0, spec.group_n)  # compile and warm
    one = float("inf")
    for s in range(3):
        t = time.perf_counter()
        findings(theta, spec.parameter, keys, s + 1, spec.group_n)
        one = min(one, time.perf_counter() - t)
    start = time.perf_counter()
    result = calibrate(spec, workers=args.workers, recovery=False)
    wall = time.perf_counter() - start
    g, timing = result.generations, result.timing
    n_par, n_fit = len(spec.parameter), len(keys)
    print(f"{n_par} free parameters, {n_fit} findings fitted, population {spec.population_size}")
    print(f"one simulation in process: {one:.3f} s")
    print(
        f"ABC-SMC: {timing['simulations']} simulations in {timing['abc_seconds']:.0f} s on "
        f"{timing['workers']} workers = {timing['seconds_per_simulation']:.3f} s per simulation "
        f"and worker; whole calibration with predictions {wall:.0f} s ({wall / 60:.1f} min)"
    )
    columns = ["generation", "epsilon", "simulations", "acceptance_rate", "seconds", "effective_size"]
    print(g[columns].to_string(index=False))


if __name__ == "__main__":
    main()
