"""Counter-based random streams: every draw is a pure function of (seed, dyad, day, index).

Why not one sequential ``Generator``: a dyad's numbers must not depend on which
other dyads share its chunk, process or machine, and a fused kernel should draw
only the numbers it uses. Here the key comes from ``numpy.random.SeedSequence``
(so seeds behave as elsewhere in NumPy) and each draw is the SplitMix64 output at
position ``counter = dyad << 32 | day << 10 | index`` of the stream with that key:

    x = key + counter * 0x9E3779B97F4A7C15                  (mod 2**64)
    x = (x ^ x >> 30) * 0xBF58476D1CE4E5B9
    x = (x ^ x >> 27) * 0x94D049BB133111EB
    u = ((x ^ x >> 31) >> 11) * 2**-53                      (uniform in [0, 1))

SplitMix64 is a well-tested generator (it passes BigCrush); its state is a
counter, so any position can be computed directly. Normals use Box-Muller on two
uniforms. Limits: 2**32 dyads, 2**22 days, 1024 draws per dyad-day.
"""

from __future__ import annotations

import numpy as np
from numba import njit

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)
TRAIT_DAY = (1 << 22) - 1  # reserved "day" for drawing traits
MAX_DAYS = TRAIT_DAY
_TWO53 = 1.0 / 9007199254740992.0


def stream_key(seed: int) -> np.uint64:
    """64-bit key of a run, derived from the user's seed through SeedSequence."""
    return np.random.SeedSequence(int(seed)).generate_state(1, np.uint64)[0]


def counters(dyads: np.ndarray, day: int, indices: np.ndarray) -> np.ndarray:
    """Counters of shape (len(indices), len(dyads))."""
    base = (dyads.astype(np.uint64) << np.uint64(32)) | np.uint64(day << 10)
    return base[None, :] | np.asarray(indices, dtype=np.uint64)[:, None]


def uniform_at(key: np.uint64, counter: np.ndarray) -> np.ndarray:
    """Plain NumPy version of the generator (reference for the compiled one)."""
    with np.errstate(over="ignore"):
        x = key + counter * GOLDEN
        x = (x ^ (x >> np.uint64(30))) * M1
        x = (x ^ (x >> np.uint64(27))) * M2
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) * _TWO53


@njit(cache=True, inline="always")
def draw(key: np.uint64, dyad: np.uint64, day: np.uint64, index: np.uint64) -> float:
    """One uniform draw: scalar form for compiled kernels."""
    x = key + ((dyad << np.uint64(32)) | (day << np.uint64(10)) | index) * GOLDEN
    x = (x ^ (x >> np.uint64(30))) * M1
    x = (x ^ (x >> np.uint64(27))) * M2
    x = x ^ (x >> np.uint64(31))
    return float(x >> np.uint64(11)) * _TWO53


@njit(cache=True)
def _fill(key: np.uint64, dyads: np.ndarray, day: np.uint64, indices: np.ndarray) -> np.ndarray:
    out = np.empty((indices.shape[0], dyads.shape[0]))
    for i in range(indices.shape[0]):
        for j in range(dyads.shape[0]):
            out[i, j] = draw(key, dyads[j], day, indices[i])
    return out


def uniforms(key: np.uint64, dyads: np.ndarray, day: int, indices) -> np.ndarray:
    """Uniform draws, shape (len(indices), len(dyads))."""
    return _fill(
        np.uint64(key), dyads.astype(np.uint64), np.uint64(day), np.asarray(indices, dtype=np.uint64)
    )


def normals(key: np.uint64, dyads: np.ndarray, day: int, indices) -> np.ndarray:
    """Standard normal draws by Box-Muller; each uses draw indices 2i and 2i + 1."""
    idx = np.asarray(indices)
    u1 = uniforms(key, dyads, day, 2 * idx)
    u2 = uniforms(key, dyads, day, 2 * idx + 1)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)
