"""Rows whose mechanism is not in the model yet: L3.rf.

Registered as pending with the reason; nothing here is measured for a verdict. L3.rf
(reflective functioning) shows the closest quantity the model has, the accuracy of
reading one's partner.
"""

from __future__ import annotations

from empathica.lab.cohorts import Lab
from empathica.lab.stats import Estimate, hedges_g
from empathica.validation.experiments.common import BORA
from empathica.validation.registry import pending


def _rf_closest(lab: Lab, family: str) -> Estimate:
    c = lab.cohort(family)
    acc = {}
    for role in ("bpd", "control"):
        e = c.actor_episodes(role)
        e = e.assign(err=(e["true_perceived_feeling"] - e["true_target_feeling"]).abs())
        acc[role] = -e.groupby("actor")["err"].mean().to_numpy()
    return hedges_g(acc["bpd"], acc["control"])


pending(
    "L3.rf",
    "BPD: reflective functioning deficit d about 1.68",
    BORA,
    "reflective functioning is mentalizing about self and others in attachment narratives; the model "
    "has no self-mentalizing and no attachment-specific collapse of mentalizing: its one mechanism "
    "(arousal breakdown) acts alike in the lab and in relationships, so lab deficits of d about 0.4 "
    "come with a deficit of about 0.5 in reading one's partner (closest measure in this row)",
    "accuracy of reading the partner in the simulated relationship, g bpd vs control",
    "g about -1.68",
    info=_rf_closest,
)
