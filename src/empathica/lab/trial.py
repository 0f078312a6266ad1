"""Virtual randomized trials: therapy arms over months, outcomes with intervals (A2, A15).

    spec = load_trial("examples/trial.toml")
    result = run_trial(spec)          # tidy DataFrames: flow, outcomes, effects, participants

A trial enrols ``n_per_arm`` people of a population (a profile or an early
environment) per arm, each living with a partner from ``partner``; each arm follows a
``Therapy`` (components on schedules, ``model.interventions``) or none (the control
arm), through ``weeks`` of treatment and ``follow_up_weeks`` after. The engine is
``model.course.live``: the relationship runs day by day, traits change week by week.
At each measurement week the patients take lab instruments (MET cognitive and
emotional; misreading under stress: the MET's reading error after a stress
induction) and the couple's state is read (together, breakups so far, each partner's
exhaustion and confusion, satisfaction).

Analysis is by intention to treat (everyone enrolled, dropped out or not): per arm
and week the mean with a 95% interval; per arm against the control arm the
difference of change from baseline (Welch interval) and Hedges g; responders on the
primary outcome by the reliable change index (Jacobson & Truax 1991) with the
retest reliability measured in the control arm. The flow follows CONSORT (Schulz et
al. 2010): enrolled, allocated, started, dropped out (with the week), completed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from empathica.lab import tasks
from empathica.lab.manipulations import Induction
from empathica.lab.stats import Z95
from empathica.lab.study import Population, pair_traits
from empathica.lab.tasks import Sample
from empathica.model import course, interventions, loved_ones
from empathica.model.params import ModelParams
from empathica.model.profiles import DEFAULT_SPREAD, resolve_profile
from empathica.model.traits import TRAIT_NAMES

MAX_SPEC_BYTES = 1 << 20
MAX_PER_ARM, MAX_ARMS = 20_000, 12
#: Outcomes and whether a higher value is better.
OUTCOMES: dict[str, bool] = {
    "met_cognitive": True,
    "met_emotional": True,
    "misreading_stressed": False,
    "together": True,
    "breakups": False,
    "satisfaction": True,
    "own_exhaustion": False,
    "partner_exhaustion": False,
    "partner_confusion": False,
}
#: The stress induced before the misreading measure (strength 0-1).
STRESS = 0.6


class Arm(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    collaboration: float = Field(0.5, ge=0.0, le=1.0)
    schedule: tuple[interventions.Schedule, ...] = ()
    partner_strategy: str | None = None

    @field_validator("partner_strategy")
    @classmethod
    def _strategy(cls, name: str | None) -> str | None:
        if name is not None and name not in loved_ones.strategies():
            raise ValueError(f"unknown strategy {name!r}; known: {', '.join(loved_ones.strategies())}")
        return name

    def therapy(self) -> interventions.Therapy:
        return interventions.Therapy(name=self.name, schedule=self.schedule, collaboration=self.collaboration)


class TrialSpec(BaseModel):
    """A virtual trial, as data (see docs/trial.md and examples/trial.toml)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = "trial"
    seed: int = Field(0, ge=0)
    n_per_arm: int = Field(500, ge=10, le=MAX_PER_ARM)
    population: str = "bpd"
    partner: str = "population"
    weeks: int = Field(26, ge=1, le=course.MAX_WEEKS)
    follow_up_weeks: int = Field(26, ge=0, le=course.MAX_WEEKS)
    measure_weeks: tuple[int, ...] = ()
    primary: str = "misreading_stressed"
    control: str = ""
    arm: tuple[Arm, ...] = Field(min_length=2, max_length=MAX_ARMS)

    @field_validator("population", "partner")
    @classmethod
    def _profile(cls, name: str) -> str:
        resolve_profile(name)  # one clear line for an unknown profile
        return name

    @field_validator("primary")
    @classmethod
    def _outcome(cls, name: str) -> str:
        if name not in OUTCOMES:
            raise ValueError(f"unknown outcome {name!r}; choose from {', '.join(OUTCOMES)}")
        return name

    @model_validator(mode="after")
    def _consistent(self) -> TrialSpec:
        names = [a.name for a in self.arm]
        if len(set(names)) != len(names):
            raise ValueError("arm names must differ")
        if self.control and self.control not in names:
            raise ValueError(f"control arm {self.control!r} is not one of the arms {names}")
        total = self.weeks + self.follow_up_weeks
        if total > course.MAX_WEEKS:
            raise ValueError(f"treatment plus follow-up is at most {course.MAX_WEEKS} weeks")
        if any(not 0 <= w <= total for w in self.measure_weeks):
            raise ValueError(f"measure_weeks must lie in 0..{total}")
        for a in self.arm:
            if any(s.start + s.weeks > self.weeks for s in a.schedule):
                raise ValueError(f"arm {a.name}: a component runs past the {self.weeks} treatment weeks")
        return self

    def waves(self) -> tuple[int, ...]:
        total = self.weeks + self.follow_up_weeks
        return tuple(sorted(set(self.measure_weeks) | {0, self.weeks, total}))

    def control_arm(self) -> str:
        return self.control or self.arm[0].name


