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


def _accepted_particle(payload: bytes, cap: float, seed: int):
    """Simulate until one particle is accepted (at most ``cap`` tries), with the global
    generators seeded; returns the sample, the tries and whether one was accepted."""
    simulate_one, factory = cloudpickle.loads(payload)
    np.random.seed(seed)
    random.seed(seed)
    sample = factory()
    evaluations = 0
    while evaluations < cap:
        particle = simulate_one()
        evaluations += 1
        sample.append(particle)
        if particle.accepted:
            return sample, evaluations, True
    return sample, evaluations, False


def particle_seed(seed: int, generation: int, index: int) -> int:
    """The seed of particle ``index`` of ``generation`` (32 bits, as NumPy's legacy seed);
    generation -1 is pyabc's calibration sample before the first generation."""
    return int(np.random.SeedSequence([seed, generation + 1, index]).generate_state(1)[0])


class SeededMapSampler(Sampler):
    """pyabc sampler over ``map_(function, items) -> results in order`` (e.g. ``dask_map``),
    with particle seeds derived from ``seed``."""

    def __init__(
        self,
        map_: Callable[[Callable, list], Iterable] = map,
        seed: int = 0,
        on_generation: Callable[[int, int, int], None] | None = None,
    ):
        super().__init__()
        self.map_ = map_
        self.seed = int(seed)
        self.on_generation = on_generation  # (generation, accepted, evaluations) after each

    def sample_until_n_accepted(
        self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None
    ):  # noqa: ARG002 (pyabc's signature)
        """``n`` particles, one task each; with a finite ``max_eval`` (pyabc's minimum
        acceptance rate) each particle gets ``max_eval / n`` tries, and a generation in
        which one fails is not ok (pyabc then stops), the same on any number of workers."""
        from functools import partial

        cap = np.inf if not np.isfinite(max_eval) else max(1, int(np.ceil(max_eval / n)))
        payload = cloudpickle.dumps((simulate_one, self.sample_factory))
        seeds = [particle_seed(self.seed, int(t), i) for i in range(int(n))]
        results = list(self.map_(partial(_accepted_particle, payload, cap), seeds))
        sample = self._create_empty_sample()
        evaluations = accepted = 0
        for part, count, ok in results:
            sample += part
            evaluations += count
            accepted += ok
        sample.ok = accepted == n
        self.nr_evaluations_ = evaluations
        if self.on_generation is not None:
            self.on_generation(int(t), accepted, evaluations)
        return sample


def dask_map(client) -> Callable[[Callable, list], list]:
    """A map over a ``distributed.Client``: every item a task, results in input order."""

    def map_(function: Callable, items: list) -> list:
        return client.gather(client.map(function, list(items), pure=False))

    return map_
