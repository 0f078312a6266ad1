"""Early environments (A16): how childhood shifts the traits an adult brings.

    mean(trait)  = clip(base(trait) + POPULATION_SD * d(environment, trait), TRAIT_MIN, TRAIT_MAX)
    spread       = sqrt(spread_base^2 + (POPULATION_SD * heterogeneity(environment))^2)

An environment (``data/early_environments.toml``) is data: for every trait it moves, a
shift ``d`` in population SD units with the studies it comes from, and a
``heterogeneity``, the extra spread of the adults who grew up in it (multifinality:
not every child of an environment ends up alike; Cicchetti & Rogosch 1996). The
reference ``stable_care`` moves nothing: its adults sit at the base means.

* Neglect, abuse and unstable care raise contagion and attachment anxiety and lower
  regulation and mentalizing (Zanarini et al. 1997, Battle et al. 2004: childhood
  maltreatment in BPD; Fonagy & Luyten 2009: mentalizing fails to develop without
  contingent mirroring; Crowell, Beauchaine & Linehan 2009: the biosocial model): the
  BPD-like sensitivity of A16.
* Overvaluation and inconsistent feedback raise admiration need and self-image fragility
  (Brummelman et al. 2015: overvaluation predicts children's narcissism; Otway &
  Vignoles 2006: recalled coldness with indiscriminate praise; Kernberg 1975, Kohut
  1977): grandiosity masking insecurity.

The directions come from those studies; the sizes are modelling choices of the order of
the associations reported, none fitted. A development is read as a shift of the adult's
trait means: the model has no childhood of its own (no learning over years), so an
environment is where the adult starts, not a process the simulation runs.

``environment_population`` gives the lab's people of an environment
(``lab.Population.early``); ``environment_profile`` the same means as a profile, so
``resolve_profile("early-neglect")`` and ``--pair early-abuse:secure`` work.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from empathica.errors import EmpathicaInputError
from empathica.model.profiles import DEFAULT_SPREAD, Profile, TraitSpec, resolve_profile
from empathica.model.traits import POPULATION_SD, TRAIT_MAX, TRAIT_MIN, TRAIT_NAMES

if TYPE_CHECKING:
    from empathica.lab.study import Population

#: The built-in environments.
ENVIRONMENTS_FILE = "early_environments.toml"
#: The reference environment: consistent, responsive care; it shifts no trait.
REFERENCE = "stable_care"
#: Prefix of the profile names of environments (``resolve_profile("early-neglect")``).
PREFIX = "early-"
#: Largest shift and extra spread an environment may have, in population SD units.
MAX_SHIFT, MAX_HETEROGENEITY = 3.0, 2.0


def _number(value: object) -> object:
    # TOML `true` or "0.5" must not pass as a number (pydantic would coerce them).
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{value!r} is not a number")
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    return value


class Shift(BaseModel):
    """How far an environment moves one trait (``d``, population SD units) and the source."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    d: float = Field(ge=-MAX_SHIFT, le=MAX_SHIFT)
    source: str = Field(min_length=1)

    @field_validator("d", mode="before")
    @classmethod
    def _a_number(cls, value: object) -> object:
        return _number(value)


