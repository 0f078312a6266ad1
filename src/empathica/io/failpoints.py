"""Fault injection for tests of crash safety: stop the process at a named point.

``EMPATHICA_FAILPOINT=NAME`` (or ``NAME:SIGNAL``, e.g. ``swap:KILL``, ``after-chunk:TERM``)
makes the process send itself that signal (default SIGKILL) when it reaches point
NAME, so tests can kill a real run exactly between two steps of writing its
results. Points: ``after-chunk`` (a chunk of a simulation has been handed to the
writers), ``before-manifest``, ``before-swap``, ``swap`` (in the middle of putting
the results in place), ``after-swap``. Unset, a point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal


def failpoint(name: str) -> None:
    spec = os.environ.get("EMPATHICA_FAILPOINT")
    if not spec:
        return
    point, _, sig = spec.partition(":")
    if point != name:
        return
    signum = getattr(signal, "SIG" + (sig or "KILL").upper().removeprefix("SIG"))
    os.kill(os.getpid(), signum)
