"""The sample step: ABC-SMC (pyabc) over the accounts of the groups, on any map.

One run weighs three accounts on the fit set (``ACCOUNTS``): the evidence profiles
with the free parameters of the spec, the article's profiles and a null account (both
without free parameters; pyabc is given one parameter that enters nothing, so its model
selection treats them like any model). Each particle is one simulation of the fit set
(``simulator.findings``) at a seed drawn from the particle's seeded generator; it is
accepted when

    distance = sqrt(mean over the fit set of ((simulated - published) / se)^2) <= epsilon

with epsilon the weighted median of the previous generation's distances (pyabc's
``MedianEpsilon``), until epsilon reaches ``minimum_epsilon`` (in published standard
errors), the generations run out, the acceptance rate falls below
``min_acceptance_rate`` or the simulations exceed ``max_simulations``. The posterior
model probabilities are pyabc's: the share of each account in the last generation's
weights, with a uniform prior over the accounts.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from empathica.calibrate.sampler import SeededMapSampler
from empathica.calibrate.simulator import ACCOUNTS, Standardized, findings
from empathica.calibrate.spec import CalibrationSpec

#: The parameter given to the accounts without free parameters (it enters nothing).
UNUSED = "unused"


@dataclass(frozen=True)
class Sizes:
    """How much sampling a run gets (the spec's for the calibration, smaller for recovery)."""

    population: int
    generations: int


def prior(spec: CalibrationSpec, account: str = "evidence"):
    """pyabc's prior of an account: uniform on each free parameter's [low, high]."""
    import pyabc

    if account != "evidence":
        return pyabc.Distribution(**{UNUSED: pyabc.RV("uniform", 0.0, 1.0)})
    return pyabc.Distribution(**{p.name: pyabc.RV("uniform", p.low, p.high - p.low) for p in spec.parameter})


class Simulate:
    """The model pyabc calls: parameters -> the fit set's simulated findings."""

    def __init__(self, spec: CalibrationSpec, account: str, keys: Sequence[str]):
        self.spec, self.account, self.keys = spec, account, list(keys)
        self.__name__ = account  # pyabc names a model after its function

    def __call__(self, parameters) -> dict[str, float]:
        seed = int(np.random.randint(0, 2**31 - 1))  # the particle's seeded generator
        free = self.spec.parameter if self.account == "evidence" else ()
        theta = {p.name: float(parameters[p.name]) for p in free}
        return findings(theta, free, self.keys, seed, self.spec.group_n, self.account)


def sample(
    spec: CalibrationSpec,
    observed: dict[str, float],
    map_: Callable[[Callable, list], Iterable] = map,
    *,
    accounts: Sequence[str] = ACCOUNTS,
    sizes: Sizes | None = None,
    seed: int | None = None,
    db: str | Path | None = None,
    on_generation: Callable[[int, int, int], None] | None = None,
):
    """Run ABC-SMC on ``observed`` (fit-set values) and return pyabc's ``History``.

    ``db``: the SQLite file of the history (a temporary one by default)."""
    import logging

    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)  # pyabc's per-generation log: our progress bar says it
    sizes = sizes or Sizes(spec.population_size, spec.generations)
    keys = [f.key for f in spec.fit]
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="empathica-abc-")) / "abc.db"
    abc = pyabc.ABCSMC(
        [Simulate(spec, a, keys) for a in accounts],
        [prior(spec, a) for a in accounts],
        Standardized(spec.fit),
        population_size=sizes.population,
        eps=pyabc.MedianEpsilon(),
        sampler=SeededMapSampler(map_, spec.seed if seed is None else seed, on_generation),
    )
    abc.new(f"sqlite:///{Path(db).resolve()}", observed)
    return abc.run(
        minimum_epsilon=spec.minimum_epsilon,
        max_nr_populations=sizes.generations,
        min_acceptance_rate=spec.min_acceptance_rate,
        max_total_nr_simulations=spec.max_simulations,
    )


def posterior(history, model: int = 0) -> tuple:
    """The weighted particles of ``model`` in the last generation it is alive in."""
    for t in range(history.max_t, -1, -1):
        df, w = history.get_distribution(m=model, t=t)
        if len(df):
            return df.reset_index(drop=True), np.asarray(w, dtype=float) / np.sum(w), t
    raise ValueError("the account has no particle in any generation")
