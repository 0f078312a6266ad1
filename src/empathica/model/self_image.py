"""Self-image: self-esteem moved by feedback around a set point (A5, A6, A12).

    set_point     = base + admiration_gain * (admiration_need - 0.5) - anxiety_gain * (anxiety - 0.5)
    sensitivity   = base + fragility_gain * max(self_image_fragility, attachment_anxiety)
    se'           = clip(se + sensitivity * feedback, 0, 1)                     (per episode)
    se(t+1)       = se + relax * (set_point - se) - supply_drain * admiration_need   (per day)
    supply        : se += supply_gain * admiration_need after a watched response
    defensiveness = threat * fragility^2 * (1 + 2 * max(0, set_point - se))

* Fragile or anxious agents swing widely with feedback (A12, BPD).
* High admiration need inflates the set point but drains it without validation, so
  the agent needs supply (A6) and grows more defensive when starved of it.
* Criticism (threat) raises defensiveness (A5); a defensive withdrawal shields the
  self-image, which is why it stays stable but inflated (A12, NPD).
"""

from __future__ import annotations

import numpy as np

from empathica.model.params import SelfImageParams


def set_point(admiration_need: np.ndarray, attachment_anxiety: np.ndarray, p: SelfImageParams) -> np.ndarray:
    return (
        p.set_point_base
        + p.set_point_admiration * (admiration_need - 0.5)
        - p.set_point_anxiety * (attachment_anxiety - 0.5)
    )


def sensitivity(
    self_image_fragility: np.ndarray, attachment_anxiety: np.ndarray, p: SelfImageParams
) -> np.ndarray:
    return p.sensitivity_base + p.sensitivity_fragility * np.maximum(self_image_fragility, attachment_anxiety)


def take_feedback(self_esteem: np.ndarray, feedback: np.ndarray, sens: np.ndarray) -> np.ndarray:
    """Self-esteem after feedback in [-1, 1] (negative: criticism or rejection)."""
    return np.clip(self_esteem + sens * feedback, 0.0, 1.0)


def take_supply(
    self_esteem: np.ndarray,
    admiration_need: np.ndarray,
    watched_response: np.ndarray,
    p: SelfImageParams,
) -> np.ndarray:
    """Praise after a response someone saw: worth more to those who need admiration."""
    gain = p.supply_gain * admiration_need * watched_response * (1.0 - self_esteem)
    return self_esteem + gain


def daily(
    self_esteem: np.ndarray, point: np.ndarray, admiration_need: np.ndarray, p: SelfImageParams
) -> np.ndarray:
    """Daily drift toward the set point, minus the drain of unmet admiration need."""
    se = self_esteem + p.relax * (point - self_esteem) - p.supply_drain * admiration_need
    return np.clip(se, 0.0, 1.0)


def defensiveness(
    threat: np.ndarray,
    self_image_fragility: np.ndarray,
    self_esteem: np.ndarray,
    point: np.ndarray,
) -> np.ndarray:
    """How strongly a threat to self-image calls for defence (0 without a threat)."""
    deficit = np.maximum(0.0, point - self_esteem)
    return threat * self_image_fragility**2 * (1.0 + 2.0 * deficit)
