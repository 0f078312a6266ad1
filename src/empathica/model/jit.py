"""How the model is compiled: mechanisms are small pure scalar functions, inlined into the kernel.

``@mechanism`` compiles a function with numba and marks it for inlining into its
callers (the fused loop of ``kernel``, the lab's task loops), so composing many
small functions costs nothing at run time. Called from Python (tests, the oracle
of the test suite) it is an ordinary compiled function. ``@compiled`` compiles the
loops that compose them. With the environment variable ``NUMBA_DISABLE_JIT=1``
every function is plain Python: slow, but the whole model can then be stepped
through in a debugger.

Both are cached on disk by numba. numba's cache notices changes to a function's
own file only, while a composed function carries the code of every mechanism it
inlines; so the cache key of every function here also holds a fingerprint of the
sources of the model and the lab (``SOURCES_FINGERPRINT``): changing any of them
recompiles what depends on it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from numba import njit
from numba.core.caching import FunctionCache

_PACKAGE = Path(__file__).resolve().parents[1]


def _fingerprint() -> str:
    h = hashlib.sha256()
    for folder in ("model", "lab"):
        for path in sorted((_PACKAGE / folder).glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


SOURCES_FINGERPRINT = _fingerprint()


class _ModelCache(FunctionCache):
    """numba's on-disk cache of a function, keyed also on the model's sources."""

    def _index_key(self, sig, codegen):
        return (*super()._index_key(sig, codegen), SOURCES_FINGERPRINT)


def compiled(fn=None, **options):
    """``numba.njit(cache=True, **options)`` with a cache that follows the model's sources."""

    def wrap(f):
        dispatcher = njit(cache=True, **options)(f)
        if hasattr(dispatcher, "_cache"):  # not with NUMBA_DISABLE_JIT
            dispatcher._cache = _ModelCache(f)
        return dispatcher

    return wrap if fn is None else wrap(fn)


mechanism = compiled(inline="always")


@mechanism
def clip(x: float, lo: float, hi: float) -> float:
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x
