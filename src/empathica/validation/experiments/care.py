"""Genuine care versus strategic empathy: A14.

A14 measures, on unwatched episodes of the simulated relationships, how often genuine
and strategic motives follow through on promises and respect boundaries.
"""

from __future__ import annotations

from empathica.lab.cohorts import Lab
from empathica.lab.stats import Estimate, mean_diff
from empathica.validation.experiments.common import RECOGNIZING
from empathica.validation.registry import above, experiment


def _motive_rates(lab: Lab, family: str, column: str) -> Estimate:
    """Unwatched episodes of the whole cohort: rate of ``column`` for genuine minus strategic motives."""
    e = lab.cohort(family).episodes
    e = e[~e["audience"] & e[column].notna()]
    rates = {}
    for motive in ("genuine", "strategic"):
        sub = e[e["true_motive"] == motive]
        rates[motive] = sub.groupby("actor")[column].mean().astype(float).to_numpy()
    return mean_diff(rates["genuine"], rates["strategic"])


@experiment(
    "A14.follow",
    "Genuine care follows through; strategic empathy lacks follow-through",
    RECOGNIZING,
    "relationship cohort, unwatched promises: share kept per responder, genuine minus strategic motive",
    "difference > 0.3",
    above(0.3),
    basis="definitional",
    basis_note=(
        "reads the follow-through constants back: genuine 0.92 less impulsive losses vs strategic "
        "unwatched 0.25"
    ),
)
def a14_follow(lab: Lab, family: str):
    return _motive_rates(lab, family, "followed_through")


@experiment(
    "A14.boundary",
    "Genuine care respects boundaries even when unobserved",
    RECOGNIZING,
    "relationship cohort, unwatched boundary requests: share respected per responder, genuine "
    "minus strategic",
    "difference > 0.05",
    above(0.05),
    basis="fitted",
    basis_note=(
        "boundary_self_interest (A14) and secure's concern (A14) set the gap; anxious protest under "
        "arousal lowers genuine responders' respect too"
    ),
)
def a14_boundary(lab: Lab, family: str):
    return _motive_rates(lab, family, "boundary_respected")
