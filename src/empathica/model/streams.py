"""Counter-based random streams: every draw is a pure function of (seed, dyad, day, index).

Why not one sequential ``Generator``: a dyad's numbers must not depend on which
other dyads share its chunk, process or machine, and a fused kernel should draw
only the numbers it uses. The key comes from ``numpy.random.SeedSequence`` (so
seeds behave as elsewhere in NumPy) and each word is the SplitMix64 output at
position ``counter = dyad << 32 | day << 10 | index`` of the stream with that key:

    x = key + counter * 0x9E3779B97F4A7C15                  (mod 2**64)
    x = (x ^ x >> 30) * 0xBF58476D1CE4E5B9
    x = (x ^ x >> 27) * 0x94D049BB133111EB
    word = x ^ x >> 31                                      (64 random bits)

SplitMix64 passes BigCrush; its state is a counter, so any position can be
computed directly. A word gives one uniform of 53 bits (``uniform``), or several
coarser uniforms from its bit fields (``field16``: four of 16 bits, ``field32``:
two of 32 bits), so a decision that needs only a probability compare (audience:
yes or no) costs a quarter of a word; a probability is then resolved to
1/65536. Normals come from the ziggurat method (Marsaglia & Tsang 2000, 256
layers): one word gives the layer (8 bits), the sign (1 bit) and a 53-bit
uniform, accepted 98.8% of the time; the rare rejections draw further words from
keys derived from the run's key, so a normal stays addressed by (dyad, day, index).

Limits: 2**32 dyads, 2**22 days, 1024 words per dyad-day.
"""

from __future__ import annotations

import math

import numpy as np

from empathica.model.jit import compiled, mechanism

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)
SALT = np.uint64(0xD1B54A32D192ED03)
TRAIT_DAY = (1 << 22) - 1  # reserved "day" for drawing traits
MAX_DAYS = TRAIT_DAY
#: Dyads are addressed by the top 32 bits of a counter: at most 2**32 in one run.
MAX_DYADS = 1 << 32
_TWO53 = 1.0 / 9007199254740992.0
_TWO32 = 1.0 / 4294967296.0
_TWO16 = 1.0 / 65536.0


def check_seed(seed: int) -> int:
    """A seed is a non-negative integer (as for ``numpy.random.SeedSequence``)."""
    from empathica.errors import EmpathicaInputError

    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise EmpathicaInputError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def stream_key(seed: int) -> np.uint64:
    """64-bit key of a run, derived from the user's seed through SeedSequence."""
    return np.random.SeedSequence(check_seed(seed)).generate_state(1, np.uint64)[0]


@mechanism
def _mix(x: np.uint64) -> np.uint64:
    x = (x ^ (x >> np.uint64(30))) * M1
    x = (x ^ (x >> np.uint64(27))) * M2
    return x ^ (x >> np.uint64(31))


@mechanism
def bits(key: np.uint64, dyad: np.uint64, day: np.uint64, index: np.uint64) -> np.uint64:
    """The 64-bit word at (dyad, day, index) of the stream ``key``."""
    return _mix(key + ((dyad << np.uint64(32)) | (day << np.uint64(10)) | index) * GOLDEN)


@mechanism
def uniform(key: np.uint64, dyad: np.uint64, day: np.uint64, index: np.uint64) -> float:
    """A uniform in [0, 1) with 53 random bits."""
    return float(bits(key, dyad, day, index) >> np.uint64(11)) * _TWO53


@mechanism
def field16(word: np.uint64, k: int) -> float:
    """Bit field ``k`` (0-3) of a word, 16 bits, as a uniform in [0, 1)."""
    return float((word >> np.uint64(16 * k)) & np.uint64(0xFFFF)) * _TWO16


@mechanism
def field32(word: np.uint64, k: int) -> float:
    """Bit field ``k`` (0-1) of a word, 32 bits, as a uniform in [0, 1)."""
    return float((word >> np.uint64(32 * k)) & np.uint64(0xFFFFFFFF)) * _TWO32


# ------------------------------------------------------------------------- ziggurat

_LAYERS = 256
_R = 3.654152885361009  # start of the tail: the 256-layer ziggurat of exp(-x^2/2)
_V = 0.004928673233974658  # area of every layer (the base layer includes the tail)


