"""The eight cells the recognizer counts, the behaviours compared across them, and the counting.

A cell is a behaviour in a context (responding when unpaid or paid, with or without
threat; keeping a promise and respecting a boundary, watched or not). Every part of
the model works on the per-actor counts of these cells, so the cells, the behaviours
of the conditional share and the threshold ``DELTA`` on it are defined here, below
the prior, the posteriors, the evidence and the synthetic generator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The eight cells (behaviour x context) the model counts, in order.
CELLS: tuple[str, ...] = (
    "respond_unpaid",
    "respond_paid",
    "respond_unpaid_threat",
    "respond_paid_threat",
    "follow_unwatched",
    "follow_watched",
    "boundary_unwatched",
    "boundary_watched",
)
_R0, _R1, _R0T, _R1T, _F0, _F1, _B0, _B1 = range(8)

#: Behaviours entering the conditional share: (name, low cell, high cell, weight).
BEHAVIOURS: tuple[tuple[str, int, int, float], ...] = (
    ("responding", _R0, _R1, 0.50),
    ("follow_through", _F0, _F1, 0.25),
    ("boundary", _B0, _B1, 0.25),
)

#: The conditional share S above which care is mostly conditional.
DELTA = 0.5  # S above this: care mostly conditional


def _counts(frame: pd.DataFrame, codes: np.ndarray, A: int):
    n = len(frame)
    audience = frame["audience"].to_numpy(dtype=bool)
    benefit = frame["benefit"].to_numpy(dtype=bool)
    responded = frame["responded"].to_numpy(dtype=bool)
    threat = frame["threat"].to_numpy(dtype=bool) if "threat" in frame else np.zeros(n, bool)
    paid = audience | benefit
    K = np.zeros((A, len(CELLS)))
    N = np.zeros((A, len(CELLS)))
    cell_of: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    rc = paid.astype(np.int64) + 2 * threat.astype(np.int64)
    K[:, 0:4] = np.bincount(codes * 4 + rc, weights=responded, minlength=A * 4).reshape(A, 4)
    N[:, 0:4] = np.bincount(codes * 4 + rc, minlength=A * 4).reshape(A, 4)
    cell_of.append((np.arange(n), rc, responded.astype(np.int64)))

    if "followed_through" in frame and "committed" in frame:
        ft = frame["followed_through"]
        mask = frame["committed"].to_numpy(dtype=bool) & ft.notna().to_numpy()
        val = ft.to_numpy(dtype=float, na_value=0.0)[mask]
        key = codes[mask] * 2 + audience[mask]
        K[:, 4:6] = np.bincount(key, weights=val, minlength=A * 2).reshape(A, 2)
        N[:, 4:6] = np.bincount(key, minlength=A * 2).reshape(A, 2)
        cell_of.append((np.flatnonzero(mask), _F0 + audience[mask].astype(np.int64), val.astype(np.int64)))
    if "boundary_respected" in frame and "boundary_asked" in frame:
        br = frame["boundary_respected"]
        mask = frame["boundary_asked"].to_numpy(dtype=bool) & br.notna().to_numpy()
        val = br.to_numpy(dtype=float, na_value=0.0)[mask]
        key = codes[mask] * 2 + audience[mask]
        K[:, 6:8] = np.bincount(key, weights=val, minlength=A * 2).reshape(A, 2)
        N[:, 6:8] = np.bincount(key, minlength=A * 2).reshape(A, 2)
        cell_of.append((np.flatnonzero(mask), _B0 + audience[mask].astype(np.int64), val.astype(np.int64)))
    return K, N, cell_of


def _halves(frame: pd.DataFrame, codes: np.ndarray, A: int):
    """Responses in the earlier and the later half of each actor's episodes."""
    t = frame["t"].to_numpy() if "t" in frame else np.zeros(len(frame), dtype=np.int64)
    ep = frame["episode"].to_numpy()
    order = np.lexsort((ep, t, codes))
    sorted_codes = codes[order]
    counts = np.bincount(codes, minlength=A)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(len(order)) - starts[sorted_codes]
    late = rank >= counts[sorted_codes] / 2.0
    resp = frame["responded"].to_numpy(dtype=float)[order]
    k_late = np.bincount(sorted_codes, weights=resp * late, minlength=A)
    n_late = np.bincount(sorted_codes, weights=late.astype(float), minlength=A)
    k_all = np.bincount(sorted_codes, weights=resp, minlength=A)
    return k_all - k_late, counts - n_late, k_late, n_late


def _unique_rows(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the stacked columns and, per original row, its distinct row.

    Actors with the same counts get the same posterior: thin diaries (many actors
    with one or two episodes) have only a handful of distinct count rows, so
    summaries are computed once per distinct row."""
    X = np.column_stack([np.asarray(c, dtype=float) for c in columns])
    uniq, inverse = np.unique(X, axis=0, return_inverse=True)
    return uniq, inverse.reshape(-1)
