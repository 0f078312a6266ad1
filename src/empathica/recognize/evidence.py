"""The evidence episodes: which recorded episodes weigh most in each actor's probability, and why.

The influence of an episode is the change in the log-odds of ``p_conditional`` if it
were removed; episodes of one cell and outcome weigh the same, so one representative
of each is reported with the number of similar ones and a reason in words.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from empathica.recognize.counts import _B0, _B1, _F0, _F1, _R0, _R0T, _R1, _R1T
from empathica.recognize.posterior import _posterior, log_odds_share_above
from empathica.recognize.prior import MixturePrior

_REASON = {
    (_R0, 1): "responded although nobody was watching and there was nothing to gain",
    (_R0, 0): "did not respond when nobody was watching and there was nothing to gain",
    (_R1, 1): "responded when someone was watching or there was something to gain",
    (_R1, 0): "did not respond although someone was watching or there was something to gain",
    (_R0T, 1): "responded to a need that implied criticism of them, with nothing to gain",
    (_R0T, 0): "did not respond to a need that implied criticism of them, with nothing to gain",
    (_R1T, 1): "responded to a need that implied criticism of them, when it paid",
    (_R1T, 0): "did not respond to a need that implied criticism of them, even when it paid",
    (_F0, 1): "kept a promise that nobody else was watching",
    (_F0, 0): "broke a promise that nobody else was watching",
    (_F1, 1): "kept a promise made in front of others",
    (_F1, 0): "broke a promise made in front of others",
    (_B0, 1): "respected a boundary when nobody else was watching",
    (_B0, 0): "ignored a boundary when nobody else was watching",
    (_B1, 1): "respected a boundary in front of others",
    (_B1, 0): "ignored a boundary in front of others",
}


_BEHAVIOUR_OF_CELL = {
    _R0: "responding",
    _R1: "responding",
    _R0T: "responding",
    _R1T: "responding",
    _F0: "follow_through",
    _F1: "follow_through",
    _B0: "boundary",
    _B1: "boundary",
}


def _influence(
    K: np.ndarray,
    N: np.ndarray,
    prior: MixturePrior,
    weights: np.ndarray,
    delta: float,
    base: np.ndarray,
) -> np.ndarray:
    """Change in log-odds of p_conditional if one episode of each (cell, outcome)
    were removed, per actor: (A, C, 2); positive = the episode pushes toward
    'conditional'. Episodes of one cell and outcome weigh the same."""
    A, C = K.shape
    out = np.zeros((A, C, 2))
    for c in range(C):
        if not np.any(N[:, c] > 0):
            continue
        for o in (0, 1):
            has = N[:, c] > 0
            has &= K[:, c] > 0 if o == 1 else (N[:, c] - K[:, c]) > 0
            if not has.any():
                continue
            K2 = K[has].copy()
            N2 = N[has].copy()
            N2[:, c] -= 1
            if o == 1:
                K2[:, c] -= 1
            post = _posterior(K2, N2, prior)
            out[has, c, o] = base[has] - log_odds_share_above(post, weights, delta)
    return out


def _evidence(
    frame: pd.DataFrame,
    codes: np.ndarray,
    cell_of: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    influence: np.ndarray,
    names: np.ndarray,
    per_actor: int,
) -> pd.DataFrame:
    """The weightiest episodes per actor: one representative per (cell, outcome)."""
    columns = ["actor", "episode", "t", "behaviour", "weight", "direction", "similar", "reason"]
    if per_actor <= 0:
        return pd.DataFrame(columns=columns)
    rows_idx, cells, outs = (np.concatenate(x) for x in zip(*cell_of, strict=True))
    if len(rows_idx) == 0:
        return pd.DataFrame(columns=columns)
    act = codes[rows_idx]
    C = influence.shape[1]
    key = (act * C + cells) * 2 + outs
    # Representative: most intense need, then the latest episode.
    intensity = (
        frame["intensity"].to_numpy(dtype=float, na_value=np.nan)[rows_idx]
        if "intensity" in frame
        else np.zeros(len(rows_idx))
    )
    t = frame["t"].to_numpy()[rows_idx] if "t" in frame else frame["episode"].to_numpy()[rows_idx]
    order = np.lexsort((-t.astype(float), -np.nan_to_num(intensity, nan=-1.0), key))
    key_sorted = key[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = key_sorted[1:] != key_sorted[:-1]
    rep = order[first]
    uniq_keys, counts = np.unique(key, return_counts=True)
    count_of = dict(zip(uniq_keys.tolist(), counts.tolist(), strict=True))
    r_act = act[rep]
    r_cell = cells[rep]
    r_out = outs[rep]
    weight = influence[r_act, r_cell, r_out]
    table = pd.DataFrame(
        {
            "a": r_act,
            "row": rows_idx[rep],
            "cell": r_cell,
            "out": r_out,
            "weight": weight,
            "similar": [count_of[int(k)] for k in key[rep]],
        }
    )
    table = table[np.abs(table["weight"]) > 1e-3]
    table = table.assign(absw=np.abs(table["weight"]))
    table = table.sort_values(["a", "absw"], ascending=[True, False], kind="stable")
    table = table.groupby("a", sort=False).head(per_actor)
    ep = frame["episode"].to_numpy()
    tcol = frame["date"] if "date" in frame else (frame["t"] if "t" in frame else None)
    result = pd.DataFrame(
        {
            "actor": names[table["a"].to_numpy()],
            "episode": ep[table["row"].to_numpy()],
            "t": (
                tcol.to_numpy()[table["row"].to_numpy()] if tcol is not None else np.full(len(table), None)
            ),
            "behaviour": [_BEHAVIOUR_OF_CELL[c] for c in table["cell"]],
            "weight": table["weight"].to_numpy().round(3),
            "direction": np.where(table["weight"] > 0, "toward conditional", "toward genuine"),
            "similar": table["similar"].to_numpy() - 1,
            "reason": [_REASON[(int(c), int(o))] for c, o in zip(table["cell"], table["out"], strict=True)],
        }
    )
    return result.reset_index(drop=True)
