"""Parallel efficiency of sweeps on a local Dask cluster: the same sweep on 1 and 2 workers.

Efficiency = T1 / (p x Tp), with T the time from the first task submitted to the last
result stored (cluster start-up excluded, it is paid once per sweep). Each measurement
runs the sweep into a fresh store. Usage: python benchmarks/sweep_efficiency.py [SPEC]
"""

import sys
import tempfile
from pathlib import Path

from empathica.sweep import load_spec, run_sweep

if __name__ == "__main__":
    spec = load_spec(
        sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[1] / "examples" / "sobol.toml"
    )
    times = {}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as store:
            rep = run_sweep(spec, store, workers=workers)
        times[workers] = rep.compute_seconds
        print(
            f"{workers} worker(s): {rep.ran_now} runs, {rep.batch_size} per task, "
            f"compute {rep.compute_seconds:.2f} s, "
            f"whole sweep {rep.seconds:.2f} s, {rep.ran_now / rep.compute_seconds:.1f} runs/s"
        )
    print(f"parallel efficiency at 2 workers: {times[1] / (2 * times[2]):.2f}")
