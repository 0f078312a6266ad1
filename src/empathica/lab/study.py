"""A study of one's own in the virtual lab: populations x conditions x measures -> tidy data.

    study = Study(populations={"bpd": "bpd_evidence", "control": "population"},
                  conditions={"calm": Condition(), "stressed": Condition([Induction("stress", 0.6)])},
                  measures=["met", "eyes"], n=60)
    data = run(study, seed=1)             # one row per participant and condition
    compare(data, "met_cognitive", a={"population": "bpd"}, b={"population": "control"})

The pipeline is three pure functions: ``run`` draws the participants of each
population (``Population.draw``), applies each condition's manipulations and gives
every measure (``INSTRUMENTS``) to every participant; ``compare`` turns two cells
into an effect size with its interval and ``power`` says how often a real study of
that size would detect it (two-sided p < .05). Designs: ``between`` (new people in
every cell, ``n`` per cell) or ``within`` (the same ``n`` people per population in
every condition; the test forms stay the same, practice effects are not modelled).
Everything is fixed by the seed.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as sps

from empathica.errors import EmpathicaInputError
from empathica.lab import exchange, tasks
from empathica.lab.manipulations import Induction
from empathica.lab.stats import hedges_g, paired_d
from empathica.lab.tasks import Sample
from empathica.model import chunks, kernel
from empathica.model.params import ModelParams
from empathica.model.profiles import DEFAULT_SPREAD, Profile, resolve_profile
from empathica.model.streams import stream_key
from empathica.model.traits import TRAIT_MAX, TRAIT_MIN, TRAIT_NAMES

#: Bounds of a study: participants per cell and cells.
MAX_N, MAX_CELLS = 200_000, 400


@dataclass(frozen=True)
class Population:
    """Who takes part: trait means, a within-population SD and optional trait correlations."""

    name: str
    means: Mapping[str, float]
    spread: float = DEFAULT_SPREAD
    correlations: Mapping[tuple[str, str], float] = field(default_factory=dict)

    @classmethod
    def profile(cls, profile: str | Profile, spread: float = DEFAULT_SPREAD, **traits: float) -> Population:
        """People around a built-in or user profile (``traits`` override its means)."""
        prof = resolve_profile(profile)
        if traits:
            prof = prof.with_traits(**traits)
        return cls(prof.name, dict(zip(TRAIT_NAMES, prof.means().tolist(), strict=True)), spread)

    @classmethod
    def early(
        cls, environment: str, spread: float = DEFAULT_SPREAD, base: str | Profile = "population"
    ) -> Population:
        """People who grew up in an early environment (``model.development``, A16): the means of
        ``base`` shifted by it, ``spread`` widened by the environment's heterogeneity."""
        from empathica.model.development import environment_population

        return environment_population(environment, base=base, spread=spread)

    def __post_init__(self):
        unknown = sorted(set(self.means) - set(TRAIT_NAMES))
        pairs = [t for pair in self.correlations for t in pair]
        unknown += sorted(set(pairs) - set(TRAIT_NAMES))
        if unknown:
            raise EmpathicaInputError(f"population {self.name}: unknown trait(s) {unknown}")
        if not 0.0 <= self.spread <= 0.5:
            raise EmpathicaInputError(f"population {self.name}: spread must be between 0 and 0.5")

    def draw(self, n: int, rng: np.random.Generator) -> Sample:
        """n people: mean + spread * z (z correlated as asked), clipped to the trait range;
        traits not named sit at the population mean 0.5."""
        mean = np.array([float(self.means.get(t, 0.5)) for t in TRAIT_NAMES])
        z = rng.standard_normal((len(TRAIT_NAMES), n))
        if self.correlations:
            corr = np.eye(len(TRAIT_NAMES))
            for (a, b), r in self.correlations.items():
                i, j = TRAIT_NAMES.index(a), TRAIT_NAMES.index(b)
                corr[i, j] = corr[j, i] = float(r)
            try:
                z = np.linalg.cholesky(corr) @ z
            except np.linalg.LinAlgError:
                raise EmpathicaInputError(
                    f"population {self.name}: the trait correlations are not a valid correlation matrix"
                ) from None
        values = np.clip(mean[:, None] + self.spread * z, TRAIT_MIN, TRAIT_MAX)
        concept = rng.standard_normal((len(TRAIT_NAMES), n))
        return Sample(
            {t: values[i] for i, t in enumerate(TRAIT_NAMES)},
            self.name,
            {t: concept[i] for i, t in enumerate(TRAIT_NAMES)},
        )