class Environment(BaseModel):
    """An early environment: the traits it shifts and how alike its adults end up."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    description: str = Field(min_length=1)
    heterogeneity: float = Field(ge=0.0, le=MAX_HETEROGENEITY)
    heterogeneity_source: str = Field(min_length=1)
    shifts: dict[str, Shift] = Field(default_factory=dict)

    @field_validator("heterogeneity", mode="before")
    @classmethod
    def _a_number(cls, value: object) -> object:
        return _number(value)

    @field_validator("shifts")
    @classmethod
    def _known_traits(cls, shifts: dict[str, Shift]) -> dict[str, Shift]:
        unknown = sorted(set(shifts) - set(TRAIT_NAMES))
        if unknown:
            raise ValueError(f"unknown trait(s) {unknown}; known: {list(TRAIT_NAMES)}")
        return {t: shifts[t] for t in TRAIT_NAMES if t in shifts}


def _message(err: dict) -> str:
    if err["type"] in ("model_type", "dict_type"):
        return 'write { d = 0.4, source = "where it comes from" }'
    return err["msg"].removeprefix("Value error, ")


def parse_environments(text: str, origin: str = ENVIRONMENTS_FILE) -> dict[str, Environment]:
    """Environments of a TOML document (layout: ``data/early_environments.toml``); every
    problem is one line naming the file, the environment and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EmpathicaInputError(f"{origin}: not valid TOML: {exc}") from None
    out: dict[str, Environment] = {}
    for name, body in data.items():
        if not isinstance(body, dict):
            raise EmpathicaInputError(f"{origin}: [{name}] must be a table of environment fields")
        try:
            out[name] = Environment(name=name, **body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "(table)"
            raise EmpathicaInputError(
                f"{origin}: environment [{name}] field {where}: {_message(first)}"
            ) from None
    if REFERENCE not in out:
        raise EmpathicaInputError(f"{origin}: no [{REFERENCE}] environment (the reference of A16)")
    if out[REFERENCE].shifts:
        raise EmpathicaInputError(f"{origin}: the reference [{REFERENCE}] must shift no trait")
    return out


def load_environments(path: str | Path | None = None) -> dict[str, Environment]:
    """Environments from a TOML file; ``None``: the built-in ones."""
    if path is None:
        return dict(builtin_environments())
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EmpathicaInputError(f"{path}: cannot read the environment file ({exc})") from None
    return parse_environments(text, str(path))


@cache
def builtin_environments() -> dict[str, Environment]:
    """The environments shipped with Empathica (``data/early_environments.toml``)."""
    text = resources.files("empathica.data").joinpath(ENVIRONMENTS_FILE).read_text(encoding="utf-8")
    return parse_environments(text, ENVIRONMENTS_FILE)


def environment(name: str | Environment) -> Environment:
    """A built-in environment by name (or the Environment itself)."""
    if isinstance(name, Environment):
        return name
    known = builtin_environments()
    key = str(name).replace("-", "_")
    if key not in known:
        raise EmpathicaInputError(f"unknown early environment {name!r}; known: {', '.join(known)}")
    return known[key]


def shifted_mean(base: float, d: float) -> float:
    """The adult mean of one trait: the base mean moved by d population SDs, kept in the trait range
    (one SD is 0.15 on the scale, so a published d maps to a shift of 0.15 * d)."""
    return min(max(base + POPULATION_SD * d, TRAIT_MIN), TRAIT_MAX)


def environment_spread(name: str | Environment, spread: float = DEFAULT_SPREAD) -> float:
    """Within-environment SD: the base spread widened by the environment's heterogeneity (the
    two add as independent variances: who a child is, and what the environment made of it)."""
    env = environment(name)
    return math.sqrt(spread**2 + (POPULATION_SD * env.heterogeneity) ** 2)


def environment_means(name: str | Environment, base: str | Profile = "population") -> dict[str, float]:
    """Every trait's adult mean after the environment, from the means of ``base`` (a profile)."""
    env = environment(name)
    prof = resolve_profile(base)
    return {
        t: shifted_mean(prof.traits[t].value, env.shifts[t].d if t in env.shifts else 0.0)
        for t in TRAIT_NAMES
    }


def environment_population(
    name: str | Environment, base: str | Profile = "population", spread: float = DEFAULT_SPREAD
) -> Population:
    """The lab's people who grew up in an environment: ``base`` means shifted by it, the spread
    widened by its heterogeneity (``lab.Population.early``)."""
    from empathica.lab.study import Population

    env = environment(name)
    return Population(f"{PREFIX}{env.name}", environment_means(env, base), environment_spread(env, spread))


def environment_profile(name: str | Environment, base: str | Profile = "population") -> Profile:
    """The environment's adult means as a profile (family "custom"; each trait's source names
    the environment, its shift and its citation). A profile has one spread for everyone, so
    the environment's heterogeneity is not part of it (use ``environment_population``)."""
    env = environment(name)
    prof = resolve_profile(base)
    means = environment_means(env, prof)
    traits = {}
    for t in TRAIT_NAMES:
        if t in env.shifts:
            s = env.shifts[t]
            source = f"early environment {env.name}: {prof.name} {s.d:+.1f} SD ({s.source})"
        else:
            source = f"early environment {env.name}: not moved, from {prof.name}"
        traits[t] = TraitSpec(value=means[t], source=source)
    return Profile(
        name=f"{PREFIX}{env.name}",
        family="custom",
        description=f"adults who grew up with {env.name.replace('_', ' ')}: {env.description}",
        traits=traits,
        calibration="not fitted: shifts in SD units from the cited studies (data/early_environments.toml)",
    )


def early_profile(spec: str) -> Profile:
    """The profile of a name ``early-ENVIRONMENT`` (``resolve_profile``); an unknown one lists
    the environments."""
    name = spec.removeprefix(PREFIX)
    key = name.replace("-", "_")
    known = builtin_environments()
    if key not in known:
        listed = ", ".join(PREFIX + e for e in known)
        raise EmpathicaInputError(f"unknown early environment {spec!r}; known: {listed}")
    return environment_profile(key)


def shift_table(envs: Mapping[str, Environment] | None = None) -> list[dict]:
    """One row per environment and shifted trait (for documentation and reports)."""
    envs = builtin_environments() if envs is None else envs
    return [
        {"environment": e.name, "trait": t, "d": s.d, "shift": POPULATION_SD * s.d, "source": s.source}
        for e in envs.values()
        for t, s in e.shifts.items()
    ]
