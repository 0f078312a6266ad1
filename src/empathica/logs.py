"""The logs of a run: episodes and trajectories from the kernel's buffers, as DataFrames or Arrow tables.

One table of columns (``EPISODE_COLUMNS``, ``TRAJECTORY_COLUMNS``) says where each
column lives in the kernel's buffers and what it is; the DataFrame builders (for
the Python API) and the Arrow builders (for files) both read it, so the two never
disagree. Columns are compact: float32 values, int8 codes for categories, bit-packed
booleans on disk; what does not apply is missing (NaN or null), not zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from empathica.model.schema import MOTIVES, NEED_TYPES

#: Episode columns: name -> (buffer, row, kind). Buffers: ``ei64`` ids, ``et`` day, ``ef``
#: float32 values, ``eb`` booleans, ``ecodes`` category codes. Kinds: ``int``, ``float``,
#: ``float_if_responded`` (missing without a response), ``bool``, ``bool_or_missing``
#: (its "missing" flag is the next row of ``eb``), ``need``, ``motive``, ``profile``.
EPISODE_COLUMNS: dict[str, tuple[str, int, str]] = {
    "episode": ("ei64", 0, "int"),
    "t": ("et", -1, "int"),
    "dyad": ("ei64", 1, "int"),
    "actor": ("ei64", 2, "int"),
    "target": ("ei64", 3, "int"),
    "need": ("ecodes", 0, "need"),
    "intensity": ("ef", 0, "float"),
    "audience": ("eb", 0, "bool"),
    "benefit": ("eb", 1, "bool"),
    "threat": ("eb", 2, "bool"),
    "boundary_asked": ("eb", 3, "bool"),
    "perspective_prompt": ("eb", 4, "bool"),
    "responded": ("eb", 5, "bool"),
    "accuracy": ("ef", 1, "float_if_responded"),
    "warmth": ("ef", 2, "float_if_responded"),
    "committed": ("eb", 6, "bool"),
    "followed_through": ("eb", 7, "bool_or_missing"),
    "boundary_respected": ("eb", 9, "bool_or_missing"),
    "true_motive": ("ecodes", 1, "motive"),
    "true_actor_profile": ("ecodes", 2, "profile"),
    "true_target_profile": ("ecodes", 3, "profile"),
    "true_target_feeling": ("ef", 3, "float"),
    "true_perceived_feeling": ("ef", 4, "float"),
    "true_actor_arousal_gain": ("ef", 5, "float"),
    "true_actor_arousal": ("ef", 6, "float"),
    "true_protest": ("eb", 11, "bool"),
    "true_felt_care": ("ef", 7, "float"),
    "true_target_trust": ("ef", 8, "float"),
    "true_rupture": ("eb", 12, "bool"),
    "true_repair_attempted": ("eb", 13, "bool"),
    "true_repair_accepted": ("eb", 14, "bool"),
}
#: Trajectory columns: name -> (buffer, row, kind); buffers ``ti``, ``td``, ``tp``, ``tf``, ``tb``.
TRAJECTORY_COLUMNS: dict[str, tuple[str, int, str]] = {
    "t": ("ti", 0, "int"),
    "dyad": ("td", -1, "int"),
    "profile_a": ("tp", 0, "profile"),
    "profile_b": ("tp", 1, "profile"),
    "affect_a": ("tf", 0, "float"),
    "affect_b": ("tf", 1, "float"),
    "arousal_a": ("tf", 2, "float"),
    "arousal_b": ("tf", 3, "float"),
    "self_esteem_a": ("tf", 4, "float"),
    "self_esteem_b": ("tf", 5, "float"),
    "trust_a": ("tf", 6, "float"),
    "trust_b": ("tf", 7, "float"),
    "satisfaction_a": ("tf", 8, "float"),
    "satisfaction_b": ("tf", 9, "float"),
    "liking_a": ("tf", 10, "float"),
    "liking_b": ("tf", 11, "float"),
    "quality_a": ("tf", 12, "float"),
    "quality_b": ("tf", 13, "float"),
    "confusion_a": ("tf", 14, "float"),
    "confusion_b": ("tf", 15, "float"),
    "exhaustion_a": ("tf", 16, "float"),
    "exhaustion_b": ("tf", 17, "float"),
    "together": ("tb", -1, "bool"),
    "breakups": ("ti", 1, "int"),
    "reconciliations": ("ti", 2, "int"),
}
_CATEGORIES = {"need": list(NEED_TYPES), "motive": list(MOTIVES)}


def _source(arrays, buffer: str, row: int) -> np.ndarray:
    data = getattr(arrays, buffer)
    return data if row < 0 else data[row]


def _columns(arrays, spec, names):
    """(name, kind, values, missing mask or None, categories or None) for every column."""
    for name, (buffer, row, kind) in spec.items():
        values = _source(arrays, buffer, row)
        missing = None
        if kind == "float_if_responded":
            missing = ~arrays.eb[5]
        elif kind == "bool_or_missing":
            missing = arrays.eb[row + 1]
        categories = names if kind == "profile" else _CATEGORIES.get(kind)
        yield name, kind, values, missing, categories


def _frame(arrays, spec, names) -> pd.DataFrame:
    cols = {}
    for name, kind, values, missing, categories in _columns(arrays, spec, names):
        if categories is not None:
            cols[name] = pd.Categorical.from_codes(values, dtype=pd.CategoricalDtype(categories))
        elif kind == "bool_or_missing":
            cols[name] = pd.arrays.BooleanArray(values, missing)
        else:
            cols[name] = values  # floats carry NaN where missing
    return pd.DataFrame(cols, copy=False)


def _table(arrays, spec, names):
    import pyarrow as pa

    cols = {}
    for name, _, values, missing, categories in _columns(arrays, spec, names):
        if categories is not None:
            cols[name] = pa.DictionaryArray.from_arrays(pa.array(values), pa.array(categories))
        else:
            cols[name] = pa.array(values, mask=missing)
    return pa.table(cols)


def episode_frame(arrays, names: list[str]) -> pd.DataFrame:
    """The episode log of a kernel chunk as a DataFrame (columns are views of its buffers)."""
    return _frame(arrays, EPISODE_COLUMNS, names)


def trajectory_frame(arrays, names: list[str]) -> pd.DataFrame:
    return _frame(arrays, TRAJECTORY_COLUMNS, names)


def episode_table(arrays, names: list[str]):
    """The episode log of a kernel chunk as an Arrow table (for files; nulls where missing)."""
    return _table(arrays, EPISODE_COLUMNS, names)


def trajectory_table(arrays, names: list[str]):
    return _table(arrays, TRAJECTORY_COLUMNS, names)
