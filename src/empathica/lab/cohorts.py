"""The virtual lab: who takes part in each family's experiments, and shared cohorts.

Roles map one family's profiles onto the groups of the studies:

=============== ============ =================
role            article      evidence
=============== ============ =================
control         secure       population
bpd             bpd          bpd_evidence
npd             npd          npd_grandiose
npd_vulnerable  (none)       npd_vulnerable
=============== ============ =================

The evidence family's controls are ``population`` (every trait at the population
mean): the literature compares patients with healthy controls, not with an idealised
secure person. The article's contrast is ``secure``, as the article draws it.

Continuous populations (for correlational findings) are defined here too:
``narcissism_population`` (facets antagonism and narcissistic neuroticism, L5-L7) and
``bpd_feature_population`` (BPD features along the control -> bpd direction, L9).
Relationship cohorts are simulated once per family and shared by the experiments.

A ``Lab`` carries the mechanism constants (``params``) and the within-profile trait
spread (``spread``) that every task, sample and cohort of the run uses, so a
validation can be re-run with a changed constant (``empathica validate --robustness``).
The spread applies to the profile groups (samples and cohorts); the continuous
populations keep the population SD, as they stand for the general population.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from empathica.lab import tasks
from empathica.lab.tasks import Sample, draw_sample
from empathica.model.params import ModelParams
from empathica.model.profiles import DEFAULT_SPREAD, builtin_profiles
from empathica.model.traits import POPULATION_SD, TRAIT_MAX, TRAIT_MIN, TRAIT_NAMES

ROLES: dict[str, dict[str, str | None]] = {
    "article": {"control": "secure", "bpd": "bpd", "npd": "npd", "npd_vulnerable": None},
    "evidence": {
        "control": "population",
        "bpd": "bpd_evidence",
        "npd": "npd_grandiose",
        "npd_vulnerable": "npd_vulnerable",
    },
    # the evidence profiles as they were tuned by hand, before the calibration (comparison only)
    "evidence_hand": {
        "control": "population",
        "bpd": "bpd_evidence_hand",
        "npd": "npd_grandiose_hand",
        "npd_vulnerable": "npd_vulnerable_hand",
    },
}

#: Participants per group in the lab tasks (tight intervals; paper sizes are resampled).
GROUP_N = 4000
#: Dyads per pairing and days of the relationship cohorts.
COHORT_DYADS = 500
COHORT_DAYS = 730
#: Participants of the continuous populations.
POPULATION_N = 20000

#: Narcissism facets (three-factor model: antagonism/entitlement, narcissistic
#: neuroticism) as loadings on the traits' population z-scores. Calibrated to L7
#: (see docs/validation.md): the IRI scores are answered from the self-view (insight
#: 0.75 for concern and distress, 0.45 for perspective taking, and self-enhancement by
#: self-esteem, which antagonism's admiration need inflates), so the loadings that give
#: the published r are larger than the r: antagonism -> empathic_concern -0.71 gives
#: r -0.36, -> cognitive_empathy -0.58 gives r -0.16; neuroticism -> emotional_contagion
#: 0.50 gives r +0.29 with personal distress. The other loadings are modelling choices
#: (entitlement -> admiration need; neuroticism -> fragile self-esteem, attachment
#: anxiety, dysregulation) and are not fitted.
FACET_LOADINGS: dict[str, dict[str, float]] = {
    "antagonism": {
        "empathic_concern": -0.71,
        "cognitive_empathy": -0.58,
        "emotional_contagion": -0.25,
        "admiration_need": 0.55,
        "impulsivity": 0.25,
        "self_image_fragility": 0.20,
    },
    "neuroticism": {
        "emotional_contagion": 0.50,
        "self_image_fragility": 0.60,
        "attachment_anxiety": 0.50,
        "emotion_regulation": -0.45,
        "admiration_need": 0.30,
    },
}
FACET_RELIABILITY = 0.85
#: Clinical BPD sits this many population SDs out on the BPD-feature dimension (L9):
#: the mean of the top 2% of a normal distribution (BPD prevalence is of that order).
BPD_CLINICAL_Z = 2.4


#: The test battery every lab participant takes (name -> task on a sample).
TASKS = {
    "met": lambda s, rng, m: tasks.met(s, rng, m=m),
    "met_rest": lambda s, rng, m: tasks.met(s, rng, m=m, at_rest=True),
    "decoding": lambda s, rng, m: tasks.decoding(s, rng, m=m),
    "reasoning": lambda s, rng, m: tasks.reasoning(s, rng, m=m),
    "subtle": lambda s, rng, m: tasks.subtle_cues(s, rng, m=m),
    "self_report": lambda s, rng, m: tasks.self_report(s, rng, m=m),
    "accuracy": lambda s, rng, m: tasks.empathic_accuracy(s, rng, m=m),
    "rejection": lambda s, rng, m: tasks.rejection_sensitivity(s, rng, m=m),
}


def roles(family: str) -> dict[str, str | None]:
    return ROLES[family]


def _key(*parts) -> int:
    return zlib.crc32("/".join(str(p) for p in parts).encode())


@dataclass
class Lab:
    """Shared state of one validation run: the seed, the mechanism constants, the trait
    spread and trait means that replace a profile's (``traits``: profile name -> trait ->
    value, e.g. a calibration's parameters), and caches of samples and cohorts (kept per
    constants, spread and replaced traits)."""

    seed: int = 0
    group_n: int = GROUP_N
    params: ModelParams = field(default_factory=ModelParams)
    spread: float = DEFAULT_SPREAD
    traits: dict = field(default_factory=dict)
    cohort_roles: tuple[str, ...] | None = None  # roles paired with controls in cohorts (None: all)
    _caches: dict = field(default_factory=dict, repr=False)

    @property
    def _cache(self) -> dict:
        """The cache of the current constants, spread and traits: changing one starts afresh."""
        replaced = tuple(sorted((p, tuple(sorted(t.items()))) for p, t in self.traits.items()))
        return self._caches.setdefault((self.params, self.spread, replaced, self.cohort_roles), {})

    def rng(self, *parts) -> np.random.Generator:
        """A generator fixed by the seed and a label (experiment key, family, ...)."""
        return np.random.default_rng([self.seed, _key(*parts)])

    def profile(self, family: str, role: str):
        name = ROLES[family][role]
        if name is None:
            return None
        prof = builtin_profiles()[name]
        return prof.with_traits(**self.traits[name]) if name in self.traits else prof

    def sample(self, family: str, role: str, label: str = "", n: int | None = None) -> Sample | None:
        """A fresh group of participants for one role (each experiment draws its own)."""
        prof = self.profile(family, role)
        if prof is None:
            return None
        return draw_sample(
            prof, n or self.group_n, self.rng("sample", family, role, label), spread=self.spread
        )

    def battery(self, family: str, role: str) -> Sample | None:
        """The participants of one role who take the whole test battery (cached)."""
        key = ("battery", family, role)
        if key not in self._cache:
            self._cache[key] = self.sample(family, role, "battery")
        return self._cache[key]

    def task(self, family: str, role: str, name: str):
        """Scores of one role's battery participants on one task (cached, see ``TASKS``)."""
        key = ("task", family, role, name)
        if key not in self._cache:
            s = self.battery(family, role)
            rng = self.rng("task", family, role, name)
            self._cache[key] = None if s is None else TASKS[name](s, rng, self.params)
        return self._cache[key]

    # -- continuous populations ------------------------------------------------------------

    def narcissism_population(
        self, label: str, n: int = POPULATION_N
    ) -> tuple[Sample, dict[str, np.ndarray]]:
        """General population with narcissism facets; returns the sample and the
        measured facet scores (facet + error, reliability 0.85)."""
        rng = self.rng("narcissism", label)
        facets = {f: rng.standard_normal(n) for f in FACET_LOADINGS}
        values = {}
        for t in TRAIT_NAMES:
            loads = [(FACET_LOADINGS[f].get(t, 0.0), facets[f]) for f in FACET_LOADINGS]
            shared = sum(w * x for w, x in loads)
            unique = np.sqrt(max(0.0, 1.0 - sum(w * w for w, _ in loads))) * rng.standard_normal(n)
            values[t] = np.clip(0.5 + POPULATION_SD * (shared + unique), TRAIT_MIN, TRAIT_MAX)
        error = np.sqrt((1 - FACET_RELIABILITY) / FACET_RELIABILITY)
        scores = {f: x + error * rng.standard_normal(n) for f, x in facets.items()}
        return Sample(values, "population"), scores

    def bpd_feature_population(
        self, family: str, label: str, n: int = POPULATION_N
    ) -> tuple[Sample, np.ndarray]:
        """General population varying along the control -> bpd direction of a family.

        severity z ~ N(0, 1); trait = control + z * (bpd - control) / BPD_CLINICAL_Z + unique,
        with unique SD filling up to the population SD; the clinical profile sits at
        z = BPD_CLINICAL_Z. Returns the sample and a BPD-features score (z measured with
        reliability 0.85)."""
        rng = self.rng("bpd_features", family, label)
        ctrl, bpd = self.profile(family, "control").means(), self.profile(family, "bpd").means()
        z = rng.standard_normal(n)
        loading = (bpd - ctrl) / BPD_CLINICAL_Z
        unique = np.sqrt(np.maximum(POPULATION_SD**2 - loading**2, 0.05**2))
        values = ctrl[:, None] + loading[:, None] * z + unique[:, None] * rng.standard_normal((len(ctrl), n))
        values = np.clip(values, TRAIT_MIN, TRAIT_MAX)
        score = z + np.sqrt((1 - FACET_RELIABILITY) / FACET_RELIABILITY) * rng.standard_normal(n)
        return Sample({t: values[i] for i, t in enumerate(TRAIT_NAMES)}, "population"), score

    # -- relationship cohorts ------------------------------------------------------------

    def cohort(self, family: str, variant: str = "", overrides: dict | None = None) -> Cohort:
        """Every role paired with a control partner, COHORT_DYADS dyads each, COHORT_DAYS days."""
        key = ("cohort", family, variant)
        if key not in self._cache:
            import empathica

            r = ROLES[family]
            ctrl = r["control"]
            roles = [
                x
                for x in ("bpd", "npd", "npd_vulnerable")
                if self.cohort_roles is None or x in self.cohort_roles
            ]
            # the pairings keep their order: a dyad's streams do not depend on the roles left out
            pairs = [(ctrl, ctrl)] + [(r[x], ctrl) for x in roles if r[x]]
            days = COHORT_DAYS if not variant else 365
            seed = _key(self.seed, "cohort", family, variant)
            if self.traits:  # the replaced traits first, then the variant's own overrides
                merged = {p: dict(t) for p, t in self.traits.items()}
                for p, t in (overrides or {}).items():
                    merged.setdefault(p, {}).update(t)
                overrides = {p: t for p, t in merged.items() if any(p in pair for pair in pairs)} or None
            res = empathica.simulate(
                pairs,
                dyads=COHORT_DYADS,
                days=days,
                seed=seed,
                spread=self.spread,
                overrides=overrides,
                model=self.params,
            )
            spec = (pairs, seed, overrides, self.spread)
            self._cache[key] = Cohort(family, res.episodes, res.trajectories, days, spec)
        return self._cache[key]


