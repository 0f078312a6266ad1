"""Calibration of the model to published findings by simulation-based inference.

Built on pyabc's ABC-SMC, as a ``sample -> evaluate -> analyze`` pipeline. What is
here so far: ``spec`` (free parameters with uniform priors, the fit set and the
held-out test set of findings, each a validation row with its published value and
standard error), ``simulator`` (the evaluate step: parameters -> the findings the
model gives, and their distance to the published ones) and ``sampler`` (a pyabc
sampler with one seed per particle, so a posterior does not depend on the number of
Dask workers). docs/calibrate.md says what is still to be built.
"""

from empathica.calibrate.sampler import SeededMapSampler, dask_map
from empathica.calibrate.simulator import apply, distance, findings
from empathica.calibrate.spec import (
    CalibrationSpec,
    Finding,
    Parameter,
    calibration_from_dict,
    load_calibration,
)

__all__ = [
    "CalibrationSpec",
    "Finding",
    "Parameter",
    "SeededMapSampler",
    "apply",
    "calibration_from_dict",
    "dask_map",
    "distance",
    "findings",
    "load_calibration",
]
