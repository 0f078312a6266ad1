"""Interventions as schedules: who attends which sessions, who drops out (A15).

A therapy is a list of ``Schedule`` items, each a component (``data/interventions.toml``:
mindfulness, psychoeducation, perspective-taking, distress tolerance, interpersonal
skills) given from ``start`` week for ``weeks`` weeks, ``per_week`` sessions a week at
a ``dose`` (1: a standard session), with an ``adherence`` (the share of sessions a
typical person attends) and a weekly ``dropout`` hazard. A person's attendance and
drop-out depend on the alliance and their resistance (A15: collaboration raises
adherence, resistance lowers it):

    resistance   = (admiration_need + attachment_avoidance) / 2
    collaboration = collaboration of the therapy + insight from psychoeducation so far
    P(attend)    = clip(adherence + alliance * (collaboration - 0.5) - resistance_weight * (resistance - 0.5))
    P(drop out)  = clip(dropout * (0.5 + resistance) * (1.5 - P(attend)), 0, 1)      (each week)

Sources. Resistance to treatment and ruptures of the alliance are typical of
narcissistic patients (Ronningstam 2011, J Psychiatr Pract; Kealy & Ogrodniczuk 2011);
the alliance predicts outcome and retention across psychotherapies (Horvath et al.
2011); drop-out from BPD treatments is about 25-30% (Arntz et al. 2023 meta-analysis).
The weights (``ModelParams().therapy``: alliance 0.40, resistance weight 0.60) are set
by hand, not fitted.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from empathica.errors import EmpathicaInputError
from empathica.model.traits import TRAIT_NAMES

#: Longest therapy schedule and most sessions a week.
MAX_WEEKS, MAX_PER_WEEK = 520, 7


class Component(BaseModel):
    """One therapy component: the traits a session practises and their per-session rates."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    description: str = Field(min_length=1)
    source: str = Field(min_length=1)
    targets: dict[str, float]
    experiential: bool = False
    insight: float = Field(0.0, ge=0.0, le=0.2)

    @field_validator("targets")
    @classmethod
    def _known(cls, targets: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(targets) - set(TRAIT_NAMES))
        if unknown:
            raise ValueError(f"unknown trait(s) {unknown}")
        return targets


@cache
def components() -> dict[str, Component]:
    """The built-in therapy components, by name."""
    text = resources.files("empathica.data").joinpath("interventions.toml").read_text(encoding="utf-8")
    return {name: Component(name=name, **body) for name, body in tomllib.loads(text).items()}


class Schedule(BaseModel):
    """One component given on a schedule."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    component: str
    start: int = Field(0, ge=0, le=MAX_WEEKS, description="first week (0: the first week)")
    weeks: int = Field(26, ge=1, le=MAX_WEEKS, description="weeks the component is given")
    per_week: int = Field(1, ge=1, le=MAX_PER_WEEK, description="sessions a week")
    dose: float = Field(1.0, gt=0.0, le=3.0, description="strength of a session (1: standard)")
    adherence: float = Field(0.8, ge=0.0, le=1.0, description="share of sessions a typical person attends")
    dropout: float = Field(0.01, ge=0.0, le=0.5, description="weekly drop-out hazard of a typical person")

    @field_validator("component")
    @classmethod
    def _known(cls, name: str) -> str:
        if name not in components():
            raise ValueError(f"unknown component {name!r}; known: {', '.join(components())}")
        return name

    def active(self, week: int) -> bool:
        return self.start <= week < self.start + self.weeks


class Therapy(BaseModel):
    """A therapy: components on schedules and the therapist's collaboration (0-1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    schedule: tuple[Schedule, ...] = ()
    collaboration: float = Field(0.5, ge=0.0, le=1.0)

    def last_week(self) -> int:
        return max((s.start + s.weeks for s in self.schedule), default=0)


def therapy(name: str, schedule: list[dict], collaboration: float = 0.5) -> Therapy:
    """A ``Therapy`` from plain data (as in a trial spec), with one-line errors."""
    from pydantic import ValidationError

    try:
        items = tuple(Schedule(**s) for s in schedule)
        return Therapy(name=name, schedule=items, collaboration=collaboration)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        msg = first["msg"].removeprefix("Value error, ")
        raise EmpathicaInputError(f"therapy {name}: {where}: {msg}") from None


def resistance(admiration_need: np.ndarray, attachment_avoidance: np.ndarray) -> np.ndarray:
    """Resistance to treatment, 0-1 (A15)."""
    return 0.5 * (admiration_need + attachment_avoidance)


def attend_probability(adherence: float, collaboration: np.ndarray, resistance_: np.ndarray, p) -> np.ndarray:
    """Probability of attending a scheduled session (A15); ``p``: ``ModelParams().therapy``."""
    attend = adherence + p.alliance * (collaboration - 0.5) - p.resistance * (resistance_ - 0.5)
    return np.clip(attend, 0.0, 1.0)


def dropout_probability(dropout: float, resistance_: np.ndarray, p_attend: np.ndarray) -> np.ndarray:
    """Weekly probability of leaving therapy for good."""
    return np.clip(dropout * (0.5 + resistance_) * (1.5 - p_attend), 0.0, 1.0)
