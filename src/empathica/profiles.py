"""Profiles are data: a mean for every trait, each with its source.

Built-in profiles live in ``empathica/data/*.toml``; users can add their own TOML
files with the same layout (see ``docs/model.md``) and override single traits.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from empathica.errors import EmpathicaInputError
from empathica.traits import POPULATION_SD, TRAIT_NAMES


class TraitSpec(BaseModel):
    """The profile mean of one trait and where the number comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    value: float = Field(ge=0.0, le=1.0)
    source: str = Field(min_length=1)


class Profile(BaseModel):
    """A named profile: trait means with sources, drawn with a spread per agent."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    family: Literal["article", "evidence", "custom"] = "custom"
    description: str = ""
    traits: dict[str, TraitSpec]
    calibration: str = ""

    @field_validator("traits")
    @classmethod
    def _all_traits(cls, traits: dict[str, TraitSpec]) -> dict[str, TraitSpec]:
        unknown = sorted(set(traits) - set(TRAIT_NAMES))
        missing = [t for t in TRAIT_NAMES if t not in traits]
        if unknown:
            raise ValueError(f"unknown trait(s) {unknown}; known: {list(TRAIT_NAMES)}")
        if missing:
            raise ValueError(f"missing trait(s) {missing}")
        return {name: traits[name] for name in TRAIT_NAMES}

    def means(self) -> np.ndarray:
        return np.array([self.traits[t].value for t in TRAIT_NAMES])

    def with_traits(self, **values: float) -> Profile:
        """A copy with some trait means replaced (source: 'user override')."""
        new = dict(self.traits)
        for trait, value in values.items():
            if trait not in TRAIT_NAMES:
                raise EmpathicaInputError(f"unknown trait {trait!r}; known traits: {', '.join(TRAIT_NAMES)}")
            if not 0.0 <= float(value) <= 1.0:
                raise EmpathicaInputError(f"trait {trait}={value} is out of range: traits are on a 0-1 scale")
            new[trait] = TraitSpec(value=float(value), source="user override")
        return self.model_copy(update={"traits": new})


def _parse_profiles(data: dict, origin: str, family: str | None = None) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    for name, body in data.items():
        if not isinstance(body, dict):
            raise EmpathicaInputError(f"{origin}: [{name}] must be a table of profile fields")
        fields = dict(body)
        if family is not None and "family" not in fields:
            fields["family"] = family
        try:
            profiles[name] = Profile(name=name, **fields)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise EmpathicaInputError(f"{origin}: profile [{name}] field {where}: {first['msg']}") from None
    return profiles


@cache
def builtin_profiles() -> dict[str, Profile]:
    """All profiles shipped with Empathica (article and evidence families)."""
    out: dict[str, Profile] = {}
    for entry in sorted(resources.files("empathica.data").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml") and entry.name.startswith("profiles"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            out.update(_parse_profiles(data, entry.name))
    return out


def load_profile_file(path: str | Path) -> dict[str, Profile]:
    """Read user profiles from a TOML file (same layout as the built-in file)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EmpathicaInputError(f"cannot read profile file {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EmpathicaInputError(f"{path}: not valid TOML: {exc}") from None
    return _parse_profiles(data, str(path), family="custom")


def resolve_profile(spec: str | Profile, extra: dict[str, Profile] | None = None) -> Profile:
    """A profile from a name (built-in or from ``extra``) or a Profile object."""
    if isinstance(spec, Profile):
        return spec
    known = {**builtin_profiles(), **(extra or {})}
    if spec not in known:
        raise EmpathicaInputError(f"unknown profile {spec!r}; known profiles: {', '.join(sorted(known))}")
    return known[spec]


DEFAULT_SPREAD = 0.10
assert DEFAULT_SPREAD < POPULATION_SD
