"""One day of a population of dyads: ``step(state, params, rng) -> (state, events)``.

The step is a pure function of its inputs: ``DyadState`` and ``Params`` are plain
typed containers of arrays (structure of arrays, shape ``(2, n_dyads)`` for
per-agent values, ``(n_dyads,)`` for per-dyad values) and ``rng`` is the run's
stream key (``streams.stream_key(seed)``). Random numbers are addressed by (dyad,
day, draw index), so a dyad's numbers never depend on other dyads or on how the
days are split: stepping day by day gives exactly what ``simulate`` gives for the
whole history (tested).

The step runs the fused kernel (``kernel.run_dyads``) for one day, so it is the
model itself, not a copy of it. Order of a day (each mechanism is a module):

1. episodes today: Poisson, capped; avoidance lowers the rate; none while apart (context, relationship)
2. per episode: the situation (context) -> the target feels the need and shows it
   (contagion) -> the responder perceives it (perception) and catches it (contagion)
   -> motives compete (motivation, self_image) -> the response (response) -> the
   target reads it (relationship), self-images and trust move
3. end of day: Gottman affect dynamics, regulation, self-image drift, satisfaction,
   breakup and reconciliation (relationship, contagion, self_image).

``empathica.simulation`` runs populations chunk by chunk with the same kernel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from empathica.model import chunks, kernel
from empathica.model.params import ModelParams, constants
from empathica.model.traits import Traits


@dataclass(frozen=True)
class DyadState:
    """Dynamic state. Per agent (2, n): affect in [-1, 1], arousal and self_esteem in [0, 1];
    per dyad (n,): trust [0, 1], satisfaction [-1, 1], together, days_apart."""

    t: int
    affect: np.ndarray
    arousal: np.ndarray
    self_esteem: np.ndarray
    trust: np.ndarray
    satisfaction: np.ndarray
    together: np.ndarray
    days_apart: np.ndarray

    @property
    def n_dyads(self) -> int:
        return int(self.trust.shape[0])

    def _arrays(self) -> tuple[np.ndarray, np.ndarray]:
        sf = np.ascontiguousarray(
            np.vstack([self.affect, self.arousal, self.self_esteem, self.trust, self.satisfaction]),
            dtype=np.float64,
        )
        si = np.ascontiguousarray(np.vstack([self.together, self.days_apart]), dtype=np.int64)
        return sf, si

    @classmethod
    def _from_arrays(cls, t: int, sf: np.ndarray, si: np.ndarray) -> DyadState:
        return cls(t, sf[0:2], sf[2:4], sf[4:6], sf[6], sf[7], si[0].astype(bool), si[1].copy())


@dataclass(frozen=True)
class Params:
    """Static inputs of a step: the agents' traits, the mechanism constants and the
    dyads' global ids (the addresses of their random streams)."""

    traits: Traits
    model: ModelParams
    dyads: np.ndarray


@dataclass(frozen=True)
class Events:
    """What happened in one day: ``episodes`` maps column name to a 1-d array over the
    day's episodes, ordered by dyad then slot (``dyad`` is the global id, ``actor_side``
    0 or 1); ``breakup`` and ``reconciliation`` are per dyad."""

    episodes: dict[str, np.ndarray]
    breakup: np.ndarray
    reconciliation: np.ndarray


def initial_state(params: Params) -> DyadState:
    """The state of dyads at the start of their relationships."""
    sf, si = kernel.initial_state(
        np.ascontiguousarray(params.traits.stacked(), dtype=np.float64), constants(params.model)
    )
    return DyadState._from_arrays(0, sf, si)


def step(state: DyadState, params: Params, rng: np.uint64) -> tuple[DyadState, Events]:
    """Advance every dyad by one day."""
    # One "pairing" for all dyads: profile codes are not part of the state.
    su = chunks.setup(
        rng, params.dyads, np.zeros((1, 10)), np.zeros((1, 2)), 1 << 62, 0.0, params.model,
        traits_=params.traits.stacked(),
    )  # fmt: skip
    out = chunks.run_chunk(su, 1, first_day=state.t, state=state._arrays())
    ei64 = out.ei64
    episodes = {"dyad": ei64[1], "actor_side": (ei64[2] - 2 * ei64[1]).astype(np.int8), "t": out.et}
    columns = ((out.ef, kernel.EP_FLOAT), (out.eb, kernel.EP_BOOL), (out.ecodes[:2], ("need", "motive")))
    for rows, names in columns:
        for row, name in zip(rows, names, strict=True):
            episodes[name] = row
    sf, si = out.state
    new = DyadState._from_arrays(state.t + 1, sf, si)
    return new, Events(episodes, out.ti[1].astype(bool), out.ti[2].astype(bool))
