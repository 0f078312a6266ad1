"""Profiles are data: a mean for every trait, each with its source.

Built-in profiles live in ``empathica/data/*.toml``; users can add their own TOML
files with the same layout (see ``docs/model.md``) and override single traits.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from empathica.errors import EmpathicaInputError
from empathica.model.traits import POPULATION_SD, TRAIT_NAMES

#: Profile names: letters, digits, ``_`` and ``-`` (as ``--pair NAME:NAME`` accepts them).
PROFILE_NAME = re.compile(r"[A-Za-z0-9_\-]{1,64}")
#: Size limit of a profile file.
MAX_PROFILE_FILE_BYTES = 1 << 20


class TraitSpec(BaseModel):
    """The profile mean of one trait and where the number comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    value: float = Field(ge=0.0, le=1.0)
    source: str = Field(min_length=1)

    @field_validator("value", mode="before")
    @classmethod
    def _a_number(cls, value: object) -> object:
        # TOML `true` or "0.5" must not pass as a number (pydantic would coerce them).
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{value!r} is not a number: write a number from 0 to 1")
        return value


class Profile(BaseModel):
    """A named profile: trait means with sources, drawn with a spread per agent."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    family: Literal["article", "evidence", "evidence_hand", "custom"] = "custom"
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


def _message(err: dict) -> str:
    """A pydantic error in the words of a profile file (no internal class names)."""
    msg = err["msg"]
    if err["type"] in ("model_type", "dict_type"):
        return 'write a number from 0 to 1, or { value = 0.5, source = "where it comes from" }'
    return msg.removeprefix("Value error, ")


def _parse_profiles(
    data: dict,
    origin: str,
    family: str | None = None,
    bases: dict[str, Profile] | None = None,
) -> dict[str, Profile]:
    """Profiles of one TOML document. With ``bases`` (a user file), a profile may start from
    another one (``base = "bpd"``: the traits it does not list are taken from it), and a
    trait may be a bare number (its source then says it was given without one)."""
    profiles: dict[str, Profile] = {}
    for name, body in data.items():
        if not isinstance(body, dict):
            raise EmpathicaInputError(f"{origin}: [{name}] must be a table of profile fields")
        fields = dict(body)
        if bases is not None:
            fields = _user_fields(name, fields, origin, {**bases, **profiles})
        if family is not None and "family" not in fields:
            fields["family"] = family
        try:
            profiles[name] = Profile(name=name, **fields)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"] if p != "value")
            raise EmpathicaInputError(
                f"{origin}: profile [{name}] field {where}: {_message(first)}"
            ) from None
    return profiles


def _user_fields(name: str, fields: dict, origin: str, known: dict[str, Profile]) -> dict:
    if not PROFILE_NAME.fullmatch(name):
        raise EmpathicaInputError(
            f"{origin}: profile name {name!r}: use 1-64 letters, digits, '_' or '-' "
            "(the names --pair accepts)"
        )
    if name in builtin_profiles():
        raise EmpathicaInputError(
            f"{origin}: profile [{name}] has the name of a built-in profile; choose another name "
            f'(to start from it, write base = "{name}")'
        )
    traits = fields.get("traits", {})
    if not isinstance(traits, dict):
        raise EmpathicaInputError(f"{origin}: profile [{name}] field traits must be a table of traits")
    traits = {
        t: {"value": v, "source": f"{origin}: given without a source"} if _is_number(v) else v
        for t, v in traits.items()
    }
    base_name = fields.pop("base", None)
    if base_name is not None:
        if not isinstance(base_name, str) or base_name not in known:
            raise EmpathicaInputError(
                f"{origin}: profile [{name}] base {base_name!r} is not a known profile "
                f"(known: {', '.join(sorted(known))})"
            )
        base = known[base_name]
        for t, spec in base.traits.items():
            if t not in traits:
                traits[t] = {"value": spec.value, "source": f"from {base_name}: {spec.source}"}
        fields.setdefault("description", f"based on {base_name}")
    fields["traits"] = traits
    return fields


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


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
    """Read user profiles from a TOML file (layout: ``docs/profiles.md``).

    Each ``[NAME]`` table has ``description``, optionally ``base`` (a built-in or an
    earlier profile of the file to start from), and ``[NAME.traits]``: each trait a
    number from 0 to 1 or ``{ value = ..., source = "..." }``. Names of built-in
    profiles cannot be reused.
    """
    from empathica.io.files import read_input_bytes

    data = read_input_bytes(path, what="profile file", max_bytes=MAX_PROFILE_FILE_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EmpathicaInputError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the profile "
            "file as UTF-8"
        ) from None
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EmpathicaInputError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise EmpathicaInputError(f"{path}: not a profile file: tables nested too deeply") from None
    if not parsed:
        raise EmpathicaInputError(f"{path}: no profiles in the file (see docs/profiles.md for the layout)")
    return _parse_profiles(parsed, str(path), family="custom", bases=builtin_profiles())


def resolve_profile(spec: str | Profile, extra: dict[str, Profile] | None = None) -> Profile:
    """A profile from a name (built-in, from ``extra``, or ``early-ENVIRONMENT``: the adults of an
    early environment, ``model.development``) or a Profile object."""
    if isinstance(spec, Profile):
        return spec
    known = {**builtin_profiles(), **(extra or {})}
    if spec not in known and spec.startswith("early-"):  # adults of an early environment (A16)
        from empathica.model.development import early_profile

        return early_profile(spec)
    if spec not in known:
        raise EmpathicaInputError(f"unknown profile {spec!r}; known profiles: {', '.join(sorted(known))}")
    return known[spec]


#: Within-profile trait SD, the same for every group: the instruments' population SD
#: (IRI, ECR-R, NPI and BIS-11 scores spread about as widely within clinical samples as in the
#: population; docs/validation.md, "One trait spread").
DEFAULT_SPREAD = POPULATION_SD
