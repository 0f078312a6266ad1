"""A deterministic pyabc sampler: one seed per particle, static scheduling on any map.

pyabc's parallel samplers reseed every worker from the operating system's entropy
(``MappingSampler``) or accept particles in the order they finish
(``DaskDistributedSampler``, dynamic scheduling), so the same calibration run twice,
or on another number of workers, gives another posterior. ``SeededMapSampler`` keeps
pyabc's algorithm and changes only how a generation's particles are drawn: particle
``i`` of generation ``t`` is simulated by one task that seeds NumPy's and Python's
global generators from ``SeedSequence([seed, t + 1, i])`` and samples until it has one
accepted particle (pyabc draws parameters and perturbations from those generators),
and the tasks are gathered in index order. Each particle depends only on its own
seed, so the population does not depend on the workers, their number or their
speed. The cost: a generation waits for its slowest particle (static scheduling,
Klinger et al. 2018).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable

import cloudpickle
import numpy as np
from pyabc.sampler import Sampler


def _accepted_particle(payload: bytes, seed: int):
    """Simulate until one particle is accepted, with the global generators seeded."""
    simulate_one, factory = cloudpickle.loads(payload)
    np.random.seed(seed)
    random.seed(seed)
    sample = factory()
    evaluations = 0
    while True:
        particle = simulate_one()
        evaluations += 1
        sample.append(particle)
        if particle.accepted:
            return sample, evaluations


def particle_seed(seed: int, generation: int, index: int) -> int:
    """The seed of particle ``index`` of ``generation`` (32 bits, as NumPy's legacy seed);
    generation -1 is pyabc's calibration sample before the first generation."""
    return int(np.random.SeedSequence([seed, generation + 1, index]).generate_state(1)[0])


class SeededMapSampler(Sampler):
    """pyabc sampler over ``map_(function, items) -> results in order`` (e.g. ``dask_map``),
    with particle seeds derived from ``seed``."""

    def __init__(self, map_: Callable[[Callable, list], Iterable] = map, seed: int = 0):
        super().__init__()
        self.map_ = map_
        self.seed = int(seed)

    def sample_until_n_accepted(
        self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
    ):  # noqa: ARG002 (pyabc's signature)
        from functools import partial

        payload = cloudpickle.dumps((simulate_one, self.sample_factory))
        seeds = [particle_seed(self.seed, int(t), i) for i in range(int(n))]
        results = list(self.map_(partial(_accepted_particle, payload), seeds))
        sample = self._create_empty_sample()
        evaluations = 0
        for part, count in results:
            sample += part
            evaluations += count
        self.nr_evaluations_ = evaluations
        return sample


def dask_map(client) -> Callable[[Callable, list], list]:
    """A map over a ``distributed.Client``: every item a task, results in input order."""

    def map_(function: Callable, items: list) -> list:
        return client.gather(client.map(function, list(items), pure=False))

    return map_