@dataclass(frozen=True)
class Condition:
    """What participants go through: states induced before the measures, and the
    situation of the helping trials (someone watching, something to gain, criticism)."""

    inductions: Sequence[Induction] = ()
    audience: bool = False
    benefit: bool = False
    threat: bool = False


@dataclass(frozen=True)
class Partner:
    """The couple measures. ``relationship``: each participant meets a partner drawn from
    ``population`` and they live together for ``days`` (weeks to years); each partner
    rates trust, satisfaction and liking of the other at every ``every`` days, or at the
    chosen ``waves`` (days, e.g. ``(7, 182, 1460)``). ``exchange``: the same pairs play
    ``rounds`` of a repeated trust game (``lab.exchange``)."""

    population: str | Population = "population"
    days: int = 90
    every: int = 30
    waves: tuple[int, ...] = ()
    rounds: int = 10

    def __post_init__(self):
        waves = tuple(int(w) for w in self.waves)
        if waves and (waves[0] < 1 or any(b <= a for a, b in zip(waves, waves[1:], strict=False))):
            raise EmpathicaInputError(f"waves must be increasing days from 1, got {self.waves}")
        if max(waves + (int(self.days),)) > MAX_DAYS:
            raise EmpathicaInputError(f"a couple is followed for at most {MAX_DAYS} days")
        if not 1 <= int(self.rounds) <= 100:
            raise EmpathicaInputError("an exchange task has 1 to 100 rounds")
        object.__setattr__(self, "waves", waves)

    def wave_days(self) -> tuple[int, ...]:
        """The days (from 1) at which both partners rate each other."""
        if self.waves:
            return self.waves
        every = max(1, int(self.every))
        return tuple(range(every, int(self.days) + 1, every)) or (int(self.days),)


#: Longest follow-up of a couple in the lab: ten years.
MAX_DAYS = 3650


@dataclass(frozen=True)
class Instrument:
    name: str
    description: str
    give: Callable  # (sample, rng, model, condition, delay, study) -> dict of per-participant arrays


def _met(s, rng, m, c, delay, st):
    r = tasks.met(s, rng, m, induce=c.inductions, delay=delay)
    return {
        "met_cognitive": r["cognitive"],
        "met_emotional": r["emotional"],
        "met_arousal": r["arousal_gain"],
    }


def _eyes(s, rng, m, c, delay, st):
    r = tasks.eyes(s, rng, m, induce=c.inductions, delay=delay)
    return {f"eyes_{k}": v for k, v in r.items()}


def _masc(s, rng, m, c, delay, st):
    return {"masc_correct": tasks.reasoning(s, rng, m, induce=c.inductions, delay=delay)}


def _accuracy(s, rng, m, c, delay, st):
    r = tasks.empathic_accuracy(s, rng, m, induce=c.inductions, delay=delay)
    keys = ("accuracy_physical", "accuracy_social", "affective", "self_other_gap")
    return {f"ea_{k}": r[k] for k in keys}


def _questionnaires(s, rng, m, c, delay, st):
    r = tasks.self_report(s, rng, m=m)
    names = {
        "perspective_taking": "iri_perspective_taking",
        "empathic_concern": "iri_empathic_concern",
        "personal_distress": "iri_personal_distress",
        "attachment_anxiety": "ecr_anxiety",
        "attachment_avoidance": "ecr_avoidance",
        "admiration": "npi_admiration",
        "self_esteem": "rse_self_esteem",
    }
    return {names[k]: v for k, v in r.items()}


def _rsq(s, rng, m, c, delay, st):
    return {"rsq": tasks.rejection_sensitivity(s, rng, m, induce=c.inductions, delay=delay)}


def _state_empathy(s, rng, m, c, delay, st):
    return {"state_empathy": tasks.state_empathy(s, rng, False, m=m, induce=c.inductions, delay=delay)}


def _helping(s, rng, m, c, delay, st):
    r = tasks.conditional_empathy(
        s, rng, c.audience, c.benefit, c.threat, m=m, induce=c.inductions, delay=delay
    )
    return {f"helping_{k}": v for k, v in r.items()}


def pair_traits(a: Sample, b: Sample) -> np.ndarray:
    """The kernel's traits (n_traits, 2, n) of couples: person i of ``a`` (side a) with
    person i of ``b`` (side b)."""
    return np.stack([np.stack([np.asarray(x.traits[t], float) for t in TRAIT_NAMES]) for x in (a, b)], axis=1)


def _couples(s, rng, st) -> np.ndarray:
    """Traits (n_traits, 2, n) of each participant (side a) with a partner drawn from the
    study's partner population (side b)."""
    other = _population(st.partner.population).draw(s.n, np.random.default_rng(rng.integers(2**63)))
    return pair_traits(s, other)


