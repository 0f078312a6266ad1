"""Cost of slow traits: the two-time-scale engine (``model.course.live``) against the fused
kernel alone, in ns per dyad-day, measured in one run (ratios, not absolute times).

Usage::

    python benchmarks/slow_traits.py            # 2,000 dyads x 52 weeks
    python benchmarks/slow_traits.py --quick    # 500 dyads x 26 weeks

Three runs of the same couples (article bpd with a population partner): the kernel
for all days in one call (counts only: ``simulate_counts``' path), ``live`` without
therapy (a kernel call per week, state carried, per-person weekly sums, the weekly
table) and ``live`` with a four-component therapy (adherence, drop-out and plasticity
every week). Best of three repetitions each.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from empathica.lab.loved_ones import couples
from empathica.lab.therapy import THERAPIES
from empathica.model import chunks, course, interventions
from empathica.model.params import ModelParams


def best(fn, reps: int = 3) -> float:
    fn()  # compile and warm
    out = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n, weeks = (500, 26) if args.quick else (2000, 52)
    tr = couples("bpd", "population", n, seed=0)
    days = 7 * weeks
    dyad_days = n * days
    th = THERAPIES["npd"]
    therapy = interventions.therapy(th["name"], th["schedule"], th["collaboration"])

    def kernel_only():
        su = chunks.setup(
            np.uint64(1), np.arange(n), np.zeros((1, 10)), np.zeros((n, 2)), 1, 0.0, ModelParams(), traits_=tr
        )
        chunks.run_chunk(su, days, keep_episodes=False, keep_trajectories=False, n_pairs=n, keep_state=True)

    runs = {
        "kernel, one call": kernel_only,
        "live, no therapy": lambda: course.live(tr, weeks, seed=1),
        "live, therapy": lambda: course.live(tr, weeks, seed=1, therapy=therapy),
    }
    base = None
    print(f"{n} dyads x {weeks} weeks ({dyad_days:,} dyad-days)")
    for name, fn in runs.items():
        ns = best(fn) / dyad_days * 1e9
        base = base or ns
        print(f"{name:18s} {ns:8.1f} ns per dyad-day  ({ns / base:.2f}x the kernel)")


if __name__ == "__main__":
    main()
