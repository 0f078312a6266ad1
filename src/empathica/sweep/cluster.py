"""The Dask cluster of sweeps and calibrations: local worker processes on 127.0.0.1, or
an existing scheduler's address."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


def warm_up() -> None:
    """Load the compiled kernel in a worker (part of starting the cluster, paid once)."""
    import empathica

    empathica.simulate_counts("secure:secure", dyads=2, days=2, seed=0, threads=1)


@contextmanager
def client(workers: int = 2, scheduler: str | None = None) -> Iterator:
    """A ``distributed.Client`` on ``workers`` local processes of one thread each (bound to
    127.0.0.1, no dashboard), or on ``scheduler``; the kernel is loaded in every worker."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=40,
        )
    try:
        with Client(cluster if cluster is not None else scheduler) as c:
            c.run(warm_up)
            yield c
    finally:
        if cluster is not None:
            cluster.close()