def load_trial(path: str | Path) -> TrialSpec:
    """Read and check a trial spec; problems are one line naming the file and the key."""
    from empathica.io.files import read_toml

    return trial_from_dict(read_toml(path, what="trial spec", max_bytes=MAX_SPEC_BYTES), str(path))


def trial_from_dict(raw: dict, origin: str = "trial spec") -> TrialSpec:
    from empathica.io.files import validated

    return validated(TrialSpec, raw, origin)


@dataclass(frozen=True)
class TrialResult:
    """Tidy tables of a trial: ``flow`` (CONSORT counts per arm), ``outcomes`` (arm, week,
    outcome: mean and 95% interval), ``effects`` (each arm vs control: change from
    baseline, difference, interval, g, responders), ``participants`` (one row per person
    and wave) and ``weekly`` (arm and week: sessions, in therapy, together, strain)."""

    spec: TrialSpec
    flow: pd.DataFrame
    outcomes: pd.DataFrame
    effects: pd.DataFrame
    participants: pd.DataFrame
    weekly: pd.DataFrame


def _couples(spec: TrialSpec, arm: int, spread: float) -> np.ndarray:
    rng = np.random.default_rng(np.random.SeedSequence([spec.seed, 0x7121A1, arm]))
    a = Population.profile(spec.population, spread).draw(spec.n_per_arm, rng)
    b = Population.profile(spec.partner, spread).draw(spec.n_per_arm, rng)
    return pair_traits(a, b)


def _measures(tr: np.ndarray, rng: np.random.Generator, m: ModelParams) -> dict[str, np.ndarray]:
    """The patients' lab measures (side a of traits (n_traits, 2, n))."""
    s = Sample({t: tr[i, 0] for i, t in enumerate(TRAIT_NAMES)}, "patients")
    calm = tasks.met(s, rng, m=m)
    stressed = tasks.met(s, rng, m=m, induce=(Induction("stress", STRESS),))
    return {
        "met_cognitive": calm["cognitive"],
        "met_emotional": calm["emotional"],
        "misreading_stressed": stressed["item_error"].mean(axis=0),
    }


