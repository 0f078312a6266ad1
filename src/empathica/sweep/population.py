"""One large population split in chunks across Dask workers: the same numbers as one process.

``simulate_counts`` adds up a run chunk by chunk (``chunk_size`` dyads each, every
dyad's numbers addressed by its id). Here each chunk is a task; the driver adds the
chunks' sums in chunk order, exactly as the single process does, so the summary is
bit-identical for the same seed whatever the number of workers.
"""

from __future__ import annotations

import time

import numpy as np

from empathica.model.params import ModelParams
from empathica.model.profiles import DEFAULT_SPREAD


def _chunk_counts(key, first, last, table, pair_codes, dyads_per_pair, spread, model, days, n_pairs):
    from empathica.model import chunks

    su = chunks.setup(key, np.arange(first, last), table, pair_codes, dyads_per_pair, spread, model)
    counts = chunks.run_counts(su, days, n_pairs, threads=1)
    return counts.sums, counts.day_sums


def counts_on_cluster(
    client,
    pairs,
    dyads: int,
    days: int,
    seed: int = 0,
    spread: float = DEFAULT_SPREAD,
    overrides: dict | None = None,
    model: ModelParams | None = None,
    chunk_size: int = 1 << 16,
):
    """``empathica.simulate_counts`` with its chunks computed on the workers of ``client``."""
    from empathica.model import kernel, streams
    from empathica.simulation import (
        CountsReport,
        _kernel_day_sums,
        _kernel_episode_sums,
        _pair_names,
        make_layout,
    )
    from empathica.summary import summarize

    layout = make_layout(pairs, dyads, overrides)
    model = model or ModelParams()
    key = streams.stream_key(seed)
    table = np.stack([p.means() for p in layout.profiles])
    n_pairs = len(layout.pair_codes)
    start = time.perf_counter()
    shared = client.scatter([table, layout.pair_codes, model], broadcast=True)
    futures = [
        client.submit(
            _chunk_counts,
            key,
            first,
            min(layout.n_dyads, first + chunk_size),
            shared[0],
            shared[1],
            layout.dyads_per_pair,
            float(spread),
            shared[2],
            int(days),
            n_pairs,
            pure=False,
            retries=2,
        )
        for first in range(0, layout.n_dyads, int(chunk_size))
    ]
    sums = np.zeros((2 * n_pairs, len(kernel.SUM_COLUMNS)))
    day_sums = np.zeros((n_pairs, len(kernel.DAY_SUM_COLUMNS)))
    for fut in futures:  # in chunk order, as one process adds them
        s, d = fut.result()
        sums += s
        day_sums += d
        fut.release()
    summary = summarize(
        _kernel_episode_sums(sums, layout), _kernel_day_sums(day_sums, layout), pair_order=_pair_names(pairs)
    )
    return CountsReport(
        summary, int(sums[:, 0].sum()), layout.n_dyads, int(days), time.perf_counter() - start
    )
