"""A calibration spec, as data: free parameters with priors, the fit set and the test set.

    [[parameter]]
    name = "bpd_evidence.emotional_contagion"     # PROFILE.TRAIT or GROUP.CONSTANT (ModelParams)
    low = 0.5
    high = 0.95

    [[fit]]                                        # findings the calibration sees
    key = "L2.contagion"                           # a validation row counted on the evidence profiles
    value = 1.10                                   # the published effect, on the row's scale
    se = 0.08
    source = "Blunden et al. 2024 ..."

    [[test]]                                       # findings kept out of the fit, declared before it
    ...

Priors are uniform on [low, high]. The fit and test sets are validation rows
(``empathica validate``), so a finding is measured exactly as the validation measures
it; a row must count on the evidence profiles and may be in one set only.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from empathica.model.params import ModelParams
from empathica.model.profiles import builtin_profiles
from empathica.model.traits import TRAIT_NAMES

MAX_SPEC_BYTES = 1 << 20
MAX_PARAMETERS, MAX_FINDINGS = 40, 80


class Parameter(BaseModel):
    """A free parameter: a profile's trait mean or a mechanism constant, uniform prior."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    low: float
    high: float
    source: str = ""

    @field_validator("name")
    @classmethod
    def _known(cls, name: str) -> str:
        owner, _, field = name.partition(".")
        if owner in builtin_profiles():
            if field not in TRAIT_NAMES:
                raise ValueError(f"{name}: unknown trait {field!r}; known: {', '.join(TRAIT_NAMES)}")
            return name
        group = getattr(ModelParams(), owner, None)
        if group is None:
            raise ValueError(f"{name}: {owner!r} is neither a profile nor a group of mechanism constants")
        value = getattr(group, field, None)
        if not isinstance(value, float):
            raise ValueError(f"{name}: {field!r} is not a number of the {owner} constants")
        return name

    @model_validator(mode="after")
    def _range(self) -> Parameter:
        if not self.low < self.high:
            raise ValueError(f"{self.name}: low must be below high")
        if self.kind == "trait" and not 0.0 <= self.low < self.high <= 1.0:
            raise ValueError(f"{self.name}: a trait's prior lies within 0..1")
        return self

    @property
    def kind(self) -> str:
        return "trait" if self.name.partition(".")[0] in builtin_profiles() else "constant"


class Finding(BaseModel):
    """A published finding measured by a validation row: its value and standard error."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    key: str
    value: float
    se: float = Field(gt=0)
    source: str = Field(min_length=1)

    @field_validator("key")
    @classmethod
    def _a_row(cls, key: str) -> str:
        from empathica.validation.registry import REGISTRY, experiments

        experiments()  # registers every row
        exp = REGISTRY.get(key)
        if exp is None:
            raise ValueError(f"{key!r} is not a validation row (empathica validate lists them)")
        if exp.family != "evidence" or exp.pending:
            raise ValueError(f"{key}: a finding must be a measured row counted on the evidence profiles")
        return key


class CalibrationSpec(BaseModel):
    """A calibration: parameters, the fit set and the test set, and the sampler's sizes."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = "calibration"
    seed: int = Field(0, ge=0)
    parameter: tuple[Parameter, ...] = Field(min_length=1, max_length=MAX_PARAMETERS)
    fit: tuple[Finding, ...] = Field(min_length=1, max_length=MAX_FINDINGS)
    test: tuple[Finding, ...] = Field((), max_length=MAX_FINDINGS)
    population_size: int = Field(200, ge=10, le=10_000)
    generations: int = Field(8, ge=1, le=50)
    group_n: int = Field(1000, ge=50, le=20_000, description="lab participants per group in a simulation")
    minimum_epsilon: float = Field(
        1.0, gt=0, description="stop when the distance threshold is this low (in se)"
    )
    min_acceptance_rate: float = Field(0.02, ge=0, lt=1)
    max_simulations: int = Field(50_000, ge=100, le=5_000_000)
    predictive_draws: int = Field(100, ge=5, le=5000, description="posterior draws for predictive intervals")
    comparison_draws: int = Field(300, ge=5, le=100_000, description="proposals for the evidence account's Z")
    comparison_replicates: int = Field(100, ge=5, le=100_000, description="seeds per fixed account")
    recovery_truths: int = Field(20, ge=0, le=1000, description="synthetic truths of the recovery check")
    recovery_population: int = Field(60, ge=10, le=10_000)
    recovery_generations: int = Field(4, ge=1, le=50)

    @model_validator(mode="after")
    def _distinct(self) -> CalibrationSpec:
        names = [p.name for p in self.parameter]
        if len(set(names)) != len(names):
            raise ValueError("a parameter is named twice")
        fit, test = [f.key for f in self.fit], [f.key for f in self.test]
        if len(set(fit)) != len(fit) or len(set(test)) != len(test):
            raise ValueError("a finding is listed twice in one set")
        if both := sorted(set(fit) & set(test)):
            raise ValueError(
                f"{', '.join(both)} in both the fit and the test set: a test finding is held out"
            )
        return self

    def quick(self) -> CalibrationSpec:
        """The same calibration at the smallest sizes that run every step (for tests)."""
        return self.model_copy(
            update=dict(
                population_size=10,
                generations=2,
                group_n=100,
                predictive_draws=5,
                comparison_draws=10,
                comparison_replicates=5,
                recovery_truths=min(self.recovery_truths, 2),
                recovery_population=10,
                recovery_generations=1,
            )
        )


def load_calibration(path: str | Path) -> CalibrationSpec:
    """Read and check a calibration spec; problems are one line naming the file and the key."""
    from empathica.io.files import read_toml

    return calibration_from_dict(
        read_toml(path, what="calibration spec", max_bytes=MAX_SPEC_BYTES), str(path)
    )


def calibration_from_dict(raw: dict, origin: str = "calibration spec") -> CalibrationSpec:
    from empathica.io.files import validated

    return validated(CalibrationSpec, raw, origin)