def run_trial(
    spec: TrialSpec, model: ModelParams | None = None, progress=None, spread: float = DEFAULT_SPREAD
) -> TrialResult:
    """Run every arm of ``spec`` (deterministic from ``spec.seed``); ``progress(done, total)``
    is called after each arm; ``spread``: the within-population trait SD."""
    model = model or ModelParams()
    waves = spec.waves()
    total = spec.weeks + spec.follow_up_weeks
    people, weekly, flow = [], [], []
    for k, arm in enumerate(spec.arm):
        tr = _couples(spec, k, spread)
        strategy = arm.partner_strategy
        policy = loved_ones.policies(None, strategy, spec.n_per_arm) if strategy else None
        c = course.live(
            tr, max(total, 1), seed=int(np.random.SeedSequence([spec.seed, k]).generate_state(1)[0]),
            therapy=arm.therapy() if arm.schedule else None, policy=policy, model=model, keep=waves,
        )  # fmt: skip
        w = c.weekly
        for wave in waves:
            rng = np.random.default_rng(np.random.SeedSequence([spec.seed, 0x3EA5, k, wave]))
            row = {"arm": arm.name, "person": np.arange(spec.n_per_arm), "week": wave}
            row.update(_measures(c.traits[wave], rng, model))
            if wave == 0:  # before the first week: together, no breakups or strain yet
                first = w[w["week"] == 1].sort_values("dyad")
                couple = {
                    "together": np.ones(spec.n_per_arm),
                    "breakups": np.zeros(spec.n_per_arm),
                    "satisfaction": 0.5 * (first["satisfaction_a"] + first["satisfaction_b"]).to_numpy(),
                    "own_exhaustion": 0.0,
                    "partner_exhaustion": 0.0,
                    "partner_confusion": 0.0,
                }
            else:
                at = w[w["week"] == wave].sort_values("dyad")
                upto = w[w["week"] <= wave].groupby("dyad")["breakups"].sum().sort_index()
                couple = {
                    "together": at["together"].to_numpy(float),
                    "breakups": upto.to_numpy(float),
                    "satisfaction": 0.5 * (at["satisfaction_a"] + at["satisfaction_b"]).to_numpy(),
                    "own_exhaustion": at["exhaustion_a"].to_numpy(),
                    "partner_exhaustion": at["exhaustion_b"].to_numpy(),
                    "partner_confusion": at["confusion_b"].to_numpy(),
                }
            row.update(couple)
            row["dropped_week"] = c.dropped_week
            people.append(pd.DataFrame(row))
        agg = w.groupby("week").agg(
            sessions=("sessions", "mean"), in_therapy=("in_therapy", "mean"), together=("together", "mean"),
            partner_exhaustion=("exhaustion_b", "mean"), partner_confusion=("confusion_b", "mean"),
            own_exhaustion=("exhaustion_a", "mean"),
        ).reset_index()  # fmt: skip
        weekly.append(agg.assign(arm=arm.name))
        treated = bool(arm.schedule)
        dropped = int((c.dropped_week >= 0).sum())
        flow.append(
            {
                "arm": arm.name,
                "enrolled": spec.n_per_arm,
                "allocated": spec.n_per_arm,
                "received_treatment": int((w[w["week"] == 1]["sessions"] > 0).sum()) if treated else 0,
                "dropped_out": dropped,
                "completed": spec.n_per_arm - dropped if treated else 0,
                "followed_up": spec.n_per_arm,
                "analysed_itt": spec.n_per_arm,
                "median_dropout_week": float(np.median(c.dropped_week[c.dropped_week >= 0]) + 1)
                if dropped
                else np.nan,
            }
        )
        if progress is not None:
            progress(k + 1, len(spec.arm))
    participants = pd.concat(people, ignore_index=True)
    return TrialResult(
        spec,
        pd.DataFrame(flow),
        _outcomes(participants),
        _effects(participants, spec),
        participants,
        pd.concat(weekly, ignore_index=True)[["arm", "week", *agg.columns.drop("week")]],
    )


