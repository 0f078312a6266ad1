"""Empathica: an executable model of empathy in personality pathology.

A model of a theory, not a diagnostic tool: everything it says about a real
person is a description of patterns in recorded behaviour, with its uncertainty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "simulate",
    "iter_chunks",
    "simulate_to_files",
    "simulate_counts",
    "SimulationResult",
    "ModelParams",
    "Profile",
    "builtin_profiles",
]

if TYPE_CHECKING:  # pragma: no cover
    from empathica.model.params import ModelParams
    from empathica.model.profiles import Profile, builtin_profiles
    from empathica.outputs import simulate_to_files
    from empathica.simulation import SimulationResult, iter_chunks, simulate, simulate_counts

_LAZY = {
    "simulate": "empathica.simulation",
    "iter_chunks": "empathica.simulation",
    "simulate_to_files": "empathica.outputs",
    "simulate_counts": "empathica.simulation",
    "SimulationResult": "empathica.simulation",
    "ModelParams": "empathica.model.params",
    "Profile": "empathica.model.profiles",
    "builtin_profiles": "empathica.model.profiles",
}


def __getattr__(name: str) -> Any:  # lazy imports keep `empathica --help` fast
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
