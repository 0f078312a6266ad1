"""A sweep is data: scenario, parameters, design, replicates and metrics, read from TOML.

    name = "conditional care"
    seed = 1
    replicates = 1
    metrics = ["paid_lift", "breakups_per_dyad_year"]

    [scenario]
    pairs = ["npd:secure", "bpd:secure"]
    dyads = 200
    days = 365

    [design]
    method = "sobol"        # sobol, morris, fast, latin, montecarlo, factorial
    n = 32                  # base sample size (factorial: levels per parameter)

    [parameters]
    "npd.admiration_need" = [0.5, 0.95]          # a profile's trait: low, high
    "relationship.reconcile_rate" = [0.3, 0.7]   # a mechanism constant (ModelParams group.field)

A parameter named ``PROFILE.TRAIT`` overrides a trait mean of a profile of the scenario;
``GROUP.FIELD`` a mechanism constant. The spec's hash (canonical JSON) identifies the
sweep in the run store, so rerunning the same spec continues it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from empathica.io.files import read_toml, validated

#: Summary measures a run can report (``empathica.simulate_counts``), per pairing and responder.
METRICS: dict[str, str] = {
    "resp_unpaid": "response rate when nobody watches and nothing is gained",
    "resp_paid": "response rate with an audience or a benefit",
    "paid_lift": "resp_paid - resp_unpaid: how much care depends on a payoff (A4, A14)",
    "accuracy": "accuracy of responses to what the other felt",
    "arousal_gain": "responder's arousal rise after another's distress",
    "arousal_level": "responder's arousal after another's distress",
    "follow_watched": "promises kept when someone watched",
    "follow_unwatched": "promises kept when nobody watched (A9)",
    "breakups_per_dyad_year": "breakups per dyad and year (A13, L8)",
    "reconciliations_per_dyad_year": "reconciliations per dyad and year (A13, L8)",
    "together": "share of dyad-days together",
}
METHODS = ("sobol", "morris", "fast", "latin", "montecarlo", "factorial")
#: Bounds: runs per sweep, dyads per run, parameters.
MAX_RUNS, MAX_DYADS_PER_RUN, MAX_PARAMETERS = 200_000, 1_000_000, 40
MAX_SPEC_BYTES = 1 << 20


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scenario(_Strict):
    pairs: list[str] = Field(min_length=1, max_length=16)
    dyads: int = Field(200, ge=1, le=MAX_DYADS_PER_RUN)
    days: int = Field(365, ge=1, le=36_500)
    spread: float | None = Field(None, ge=0, le=0.5)


class Design(_Strict):
    method: Literal["sobol", "morris", "fast", "latin", "montecarlo", "factorial"] = "sobol"
    n: int = Field(32, ge=1, le=100_000)
    second_order: bool = False
    levels: int = Field(4, ge=2, le=20, description="Morris grid levels")


class SweepSpec(_Strict):
    name: str = Field("sweep", min_length=1, max_length=120)
    seed: int = Field(0, ge=0, le=2**63 - 1)
    replicates: int = Field(1, ge=1, le=1000)
    metrics: list[str] = Field(default_factory=lambda: ["paid_lift", "breakups_per_dyad_year"], min_length=1)
    scenario: Scenario
    design: Design = Design()
    parameters: dict[str, tuple[float, float]] = Field(min_length=1, max_length=MAX_PARAMETERS)

    @field_validator("metrics")
    @classmethod
    def _known_metrics(cls, v: list[str]) -> list[str]:
        unknown = [m for m in v if m not in METRICS]
        if unknown:
            raise ValueError(f"unknown metric(s) {unknown}; the catalogue: {', '.join(METRICS)}")
        return v

    @field_validator("parameters")
    @classmethod
    def _ranges(cls, v: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        for name, (lo, hi) in v.items():
            if "." not in name:
                raise ValueError(f"parameter {name!r}: write PROFILE.TRAIT or GROUP.CONSTANT")
            if not lo < hi:
                raise ValueError(f"parameter {name!r}: the range [{lo}, {hi}] must have low < high")
        # One order, whatever the file's: the design's columns, the hash and the analysis agree.
        return dict(sorted(v.items()))

    @model_validator(mode="after")
    def _resolvable(self) -> SweepSpec:
        from empathica.model.params import ModelParams
        from empathica.model.traits import TRAIT_NAMES

        groups = ModelParams.model_fields
        profiles = {side for pair in self.scenario.pairs for side in pair.split(":")}
        for name, (lo, hi) in self.parameters.items():
            head, _, field = name.partition(".")
            if head in groups:
                sub = groups[head].annotation
                if field not in sub.model_fields:
                    raise ValueError(f"parameter {name!r}: {head} has no constant {field!r}")
            elif head in profiles:
                if field not in TRAIT_NAMES:
                    raise ValueError(f"parameter {name!r}: unknown trait {field!r}")
                if not (0 <= lo and hi <= 1):
                    raise ValueError(f"parameter {name!r}: traits are on a 0-1 scale")
            else:
                raise ValueError(
                    f"parameter {name!r}: {head!r} is neither a profile of the scenario "
                    f"({', '.join(sorted(profiles))}) nor a mechanism ({', '.join(groups)})"
                )
        return self

    def canonical(self) -> str:
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()


def load_spec(path: str | Path) -> SweepSpec:
    """Read and check a sweep spec; problems are one line naming the file and the key."""
    return spec_from_dict(read_toml(path, what="sweep spec", max_bytes=MAX_SPEC_BYTES), str(path))


def spec_from_dict(raw: dict, origin: str = "sweep spec") -> SweepSpec:
    return validated(SweepSpec, raw, origin)
