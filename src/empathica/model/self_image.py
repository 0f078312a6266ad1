"""Self-image: self-esteem moved by feedback around a set point (A5, A6, A12).

    set_point     = base + admiration_gain * (admiration_need - 0.5) - anxiety_gain * (anxiety - 0.5)
    sensitivity   = base + fragility_gain * max(self_image_fragility, attachment_anxiety)
    se'           = clip(se + sensitivity * feedback, 0, 1)                     (per episode)
    supply        : se' = se + supply_gain * admiration_need * (1 - se) after a watched response
    se(t+1)       = clip(se + relax * (set_point - se) - supply_drain * admiration_need, 0, 1)
    defensiveness = [threat] fragility^2 * (1 + 2 * max(0, set_point - se))

* Fragile or anxious agents swing widely with feedback (A12, BPD).
* High admiration need inflates the set point but drains it without validation, so
  the agent needs supply (A6) and grows more defensive when starved of it.
* Criticism (threat) raises defensiveness (A5); a defensive withdrawal shields the
  self-image, which is why it stays stable but inflated (A12, NPD).

``p`` is the compiled ``self_image`` constants.
"""

from __future__ import annotations

from empathica.model.jit import clip, mechanism


@mechanism
def set_point(admiration_need: float, attachment_anxiety: float, p) -> float:
    return (
        p.set_point_base
        + p.set_point_admiration * (admiration_need - 0.5)
        - p.set_point_anxiety * (attachment_anxiety - 0.5)
    )


@mechanism
def sensitivity(self_image_fragility: float, attachment_anxiety: float, p) -> float:
    return p.sensitivity_base + p.sensitivity_fragility * max(self_image_fragility, attachment_anxiety)


@mechanism
def take_feedback(self_esteem: float, feedback: float, sens: float) -> float:
    """Self-esteem after feedback in [-1, 1] (negative: criticism or rejection)."""
    return clip(self_esteem + sens * feedback, 0.0, 1.0)


@mechanism
def take_supply(self_esteem: float, admiration_need: float, p) -> float:
    """Praise after a response someone saw: worth more to those who need admiration."""
    return self_esteem + p.supply_gain * admiration_need * (1.0 - self_esteem)


@mechanism
def daily(self_esteem: float, point: float, admiration_need: float, p) -> float:
    """Daily drift toward the set point, minus the drain of unmet admiration need."""
    return clip(self_esteem + p.relax * (point - self_esteem) - p.supply_drain * admiration_need, 0.0, 1.0)


@mechanism
def defensiveness(threat: bool, self_image_fragility: float, self_esteem: float, point: float) -> float:
    """How strongly a threat to self-image calls for defence (0 without a threat)."""
    deficit = max(0.0, point - self_esteem)
    return (1.0 if threat else 0.0) * (self_image_fragility * self_image_fragility) * (1.0 + 2.0 * deficit)