#: Each partner's ratings of the other at a wave (state rows of the kernel): name -> row.
RATINGS = {"trust": kernel.TRUST, "satisfaction": kernel.SAT, "liking": kernel.IMPR}


def _relationship(s, rng, m, c, delay, st):
    both = _couples(s, rng, st)
    ids = rng.integers(0, 2**40, s.n)
    su = chunks.setup(
        stream_key(int(rng.integers(2**31))), ids, np.zeros((1, len(TRAIT_NAMES))), np.zeros((1, 2)),
        1 << 62, 0.0, m, traits_=both,
    )  # fmt: skip
    result, state, day = {}, None, 0
    for wave in st.partner.wave_days():  # the couple lives on from wave to wave
        out = chunks.run_chunk(
            su, wave - day, record_every=wave - day, keep_episodes=False, first_day=day,
            state=state, keep_state=state is None,
        )  # fmt: skip
        state, day = out.state, wave
        sf = state[0]
        for name, row in RATINGS.items():
            result[f"{name}_d{wave}"] = sf[row].copy()  # the participant's view of the partner
            result[f"partner_{name}_d{wave}"] = sf[row + 1].copy()  # the partner's view
        result[f"affect_d{wave}"] = sf[kernel.AFF].copy()
        result[f"together_d{wave}"] = state[1][0] != 0
    return result


def _exchange(s, rng, m, c, delay, st):
    both = _couples(s, rng, st)
    r = exchange.trust_game(both, rng, rounds=st.partner.rounds, m=m)
    out = {}
    for k in range(st.partner.rounds):
        out[f"invested_r{k + 1}"] = r["invested"][k]
        out[f"returned_r{k + 1}"] = r["returned"][k]
    for key in ("ruptures", "repair_attempts", "repairs_accepted"):
        out[f"exchange_{key}"] = r[key]
    return out


_CATALOGUE = {
    "met": ("Multifaceted Empathy Test: identified, how moved, arousal per photo", _met),
    "eyes": ("eyes-test-like decoding with confidence ratings (metacognition)", _eyes),
    "masc": ("MASC-like film: mental-state reasoning, arousal carries over", _masc),
    "empathic_accuracy": ("videos of physical and social pain: accuracy, own feeling", _accuracy),
    "questionnaires": ("IRI, ECR-R, NPI-like, Rosenberg-like, answered from the self-view", _questionnaires),
    "rsq": ("RSQ-like rejection sensitivity (anxious and sociometer readings)", _rsq),
    "state_empathy": ("how moved by a vignette of someone in need", _state_empathy),
    "helping": ("responds to an acquaintance's needs in the condition's situation", _helping),
    "relationship": (
        "a couple followed over weeks to years: each partner's trust, satisfaction, liking at waves",
        _relationship,
    ),
    "exchange": ("repeated trust game with the partner: each one's investment per round", _exchange),
}
#: The measures a study can take, by name.
INSTRUMENTS: dict[str, Instrument] = {k: Instrument(k, d, f) for k, (d, f) in _CATALOGUE.items()}


def _population(p: str | Profile | Population) -> Population:
    return p if isinstance(p, Population) else Population.profile(p)


@dataclass(frozen=True)
class Study:
    """A virtual study: who (``populations``), what they go through (``conditions``),
    what is measured (``measures``, names of ``INSTRUMENTS``), how many (``n``) and how
    (``design``: between or within subjects; ``delay``: minutes from the manipulation to
    the measures)."""

    populations: Mapping[str, str | Profile | Population]
    measures: Sequence[str]
    conditions: Mapping[str, Condition | Sequence[Induction]] = field(
        default_factory=lambda: {"control": Condition()}
    )
    n: int = 50
    design: str = "between"
    delay: float = 0.0
    partner: Partner = Partner()
    model: ModelParams = field(default_factory=ModelParams)

    def __post_init__(self):
        unknown = [m for m in self.measures if m not in INSTRUMENTS]
        if unknown:
            raise EmpathicaInputError(f"unknown measure(s) {unknown}; choose from {', '.join(INSTRUMENTS)}")
        if self.design not in ("between", "within"):
            raise EmpathicaInputError(f"design must be 'between' or 'within', got {self.design!r}")
        if not 2 <= int(self.n) <= MAX_N:
            raise EmpathicaInputError(f"n must be between 2 and {MAX_N} participants per cell")
        if not self.populations or not self.conditions or not self.measures:
            raise EmpathicaInputError("a study needs at least one population, condition and measure")
        if len(self.populations) * len(self.conditions) > MAX_CELLS:
            raise EmpathicaInputError(f"at most {MAX_CELLS} cells (populations x conditions)")
        if not 0.0 <= float(self.delay) <= 7 * 24 * 60:
            raise EmpathicaInputError("delay is in minutes, from 0 to a week")


