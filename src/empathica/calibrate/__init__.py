"""Calibration of the model to published findings by simulation-based inference.

Built on pyabc's ABC-SMC. What is here so far: ``sampler``, a pyabc sampler that
evaluates particles on any map (a Dask client's among them) with one seed per
particle, so a calibration gives the same posterior whatever the number of workers
and however the tasks are scheduled. The calibration spec, the simulator of findings
and the reports build on it (docs/calibrate.md).
"""

from empathica.calibrate.sampler import SeededMapSampler, dask_map

__all__ = ["SeededMapSampler", "dask_map"]