def _outcomes(p: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (arm, week), g in p.groupby(["arm", "week"], sort=False):
        for name in OUTCOMES:
            x = g[name].to_numpy(float)
            x = x[np.isfinite(x)]
            se = x.std(ddof=1) / np.sqrt(len(x)) if len(x) > 1 else np.nan
            rows.append(
                {"arm": arm, "week": week, "outcome": name, "mean": x.mean() if len(x) else np.nan,
                 "ci_low": x.mean() - Z95 * se, "ci_high": x.mean() + Z95 * se, "n": len(x)}
            )  # fmt: skip
    return pd.DataFrame(rows)


def _effects(p: pd.DataFrame, spec: TrialSpec) -> pd.DataFrame:
    """Each arm against the control arm: change from baseline at every later wave."""
    control = spec.control_arm()
    base = p[p["week"] == 0].set_index(["arm", "person"])
    rows = []
    for week in spec.waves()[1:]:
        now = p[p["week"] == week].set_index(["arm", "person"])
        change = now[list(OUTCOMES)] - base[list(OUTCOMES)]
        for name, higher in OUTCOMES.items():
            c = change.loc[control, name].to_numpy(float)
            retest = _retest(base.loc[control, name], now.loc[control, name])
            sd0 = base[name].std(ddof=1)
            for arm in (a.name for a in spec.arm):
                if arm == control:
                    continue
                t = change.loc[arm, name].to_numpy(float)
                d = t.mean() - c.mean()
                se = np.sqrt(t.var(ddof=1) / len(t) + c.var(ddof=1) / len(c))
                pooled = np.sqrt(0.5 * (t.var(ddof=1) + c.var(ddof=1)))
                g = d / pooled * (1 - 3 / (4 * (len(t) + len(c)) - 9)) if pooled > 0 else np.nan
                rows.append(
                    {
                        "arm": arm, "vs": control, "week": week, "outcome": name,
                        "better": "higher" if higher else "lower",
                        "change": t.mean(), "control_change": c.mean(), "difference": d,
                        "ci_low": d - Z95 * se, "ci_high": d + Z95 * se, "g": g,
                        "responders": _responders(t, sd0, retest, higher),
                        "control_responders": _responders(c, sd0, retest, higher),
                        "primary": name == spec.primary,
                    }
                )  # fmt: skip
    return pd.DataFrame(rows)


def _retest(before: pd.Series, after: pd.Series) -> float:
    x, y = before.to_numpy(float), after.to_numpy(float)
    if np.nanstd(x) == 0 or np.nanstd(y) == 0:
        return np.nan
    return float(np.corrcoef(x, y)[0, 1])


def _responders(change: np.ndarray, sd0: float, retest: float, higher: bool) -> float:
    """Share with a reliable improvement: RCI = change / (sd0 * sqrt(2 (1 - r))) beyond 1.96."""
    if not np.isfinite(retest) or sd0 <= 0:
        return np.nan
    s_diff = sd0 * np.sqrt(2.0 * max(1e-9, 1.0 - retest))
    rci = change / s_diff
    return float(np.mean(rci > Z95) if higher else np.mean(rci < -Z95))


def write_trial(result: TrialResult, out: str | Path, force: bool = False) -> list[Path]:
    """The trial's tables as folder ``out`` (flow, outcomes, effects and weekly as CSV,
    participants as Parquet, the spec as JSON): it appears only when complete and replaces
    earlier results only with ``force=True``."""
    import empathica
    from empathica.io.rundir import RunDirectory

    manifest = {
        "command": "trial",
        "empathica_version": empathica.__version__,
        "parameters": result.spec.model_dump(mode="json"),
    }
    tables = {
        "flow.csv": result.flow,
        "outcomes.csv": result.outcomes,
        "effects.csv": result.effects,
        "weekly.csv": result.weekly,
    }
    with RunDirectory(out, force=force, manifest=manifest) as run:
        for name, df in tables.items():
            run.write_text(name, df.to_csv(index=False))
            run.add_file(name, len(df))
        result.participants.to_parquet(run.path("participants.parquet"), index=False)
        run.add_file("participants.parquet", len(result.participants))
        run.write_text("spec.json", result.spec.model_dump_json(indent=1) + "\n")
    return [run.target / n for n in (*tables, "participants.parquet", "spec.json")]
