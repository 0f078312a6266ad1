"""How the model is compiled: mechanisms are small pure scalar functions, inlined into the kernel.

``@mechanism`` compiles a function with numba and marks it for inlining into its
callers (the fused loop of ``kernel``), so composing many small functions costs
nothing at run time. Called from Python (tests, the virtual lab through
``vectorize.elementwise``) it is an ordinary compiled function. With the
environment variable ``NUMBA_DISABLE_JIT=1`` every function is plain Python: slow,
but the whole model can then be stepped through in a debugger.
"""

from __future__ import annotations

from numba import njit

mechanism = njit(inline="always", cache=True)


@mechanism
def clip(x: float, lo: float, hi: float) -> float:
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x
