"""A stored run's episode log, regenerated for chosen dyads from its catalog entry.

Every random number is addressed by (seed, dyad, day, draw), so the kernel run for
dyads 17 and 42 alone gives exactly their episodes of the whole run. The ``episode``
column numbers rows within the log it belongs to; every other column is identical.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from empathica.errors import EmpathicaInputError
from empathica.sweep.execute import _settings
from empathica.sweep.spec import spec_from_dict
from empathica.sweep.store import RunStore

MAX_DYADS = 100_000


def regenerate_episodes(store: RunStore, rid: str, dyads: list[int]) -> pd.DataFrame:
    """The episode log of run ``rid`` restricted to ``dyads`` (global dyad ids)."""
    from empathica import logs
    from empathica.model import chunks, streams
    from empathica.model.profiles import DEFAULT_SPREAD
    from empathica.simulation import make_layout

    run = store.run(rid)
    spec = spec_from_dict(json.loads(store.spec_of(run["sweep_id"])))
    row = {**json.loads(run["params"]), "seed": int(run["seed"]), "run_index": int(run["run_index"])}
    overrides, model = _settings(spec, row)
    layout = make_layout(spec.scenario.pairs, spec.scenario.dyads, overrides)
    ids = np.unique(np.asarray(dyads, dtype=np.int64))
    if len(ids) == 0 or len(ids) > MAX_DYADS:
        raise EmpathicaInputError(f"--dyads: give 1 to {MAX_DYADS:,} dyad ids")
    if ids.min() < 0 or ids.max() >= layout.n_dyads:
        raise EmpathicaInputError(f"--dyads: run {rid} has dyads 0 to {layout.n_dyads - 1}")
    spread = DEFAULT_SPREAD if spec.scenario.spread is None else spec.scenario.spread
    table = np.stack([p.means() for p in layout.profiles])
    su = chunks.setup(
        streams.stream_key(int(run["seed"])),
        ids,
        table,
        layout.pair_codes,
        layout.dyads_per_pair,
        spread,
        model,
    )
    arrays = chunks.run_chunk(su, spec.scenario.days, keep_trajectories=False)
    return logs.episode_frame(arrays, [p.name for p in layout.profiles])
