"""Array versions of the scalar mechanisms, for the virtual lab and for tests.

The mechanisms are written once, as scalar functions the kernel inlines. A lab task
applies them to a whole sample of participants: ``elementwise(perception.perceive)``
returns a function that takes arrays (broadcast against each other) for the
scalar arguments and the mechanism's constants as the last argument, and loops in
compiled code. Tuple results (``contagion.resonate``) come back as tuples of arrays.
"""

from __future__ import annotations

import inspect
from functools import cache

import numpy as np
from numba import njit
from pydantic import BaseModel

from empathica.model.params import group_constants


@cache
def _loop(fn, n_args: int, n_out: int, with_p: bool):
    """A compiled loop calling ``fn`` on element i of ``n_args`` 1-d arrays and the constants."""
    names = [f"a{i}" for i in range(n_args)]
    call = f"fn({', '.join(f'{a}[i]' for a in names)}{', p' if with_p else ''})"
    outs = [f"o{j}" for j in range(n_out)]
    lines = [f"def loop({', '.join(names + (['p'] if with_p else []) + outs)}):"]
    lines.append(f"    for i in range({names[0]}.shape[0]):")
    if n_out == 1:
        lines.append(f"        o0[i] = {call}")
    else:
        lines.append(f"        r = {call}")
        lines += [f"        o{j}[i] = r[{j}]" for j in range(n_out)]
    namespace = {"fn": fn}
    exec("\n".join(lines), namespace)  # noqa: S102 - a loop over a known function, no user input
    return njit(cache=False)(namespace["loop"])


def elementwise(fn):
    """``fn(*scalars, p)`` -> ``g(*arrays, p)`` over broadcast arrays (see the module doc).

    ``p`` may be the pydantic constants of the mechanism (``ModelParams().perception``) or
    their compiled form; a mechanism without constants takes arrays only."""
    names = list(inspect.signature(fn.py_func if hasattr(fn, "py_func") else fn).parameters)
    has_p = names[-1] == "p"
    n_args = len(names) - has_p

    def apply(*args):
        if has_p:
            *arrays, p = args
            p = group_constants(p) if isinstance(p, BaseModel) else p
        else:
            arrays, p = list(args), None
        if len(arrays) != n_args:
            raise TypeError(f"{fn.__name__} takes {n_args} arrays and the constants, got {len(arrays)}")
        shaped = np.broadcast_arrays(*[np.asarray(a) for a in arrays])
        shape = shaped[0].shape
        flat = [np.ascontiguousarray(a).reshape(-1) for a in shaped]
        tail = (p,) if has_p else ()
        sample = [a[0] if a.size else a.dtype.type(0) for a in flat]
        first = fn(*sample, *tail)
        results = first if isinstance(first, tuple) else (first,)
        outs = [np.empty(flat[0].size, dtype=np.asarray(r).dtype) for r in results]
        _loop(fn, n_args, len(outs), has_p)(*flat, *tail, *outs)
        shaped_outs = [o.reshape(shape) for o in outs]
        return tuple(shaped_outs) if isinstance(first, tuple) else shaped_outs[0]

    apply.__name__ = f"elementwise_{fn.__name__}"
    apply.__doc__ = fn.__doc__
    return apply
