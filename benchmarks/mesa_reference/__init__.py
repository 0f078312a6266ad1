"""The Empathica model written as an idiomatic Mesa 3 model: the benchmark's comparison point."""

from .model import Dyad, EmpathyModel, Person, Tallies, run_tallies

__all__ = ["Dyad", "EmpathyModel", "Person", "Tallies", "run_tallies"]
