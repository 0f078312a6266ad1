"""Loved ones' strategies: how one partner chooses to respond (A19).

A strategy is a policy of one partner (``data/loved_ones.toml``, each value with its
source): seven numbers that act on the situations and responses of the episodes in
which that partner voices a need (as the target) or answers one (as the responder).

As target (the partner voices a need):
    P(criticism voiced)   = P_context(criticism | need) * criticism
    P(boundary asked)     = p_boundary * boundaries
    P(perspective prompt) = p_prompt + prompts
As responder (the partner answers a need):
    genuine drive         = genuine drive * engagement
    warmth                = warmth + validation
    P(follow-through)     = max(P(follow-through), consistency)
    the target's arousal  = arousal * (1 - calm_effect * calm)      (after a response)

The neutral policy (1, 1, 0, 0, 0, 1, 0) changes nothing; it is every agent's policy
unless a strategy is chosen. The strategies are the article's advice (A19: patience,
validation without pushing, clear boundaries, consistent support, perspective-taking
prompts, calm and non-judgemental responses) and their alternatives (appeasing,
confronting, withdrawing), each set from the clinical literature cited in the data
file, by hand: the model measures what they do to both partners, it is not told.

``p`` is the compiled ``loved_ones`` constants.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from empathica.errors import EmpathicaInputError
from empathica.model.jit import clip, mechanism

#: The policy fields, in the order of the kernel's policy rows.
POLICY_FIELDS: tuple[str, ...] = (
    "criticism",
    "boundaries",
    "prompts",
    "validation",
    "consistency",
    "engagement",
    "calm",
)
CRIT, BOUND, PROMPT, VALID, CONSIST, ENGAGE, CALM = range(7)
#: The policy that changes nothing.
NEUTRAL: tuple[float, ...] = (1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


class Strategy(BaseModel):
    """One loved-one strategy: the seven policy values and where they come from."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    description: str = Field(min_length=1)
    source: str = Field(min_length=1)
    criticism: float = Field(1.0, ge=0.0, le=5.0, description="x how often criticism is voiced")
    boundaries: float = Field(1.0, ge=0.0, le=5.0, description="x how often a boundary is asked")
    prompts: float = Field(0.0, ge=0.0, le=1.0, description="+ probability of a perspective prompt")
    validation: float = Field(0.0, ge=-0.5, le=0.5, description="+ warmth of one's responses")
    consistency: float = Field(0.0, ge=0.0, le=1.0, description="floor of one's follow-through")
    engagement: float = Field(1.0, ge=0.0, le=2.0, description="x one's genuine drive to respond")
    calm: float = Field(0.0, ge=-1.0, le=1.0, description="how much one's responses calm (<0: inflame)")

    def policy(self) -> np.ndarray:
        return np.array([getattr(self, f) for f in POLICY_FIELDS])


@cache
def strategies() -> dict[str, Strategy]:
    """The built-in strategies (``data/loved_ones.toml``), by name."""
    text = resources.files("empathica.data").joinpath("loved_ones.toml").read_text(encoding="utf-8")
    out = {}
    for name, body in tomllib.loads(text).items():
        try:
            out[name] = Strategy(name=name, **body)
        except ValidationError as exc:  # a packaging error, not user input
            raise RuntimeError(f"loved_ones.toml [{name}]: {exc.errors()[0]['msg']}") from None
    return out


def strategy(name: str) -> Strategy:
    known = strategies()
    if name not in known:
        raise EmpathicaInputError(f"unknown strategy {name!r}; known strategies: {', '.join(known)}")
    return known[name]


def policies(a: str | None, b: str | None, n: int) -> np.ndarray:
    """The kernel's policy rows (n_fields, 2, n): partner a follows strategy ``a``, b ``b``
    (None: neutral)."""
    out = np.empty((len(POLICY_FIELDS), 2, n))
    for side, name in enumerate((a, b)):
        values = np.array(NEUTRAL) if name is None else strategy(name).policy()
        out[:, side, :] = values[:, None]
    return out


@mechanism
def voiced(probability: float, factor: float) -> float:
    """A probability of the target's side of an episode (criticism, boundary) scaled by policy."""
    return clip(probability * factor, 0.0, 1.0)


@mechanism
def prompted(p_prompt: float, prompts: float) -> float:
    """Probability that the target prompts the responder to take their perspective (A8, L5)."""
    return clip(p_prompt + prompts, 0.0, 1.0)


@mechanism
def validated_warmth(warmth: float, validation: float) -> float:
    """Warmth of a response given with (or without) deliberate validation."""
    return clip(warmth + validation, 0.0, 1.0)


@mechanism
def steady_follow(p_follow: float, consistency: float) -> float:
    """Follow-through of a partner who keeps promises as a policy (consistent support)."""
    return max(p_follow, consistency)


@mechanism
def soothed(arousal: float, calm: float, p) -> float:
    """The target's arousal after a calm (calm > 0) or inflaming (calm < 0) response
    (not clipped here: the state is clipped when it is written back)."""
    return arousal * (1.0 - p.calm_effect * calm)
