"""How loved ones' strategies change the relationship and the strain on both (A19).

    table = loved_ones_study(n=500, seed=0)   # one row per person's pattern x strategy x outcome

People with a pattern (``bpd``, ``npd`` profiles) live for ``weeks`` weeks with a
partner from ``partner`` who follows one strategy (``model.loved_ones``: validate and
keep boundaries, appease, confront, withdraw, consistent support, perspective-taking
prompts, calm and non-judgemental, or none). The same people meet every strategy
(the couples are drawn once per pattern), so strategies are compared within people.
Outcomes at the end, with 95% intervals: the share still together, breakups per couple,
each partner's satisfaction, exhaustion and confusion, and ``strain_both`` (the mean of
both partners' exhaustion and confusion).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from empathica.lab.stats import Z95
from empathica.lab.study import Population, pair_traits
from empathica.model import course, loved_ones
from empathica.model.params import ModelParams
from empathica.model.profiles import DEFAULT_SPREAD

#: The outcomes of a loved-ones comparison, and whether higher is better.
OUTCOMES = {
    "together": True,
    "breakups": False,
    "satisfaction_person": True,
    "satisfaction_partner": True,
    "exhaustion_person": False,
    "exhaustion_partner": False,
    "confusion_person": False,
    "confusion_partner": False,
    "strain_both": False,
}
#: The strategies the article advises (A19), by the person's pattern.
ADVISED = {
    "bpd": ("validate_boundaries", "consistent_support", "calm_nonjudgemental"),
    "npd": ("perspective_prompts", "calm_nonjudgemental", "validate_boundaries"),
}
#: The alternatives the article advises against or does not advise.
ALTERNATIVES = ("appease", "confront", "withdraw")


def couples(person: str, partner: str, n: int, seed: int, spread: float = DEFAULT_SPREAD) -> np.ndarray:
    """Traits (n_traits, 2, n): people of profile ``person`` (side a) with partners (side b)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x10FED, sum(map(ord, person))]))
    a, b = Population.profile(person, spread).draw(n, rng), Population.profile(partner, spread).draw(n, rng)
    return pair_traits(a, b)


def outcomes(c: course.Course, weeks: int) -> dict[str, np.ndarray]:
    """Per couple: the outcomes of ``OUTCOMES`` at the end of a course."""
    w = c.weekly
    end = w[w["week"] == weeks].sort_values("dyad")
    out = {
        "together": end["together"].to_numpy(float),
        "breakups": w.groupby("dyad")["breakups"].sum().sort_index().to_numpy(float),
        "satisfaction_person": end["satisfaction_a"].to_numpy(),
        "satisfaction_partner": end["satisfaction_b"].to_numpy(),
        "exhaustion_person": end["exhaustion_a"].to_numpy(),
        "exhaustion_partner": end["exhaustion_b"].to_numpy(),
        "confusion_person": end["confusion_a"].to_numpy(),
        "confusion_partner": end["confusion_b"].to_numpy(),
    }
    parts = ("exhaustion_person", "exhaustion_partner", "confusion_person", "confusion_partner")
    out["strain_both"] = sum(out[k] for k in parts) / len(parts)
    return out


def loved_ones_study(
    n: int = 500,
    seed: int = 0,
    weeks: int = 52,
    people: dict[str, str] | None = None,
    partner: str = "population",
    strategies: tuple[str, ...] | None = None,
    model: ModelParams | None = None,
    spread: float = DEFAULT_SPREAD,
) -> pd.DataFrame:
    """Each strategy of the partner, for each pattern (``people``: pattern -> profile, by
    default the article's bpd and npd): tidy rows (person, profile, strategy, outcome, mean,
    ci_low, ci_high, n, advised)."""
    strategies = strategies or tuple(loved_ones.strategies())
    people = people or {"bpd": "bpd", "npd": "npd"}
    rows = []
    for person, profile in people.items():
        tr = couples(profile, partner, n, seed, spread)
        for name in strategies:
            policy = loved_ones.policies(None, name, n)
            c = course.live(tr, weeks, seed=seed, policy=policy, model=model)
            for outcome, x in outcomes(c, weeks).items():
                se = x.std(ddof=1) / np.sqrt(len(x))
                rows.append(
                    {"person": person, "profile": profile, "strategy": name, "outcome": outcome,
                     "mean": x.mean(), "ci_low": x.mean() - Z95 * se, "ci_high": x.mean() + Z95 * se,
                     "n": len(x), "advised": name in ADVISED.get(person, ())}
                )  # fmt: skip
    return pd.DataFrame(rows)


def comparison_table(study: pd.DataFrame) -> pd.DataFrame:
    """The study as a wide table: one row per person's pattern and strategy, one column per outcome."""
    wide = study.pivot_table(index=["person", "strategy"], columns="outcome", values="mean", sort=False)
    return wide[[o for o in OUTCOMES if o in wide.columns]].reset_index()
