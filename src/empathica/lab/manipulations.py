"""Manipulations of a study: states induced before a task, which persist through it.

A manipulation (``Induction``) is an input of its own: acute stress, social exclusion,
praise, criticism or a perspective-taking instruction, with a strength between 0 and 1.
It moves one state of each participant at the start (``empathica.model.states.onset``)
and the state then returns to rest with its half-life (``states.half_life``: minutes in
a session, hours in life), so a task that starts ``delay`` minutes later and lasts
``item_minutes`` per item meets the state as it is at each item. Audience, benefit and
threat are conditions of a trial, not states: the tasks take them as arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from empathica.errors import EmpathicaInputError
from empathica.model import contagion, self_image, states
from empathica.model.jit import compiled, mechanism
from empathica.model.params import ModelParams, constants

#: Rows of an induced-state array: deviation and half-life of each state.
D_AROUSAL, H_AROUSAL, D_ESTEEM, H_ESTEEM, D_PROMPT, H_PROMPT = range(6)


@dataclass(frozen=True)
class Induction:
    """A state induced before a task: ``kind`` in ``states.KINDS``, ``strength`` in [0, 1]."""

    kind: str
    strength: float = 0.5

    def __post_init__(self):
        if self.kind not in states.KINDS:
            raise EmpathicaInputError(
                f"unknown manipulation {self.kind!r}; choose one of {', '.join(states.KINDS)}"
            )
        if not 0.0 <= float(self.strength) <= 1.0:
            raise EmpathicaInputError(f"strength of {self.kind} must be between 0 and 1, got {self.strength}")


@compiled
def _induce(kinds, strengths, reg, adm, anx, frag, in_life, C):
    n = reg.shape[0]
    out = np.zeros((6, n))
    out[H_AROUSAL] = 1.0
    out[H_ESTEEM] = 1.0
    out[H_PROMPT] = 1.0
    for j in range(n):
        rest = contagion.baseline_arousal(reg[j], C.contagion)
        point = self_image.set_point(adm[j], anx[j], C.self_image)
        sens = self_image.sensitivity(frag[j], anx[j], C.self_image)
        for k in range(kinds.shape[0]):
            kind = kinds[k]
            row = D_AROUSAL if kind == states.STRESS else D_PROMPT if kind == states.PROMPT else D_ESTEEM
            out[row, j] += states.onset(kind, strengths[k], rest, point, sens)
            out[row + 1, j] = states.half_life(kind, anx[j], in_life, C.states)
    return out


def induced_states(
    sample, inductions: Sequence[Induction] = (), m: ModelParams | None = None, in_life: bool = False
) -> np.ndarray:
    """Deviations and half-lives (6, n) of each participant's states right after the inductions.

    At most one induction per state (arousal: stress; self-esteem: exclusion, praise or
    criticism; prompt); half-lives in minutes, or hours with ``in_life``."""
    m = m or ModelParams()
    seen: dict[str, str] = {}
    for ind in inductions:
        target = states.TARGET[ind.kind]
        if target in seen:
            raise EmpathicaInputError(
                f"{ind.kind} and {seen[target]} both move {target}; use one manipulation per state"
            )
        seen[target] = ind.kind
    kinds = np.array([states.KINDS.index(i.kind) for i in inductions], dtype=np.int64)
    strengths = np.array([float(i.strength) for i in inductions])
    return _induce(
        kinds, strengths, sample.emotion_regulation, sample.admiration_need, sample.attachment_anxiety,
        sample.self_image_fragility, bool(in_life), constants(m),
    )  # fmt: skip


def no_induction(n: int) -> np.ndarray:
    """The induced-state array of participants at rest."""
    out = np.zeros((6, n))
    out[[H_AROUSAL, H_ESTEEM, H_PROMPT]] = 1.0
    return out


@mechanism
def state_at(ind, j, elapsed, resting_arousal, set_point):
    """(arousal, self-esteem, prompt strength) of participant ``j`` at ``elapsed`` after the inductions."""
    arousal = resting_arousal + states.remaining(ind[D_AROUSAL, j], elapsed, ind[H_AROUSAL, j])
    esteem = set_point + states.remaining(ind[D_ESTEEM, j], elapsed, ind[H_ESTEEM, j])
    prompt = states.remaining(ind[D_PROMPT, j], elapsed, ind[H_PROMPT, j])
    return min(arousal, 1.0), min(max(esteem, 0.0), 1.0), prompt