def _rng(seed: int, *parts) -> np.random.Generator:
    return np.random.default_rng([int(seed), zlib.crc32("/".join(map(str, parts)).encode())])


def _condition(c: Condition | Sequence[Induction]) -> Condition:
    return c if isinstance(c, Condition) else Condition(tuple(c))


def run(study: Study, seed: int = 0) -> pd.DataFrame:
    """Run a study: one row per participant and condition (``participant``, ``population``,
    ``condition``, then one column per score of each measure)."""
    frames = []
    first_id = 0
    for pop_name, pop in study.populations.items():
        population = _population(pop)
        people = None
        for cond_name, cond in study.conditions.items():
            if people is None or study.design == "between":
                people = population.draw(
                    int(study.n), _rng(seed, "people", pop_name, cond_name * (study.design == "between"))
                )
                ids = np.arange(first_id, first_id + people.n)
                first_id += people.n if study.design == "between" else 0
            cell = {"participant": ids, "population": pop_name, "condition": cond_name}
            c = _condition(cond)
            for name in study.measures:
                rng = _rng(seed, "measure", pop_name, cond_name, name)
                cell.update(INSTRUMENTS[name].give(people, rng, study.model, c, float(study.delay), study))
            frames.append(pd.DataFrame(cell))
        if study.design == "within":
            first_id += int(study.n)
    data = pd.concat(frames, ignore_index=True)
    for col in ("population", "condition"):
        data[col] = pd.Categorical(data[col], categories=list(dict.fromkeys(data[col])))
    return data


def _cell(data: pd.DataFrame, where: Mapping[str, str]) -> pd.DataFrame:
    mask = np.ones(len(data), dtype=bool)
    for col, value in where.items():
        if col not in data:
            raise EmpathicaInputError(f"no column {col!r} in the study data")
        mask &= (data[col] == value).to_numpy()
    if not mask.any():
        raise EmpathicaInputError(f"no participants where {dict(where)}")
    return data[mask]


def power(effect: float, n_a: int, n_b: int | None = None, alpha: float = 0.05) -> float:
    """Chance that a two-sided t-test at ``alpha`` detects a standardised effect in a real
    study with ``n_a`` and ``n_b`` participants per group (``n_b`` None: paired, n_a pairs)."""
    if n_b is None:
        df, nc = n_a - 1, effect * np.sqrt(n_a)
    else:
        df, nc = n_a + n_b - 2, effect * np.sqrt(n_a * n_b / (n_a + n_b))
    crit = sps.t.ppf(1 - alpha / 2, df)
    return float(sps.nct.sf(crit, df, nc) + sps.nct.cdf(-crit, df, nc))


def compare(
    data: pd.DataFrame,
    measure: str,
    a: Mapping[str, str],
    b: Mapping[str, str],
    n: int | None = None,
) -> pd.DataFrame:
    """Effect of cell ``a`` vs cell ``b`` on ``measure``: Hedges g (different people) or d_z
    (the same people, matched by participant), with its 95% interval, and the power of a
    real study with ``n`` people per cell (default: the study's own)."""
    if measure not in data:
        raise EmpathicaInputError(f"no measure {measure!r}; the data have {', '.join(data.columns[3:])}")
    x, y = _cell(data, a), _cell(data, b)
    same_people = set(x["participant"]) == set(y["participant"])
    if same_people:
        merged = x[["participant", measure]].merge(y[["participant", measure]], on="participant")
        est = paired_d(merged[f"{measure}_x"] - merged[f"{measure}_y"])
        kind, n_a, n_b = "d_z (within)", n or len(merged), None
    else:
        est = hedges_g(x[measure].to_numpy(), y[measure].to_numpy())
        kind, n_a, n_b = "g (between)", n or len(x), n or len(y)
    label = lambda w: ", ".join(f"{k}={v}" for k, v in w.items())  # noqa: E731
    return pd.DataFrame(
        [
            {
                "measure": measure,
                "a": label(a),
                "b": label(b),
                "effect": est.value,
                "ci_low": est.ci_low,
                "ci_high": est.ci_high,
                "kind": kind,
                "n_per_cell": n_a,
                "power": power(est.value, n_a, n_b),
            }
        ]
    )