@dataclass
class Cohort:
    """Simulated relationships of one family: episode log and daily trajectories."""

    family: str
    episodes: pd.DataFrame
    trajectories: pd.DataFrame
    days: int
    spec: tuple = ()  # (pairs, seed, overrides, spread) of the simulation
    _dyads: pd.DataFrame | None = None

    def traits(self):
        """The simulated agents' traits (``Traits``, arrays of shape (2, n_dyads)), redrawn
        exactly as the simulator drew them (same streams)."""
        from empathica.simulation import agent_traits

        pairs, seed, overrides, spread = self.spec
        return agent_traits(pairs, COHORT_DYADS, seed, spread=spread, overrides=overrides)

    def pair(self, role_a: str, role_b: str = "control") -> str:
        r = ROLES[self.family]
        return f"{r[role_a]}:{r[role_b]}"

    def dyads(self) -> pd.DataFrame:
        """One row per dyad: pairing, breakups, reconciliations, dissolution, spells, affect."""
        if self._dyads is None:
            tr = self.trajectories
            n_days = self.days
            ids = tr["dyad"].to_numpy().reshape(-1, n_days)[:, 0]
            tog = tr["together"].to_numpy().reshape(-1, n_days)
            breakups = tr["breakups"].to_numpy().reshape(-1, n_days).sum(axis=1)
            recon = tr["reconciliations"].to_numpy().reshape(-1, n_days).sum(axis=1)
            last_together = np.where(tog.any(axis=1), n_days - 1 - np.argmax(tog[:, ::-1], axis=1), -1)
            spells = breakups + tog[:, -1]  # together spells ended by a breakup, plus the open one
            pa = tr["profile_a"].iloc[::n_days].astype(str).to_numpy()  # first day of each dyad
            pb = tr["profile_b"].iloc[::n_days].astype(str).to_numpy()
            self._dyads = pd.DataFrame(
                {
                    "dyad": ids,
                    "pair": [f"{a}:{b}" for a, b in zip(pa, pb, strict=True)],
                    "breakups": breakups,
                    "reconciliations": recon,
                    "dissolved": (n_days - 1 - last_together) >= 90,
                    "together_days": tog.sum(axis=1),
                    "mean_spell": tog.sum(axis=1) / np.maximum(spells, 1),
                    **{
                        f"{col}_{side}": tr[f"{col}_{side}"].to_numpy().reshape(-1, n_days).mean(axis=1)
                        for col in ("trust", "satisfaction", "liking")
                        for side in "ab"
                    },
                }
            )
            # the couple's satisfaction: the mean of the two partners' own
            self._dyads["satisfaction"] = 0.5 * (
                self._dyads["satisfaction_a"] + self._dyads["satisfaction_b"]
            )
        return self._dyads

    def series(self, column: str) -> np.ndarray:
        """(n_dyads, days) array of a trajectory column."""
        return self.trajectories[column].to_numpy().reshape(-1, self.days)

    def pair_mask(self, role_a: str, role_b: str = "control") -> np.ndarray:
        return (self.dyads()["pair"] == self.pair(role_a, role_b)).to_numpy()

    def actor_episodes(self, role: str, partner: str = "control") -> pd.DataFrame:
        """Episodes in which a ``role`` agent of a role:partner dyad was the responder."""
        e = self.episodes
        r = ROLES[self.family]
        actor, target = r[role], r[partner]
        return e[(e["true_actor_profile"] == actor) & (e["true_target_profile"] == target)]
