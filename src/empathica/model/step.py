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
   target reads it (relationship), self-images move, the target's own trust in and
   liking of the responder move (impressions); a rupture may be repaired (repair)
3. end of day: Gottman affect dynamics, regulation, self-image drift, slow wear of
   each partner's relationship quality (adaptation), each partner's satisfaction,
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
    """Dynamic state. Per agent (2, n): affect in [-1, 1], arousal and self_esteem in [0, 1],
    and each partner's own view of the other: ``trust[s]`` (s's trust in the other, 0-1),
    ``satisfaction[s]`` (-1..1), ``liking[s]`` (s's impression of the other, 0-1) and
    ``quality[s]`` (the slow part of s's satisfaction, -1..1); partner strain
    ``confusion[s]`` and ``exhaustion[s]`` (0-1, ``strain``); per dyad (n,): together,
    days_apart."""

    t: int
    affect: np.ndarray
    arousal: np.ndarray
    self_esteem: np.ndarray
    trust: np.ndarray
    satisfaction: np.ndarray
    liking: np.ndarray
    quality: np.ndarray
    confusion: np.ndarray
    exhaustion: np.ndarray
    together: np.ndarray
    days_apart: np.ndarray

    @property
    def n_dyads(self) -> int:
        return int(self.together.shape[0])

    def _arrays(self) -> tuple[np.ndarray, np.ndarray]:
        sf = np.ascontiguousarray(np.vstack([getattr(self, f) for f in PER_AGENT]), dtype=np.float64)
        si = np.ascontiguousarray(np.vstack([self.together, self.days_apart]), dtype=np.int64)
        return sf, si

    @classmethod
    def _from_arrays(cls, t: int, sf: np.ndarray, si: np.ndarray) -> DyadState:
        per_agent = {f: sf[2 * i : 2 * i + 2] for i, f in enumerate(PER_AGENT)}
        return cls(t, **per_agent, together=si[0].astype(bool), days_apart=si[1].copy())


#: The per-agent fields of ``DyadState``, in the order of the kernel's float state rows.
PER_AGENT = (
    "affect", "arousal", "self_esteem", "trust", "satisfaction", "liking", "quality",
    "confusion", "exhaustion",
)  # fmt: skip
assert kernel.STATE_FLOAT == tuple(f"{f}_{side}" for f in PER_AGENT for side in "ab")


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


def initial_state(params: Params, rng: np.uint64) -> DyadState:
    """The state of dyads at the start of their relationships: first impressions are
    drawn from the run's stream ``rng`` (``impressions``)."""
    sf, si = kernel.initial_state(
        np.ascontiguousarray(params.traits.stacked(), dtype=np.float64),
        np.uint64(rng),
        np.ascontiguousarray(params.dyads, dtype=np.int64),
        constants(params.model),
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
