"""Rows whose mechanism is not in the model yet: A2.mindfulness, A15-A19, L3.rf.

Registered as pending with the reason; nothing here is measured for a verdict. A2
(mindfulness), A15 (therapy), A16 (childhood), A17 (culture), A18 (biology) and A19
(loved ones' strategies) need long-horizon mechanisms; L3.rf (reflective functioning)
shows the closest quantity the model has, the accuracy of reading one's partner.
"""

from __future__ import annotations

from empathica.lab.cohorts import Lab
from empathica.lab.stats import Estimate, hedges_g
from empathica.validation.experiments.common import BORA, BPD_SECTION
from empathica.validation.registry import pending

pending(
    "A2.mindfulness",
    "BPD: mindfulness practice raises awareness; neuroplasticity allows gradual change",
    BPD_SECTION,
    "needs slow trait change under practice (long-horizon mechanisms): regulation and mentalizing "
    "are fixed traits in the current model",
    "accuracy of a bpd group over months of practice",
    "rises slowly",
)


_LONG = "a long-horizon mechanism, not in the model yet"
pending(
    "A15",
    "Therapy improves empathy slowly; in NPD cognitive before affective",
    "article: Therapeutic Strategies; FAQ",
    "needs slow, therapy-driven change of traits over months (cognitive faster than affective): " + _LONG,
)
pending(
    "A16",
    "Childhood: neglect, abuse, unstable care -> BPD-like sensitivity; overvaluation -> grandiosity",
    "article: FAQ",
    "needs developmental histories that shape the traits: " + _LONG,
)
pending(
    "A17",
    "Culture: collectivist norms buffer deficits; individualist norms reinforce narcissistic traits",
    "article: FAQ",
    "needs cultural norms acting on context rates and trait development: " + _LONG,
)
pending(
    "A18",
    "Biology: oxytocin in BPD, dopamine in NPD",
    "article: FAQ",
    "needs neurobiological modulators of the mechanisms: " + _LONG,
)
pending(
    "A19",
    "Loved ones' strategies (validation, boundaries, calm, no confrontation) reduce strain on both",
    "article: FAQ",
    "needs partner strategies as a policy of one partner (who voices criticism, consistent support); "
    "context rates apply to both partners alike today: " + _LONG,
)


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
