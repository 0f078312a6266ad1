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
uniforms, computed by the same compiled scalar code (``normal``) for the NumPy
reference and the fused kernel, so both get bit-identical numbers; its cosine is a
branch-free polynomial (``cos_turns``) because the random number generator is the
largest cost of the kernel. Limits: 2**32 dyads, 2**22 days, 1024 draws per dyad-day.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)
TRAIT_DAY = (1 << 22) - 1  # reserved "day" for drawing traits
MAX_DAYS = TRAIT_DAY
#: Dyads are addressed by the top 32 bits of a counter: at most 2**32 in one run.
MAX_DYADS = 1 << 32
_TWO53 = 1.0 / 9007199254740992.0


def check_seed(seed: int) -> int:
    """A seed is a non-negative integer (as for ``numpy.random.SeedSequence``)."""
    from empathica.errors import EmpathicaInputError

    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise EmpathicaInputError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def stream_key(seed: int) -> np.uint64:
    """64-bit key of a run, derived from the user's seed through SeedSequence."""
    return np.random.SeedSequence(check_seed(seed)).generate_state(1, np.uint64)[0]


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


# Minimax polynomials of sin and cos on [-pi/4, pi/4] (fdlibm's __kernel_sin and
# __kernel_cos; error below one unit in the last place).
_S1, _S2, _S3 = -1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04
_S4, _S5, _S6 = 2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10
_C1, _C2, _C3 = 4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05
_C4, _C5, _C6 = -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11
_TWO_PI = 2.0 * math.pi


@njit(cache=True, inline="always")
def cos_turns(u: float) -> float:
    """cos(2 pi u) for u in [0, 1), without branches.

    The quarter turn k = round(4u) is taken off exactly (u is a multiple of 2**-53),
    leaving |x| <= pi/4 where both polynomials are accurate; the result is +-cos x
    or +-sin x by k. Branch-free (a random quadrant would mispredict), so about four
    times faster than the C library's ``cos`` in the kernel, and more accurate for
    u near 1, where forming 2 pi u first loses bits.
    """
    k = int(4.0 * u + 0.5)
    x = _TWO_PI * (u - 0.25 * k)
    z = x * x
    s = x + z * x * (_S1 + z * (_S2 + z * (_S3 + z * (_S4 + z * (_S5 + z * _S6)))))
    hz = 0.5 * z
    w = 1.0 - hz
    c = w + (((1.0 - w) - hz) + z * (z * (_C1 + z * (_C2 + z * (_C3 + z * (_C4 + z * (_C5 + z * _C6)))))))
    v = s if k & 1 else c
    return (1.0 - 2.0 * (((k + 1) >> 1) & 1)) * v


@njit(cache=True, inline="always")
def normal(key: np.uint64, dyad: np.uint64, day: np.uint64, index: np.uint64) -> float:
    """Standard normal number ``index``: Box-Muller on uniform draws 2*index and 2*index + 1,
    ``sqrt(-2 log(1 - u1)) cos(2 pi u2)`` (1 - u1 is exact)."""
    two = np.uint64(2) * index
    u1 = draw(key, dyad, day, two)
    u2 = draw(key, dyad, day, two + np.uint64(1))
    return math.sqrt(-2.0 * math.log(1.0 - u1)) * cos_turns(u2)


@njit(cache=True)
def _fill_normals(key: np.uint64, dyads: np.ndarray, day: np.uint64, indices: np.ndarray) -> np.ndarray:
    out = np.empty((indices.shape[0], dyads.shape[0]))
    for i in range(indices.shape[0]):
        for j in range(dyads.shape[0]):
            out[i, j] = normal(key, dyads[j], day, indices[i])
    return out


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
    """Standard normal draws by Box-Muller, shape (len(indices), len(dyads)); normal ``i``
    uses uniform draw indices 2i and 2i + 1."""
    return _fill_normals(
        np.uint64(key), dyads.astype(np.uint64), np.uint64(day), np.asarray(indices, dtype=np.uint64)
    )
