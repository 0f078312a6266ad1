"""Therapy over months as a virtual study: trajectories of the patients' empathy (A2, A15).

    table = therapy_study(n=500, seed=0)   # one row per pattern x arm x week x outcome

Two virtual trials run through ``lab.trial`` with measurements every ``every`` weeks:
people with the borderline pattern get mindfulness practice or usual care (A2:
misreading under arousal should fall), people with the narcissistic pattern get a
collaborative course of psychoeducation, perspective-taking exercises and
interpersonal skills, or usual care (A15: cognitive empathy should improve before
affective). ``onset`` reads off when each outcome reaches half of its largest gain.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from empathica.lab.trial import TrialSpec, run_trial, trial_from_dict
from empathica.model.params import ModelParams
from empathica.model.profiles import DEFAULT_SPREAD

#: The therapies of the study, as trial arms.
THERAPIES = {
    "bpd": {"name": "mindfulness", "collaboration": 0.6, "schedule": [{"component": "mindfulness"}]},
    "npd": {
        "name": "mentalizing_skills",
        "collaboration": 0.7,
        "schedule": [
            {"component": "psychoeducation", "weeks": 4},
            {"component": "perspective_taking"},
            {"component": "interpersonal_skills", "start": 4, "weeks": 22},
        ],
    },
}


def _fitted(arm: dict, weeks: int) -> dict:
    """The arm with every component ending by ``weeks`` (a shorter trial shortens them)."""
    schedule = []
    for item in arm["schedule"]:
        start = item.get("start", 0)
        if start < weeks:
            schedule.append({**item, "weeks": min(item.get("weeks", weeks), weeks - start)})
    return {**arm, "schedule": schedule}


def spec(
    person: str, n: int, seed: int, weeks: int = 26, follow_up: int = 26, every: int = 2, profile: str = ""
) -> TrialSpec:
    """The trial of one pattern (``person``: bpd or npd; ``profile``: its profile, by default
    the article's): usual care vs its therapy, measured every ``every`` weeks."""
    return trial_from_dict(
        {
            "name": f"therapy for the {person} pattern",
            "seed": seed,
            "n_per_arm": n,
            "population": profile or person,
            "partner": "population",
            "weeks": weeks,
            "follow_up_weeks": follow_up,
            "measure_weeks": list(range(every, weeks + follow_up + 1, every)),
            "primary": "misreading_stressed" if person == "bpd" else "met_emotional",
            "arm": [{"name": "usual_care"}, _fitted(THERAPIES[person], weeks)],
        }
    )


def therapy_study(
    n: int = 500,
    seed: int = 0,
    weeks: int = 26,
    follow_up: int = 26,
    every: int = 2,
    people: dict[str, str] | None = None,
    model: ModelParams | None = None,
    spread: float = DEFAULT_SPREAD,
) -> pd.DataFrame:
    """Outcome trajectories of each pattern's trial: tidy rows (person, arm, week, outcome,
    mean, ci_low, ci_high, n) plus ``gain_sd``: the change from baseline in baseline SDs."""
    frames = []
    for person, profile in (people or {"bpd": "bpd", "npd": "npd"}).items():
        r = run_trial(spec(person, n, seed, weeks, follow_up, every, profile), model=model, spread=spread)
        out = r.outcomes.copy()
        base = r.participants[r.participants["week"] == 0]
        sd = {o: base[o].std(ddof=1) for o in out["outcome"].unique()}
        mean0 = out[out["week"] == 0].set_index(["arm", "outcome"])["mean"]
        out["gain_sd"] = [
            (m - mean0[(a, o)]) / sd[o] if sd[o] > 0 else np.nan
            for a, o, m in zip(out["arm"], out["outcome"], out["mean"], strict=True)
        ]
        frames.append(out.assign(person=person))
    df = pd.concat(frames, ignore_index=True)
    return df[["person", "arm", "week", "outcome", "mean", "ci_low", "ci_high", "n", "gain_sd"]]


def onset(study: pd.DataFrame, person: str, arm: str, outcome: str, higher: bool = True) -> float:
    """Week at which an outcome first reaches half of its largest gain over usual care
    (linear interpolation between measurements); NaN if it never gains."""
    rows = study[(study["person"] == person) & (study["outcome"] == outcome)]
    treated = rows[rows["arm"] == arm].set_index("week")["gain_sd"]
    usual = rows[rows["arm"] == "usual_care"].set_index("week")["gain_sd"]
    gain = (treated - usual).sort_index() * (1.0 if higher else -1.0)
    top = gain.max()
    if not np.isfinite(top) or top <= 0:
        return float("nan")
    weeks, values = gain.index.to_numpy(float), gain.to_numpy(float)
    k = int(np.argmax(values >= 0.5 * top))
    if k == 0:
        return float(weeks[0])
    w0, w1, v0, v1 = weeks[k - 1], weeks[k], values[k - 1], values[k]
    return float(w0 + (0.5 * top - v0) / (v1 - v0) * (w1 - w0))
