"""Sweeps and sensitivity analysis on dask.distributed, with a queryable run store.

``load_spec`` (spec.py) -> ``plan`` (design.py: SALib designs, per-run seeds) ->
``run_sweep`` (execute.py: batches on a local or remote Dask cluster, resumable) ->
``RunStore`` (store.py: Parquet results + DuckDB catalog) -> ``analyze``
(sensitivity.py: Sobol / Morris / FAST indices with intervals). ``regenerate_episodes``
rebuilds any run's episode log for chosen dyads from its catalog entry.
"""

from empathica.sweep.design import plan, run_seed
from empathica.sweep.execute import run_sweep
from empathica.sweep.spec import METRICS, SweepSpec, load_spec
from empathica.sweep.store import RunStore

__all__ = ["METRICS", "RunStore", "SweepSpec", "load_spec", "plan", "run_seed", "run_sweep"]