def _ziggurat_tables() -> tuple[np.ndarray, np.ndarray]:
    """Layer edges x[0..256] and f(x) = exp(-x^2/2) at them: layer i spans [0, x[i]] in x
    and [f(x[i]), f(x[i+1])] in height; x[0] = V / f(R) makes the base layer a rectangle
    of area V standing for the base strip and the tail."""
    x = np.empty(_LAYERS + 1)
    x[0] = _V / math.exp(-0.5 * _R * _R)
    x[1] = _R
    for i in range(1, _LAYERS - 1):
        x[i + 1] = math.sqrt(-2.0 * math.log(math.exp(-0.5 * x[i] * x[i]) + _V / x[i]))
    x[_LAYERS] = 0.0
    return x, np.exp(-0.5 * x * x)


_X, _F = _ziggurat_tables()


@mechanism
def _derived(key: np.uint64, j: int) -> np.uint64:
    """Key of the j-th derived stream (j >= 1): for the rare extra words of a normal."""
    return _mix(key ^ (np.uint64(j) * SALT))


@compiled
def _normal_slow(
    key: np.uint64, dyad: np.uint64, day: np.uint64, index: np.uint64, first: np.uint64
) -> float:
    """The rejection path of ``normal``: attempt a uses word ``first`` (a = 0) or the word of
    derived stream 2a, and derived stream 2a + 1 for its extra uniforms."""
    word = first
    for attempt in range(64):
        if attempt > 0:
            word = bits(_derived(key, 2 * attempt), dyad, day, index)
        layer = int(word & np.uint64(0xFF))
        sign = -1.0 if (word >> np.uint64(8)) & np.uint64(1) else 1.0
        x = float(word >> np.uint64(11)) * _TWO53 * _X[layer]
        if x < _X[layer + 1]:
            return sign * x
        extra = bits(_derived(key, 2 * attempt + 1), dyad, day, index)
        if layer == 0:  # the tail beyond R (Marsaglia 1964)
            t = -math.log(1.0 - field32(extra, 0)) / _R
            y = -math.log(1.0 - field32(extra, 1))
            if 2.0 * y > t * t:
                return sign * (_R + t)
        else:  # the wedge between the layer's rectangle and the curve
            y = _F[layer] + field32(extra, 0) * (_F[layer + 1] - _F[layer])
            if y < math.exp(-0.5 * x * x):
                return sign * x
    return 0.0  # 64 rejections in a row: probability below 1e-120


@mechanism
def normal(key: np.uint64, dyad: np.uint64, day: np.uint64, index: np.uint64) -> float:
    """A standard normal at (dyad, day, index): the ziggurat's fast path inline, the rest
    (1.2% of draws) in ``_normal_slow``."""
    word = bits(key, dyad, day, index)
    layer = int(word & np.uint64(0xFF))
    x = float(word >> np.uint64(11)) * _TWO53 * _X[layer]
    if x < _X[layer + 1]:
        return -x if (word >> np.uint64(8)) & np.uint64(1) else x
    return _normal_slow(key, dyad, day, index, word)


# ----------------------------------------------------------- array helpers (tests, lab)


@compiled
def _fill(key: np.uint64, dyads: np.ndarray, day: np.uint64, indices: np.ndarray, kind: int) -> np.ndarray:
    out = np.empty((indices.shape[0], dyads.shape[0]))
    for i in range(indices.shape[0]):
        for j in range(dyads.shape[0]):
            d, ix = np.uint64(dyads[j]), np.uint64(indices[i])
            out[i, j] = uniform(key, d, day, ix) if kind == 0 else normal(key, d, day, ix)
    return out


def _ix(indices) -> np.ndarray:
    return np.asarray(indices, np.int64)


def uniforms(key: np.uint64, dyads: np.ndarray, day: int, indices) -> np.ndarray:
    """53-bit uniforms, shape (len(indices), len(dyads))."""
    return _fill(
        np.uint64(key), np.asarray(dyads, np.int64), np.uint64(day), np.asarray(indices, np.int64), 0
    )


def normals(key: np.uint64, dyads: np.ndarray, day: int, indices) -> np.ndarray:
    """Standard normals, shape (len(indices), len(dyads))."""
    return _fill(
        np.uint64(key), np.asarray(dyads, np.int64), np.uint64(day), np.asarray(indices, np.int64), 1
    )


def words(key: np.uint64, dyads: np.ndarray, day: int, index: int) -> np.ndarray:
    """The raw 64-bit words at one index for many dyads (plain NumPy: the reference of ``bits``)."""
    counter = (np.asarray(dyads).astype(np.uint64) << np.uint64(32)) | np.uint64(day << 10) | np.uint64(index)
    with np.errstate(over="ignore"):
        x = np.uint64(key) + counter * GOLDEN
        x = (x ^ (x >> np.uint64(30))) * M1
        x = (x ^ (x >> np.uint64(27))) * M2
        return x ^ (x >> np.uint64(31))
