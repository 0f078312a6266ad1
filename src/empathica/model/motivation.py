"""Motivation: genuine, strategic and defensive motives compete (A4, A5, A8, A11, A14).

    concern_eff = concern + prompt * prompt_gain * s(need) * max(0, prompt_reference - concern)
    genuine     = (concern_eff + attachment_gain * anxiety * arousal)
                  * need * (bond_base + (1 - bond_base) * trust) * (1 - avoidance_damping * avoidance)
    strategic   = admiration_need^2 * (audience_weight * audience + benefit_weight * benefit)
    defensive   = defense_weight * defensiveness    (self_image.defensiveness: fragility x threat)
    approach    = max(genuine, strategic) + noise * (1 + impulsive_noise * impulsivity * arousal) * z

The responder acts when ``approach`` beats the threshold and the defensive drive;
the motive recorded is the stronger of genuine and strategic. When the defensive
drive wins the responder withdraws (motive ``defensive``); otherwise no response
has motive ``none``.

* A perspective-taking prompt lifts concern toward a typical person's level
  (``prompt_reference``; s = 1 for social needs, ``prompt_physical_factor`` for
  physical pain): people whose concern is already there gain nothing, those who
  can but usually do not care gain most, which removes the link between
  narcissism and state empathy (A8, L5: no effect in low narcissists). The deficit
  it addresses is motivational, not a lack of ability.
* Audience and benefit reach behaviour only through admiration need (A4): with
  ``admiration_need = 0`` they change nothing. The reward value of supply is convex
  (squared): a little wish for praise barely moves anyone, a strong need does.
* BPD care is reactive: attachment need under arousal adds to care (A11) and
  impulsivity under arousal makes it unpredictable.
"""

from __future__ import annotations

import numpy as np

from empathica.model.params import MotivationParams

NONE, GENUINE, STRATEGIC, DEFENSIVE = 0, 1, 2, 3  # codes of schema.MOTIVES


def effective_concern(
    empathic_concern: np.ndarray,
    prompt: np.ndarray,
    physical: np.ndarray,
    p: MotivationParams,
) -> np.ndarray:
    """Empathic concern after an optional perspective-taking prompt."""
    scope = np.where(physical, p.prompt_physical_factor, 1.0)
    lift = p.prompt_gain * scope * np.maximum(0.0, p.prompt_reference - empathic_concern)
    return empathic_concern + prompt * lift


def genuine_drive(
    concern_eff: np.ndarray,
    attachment_anxiety: np.ndarray,
    attachment_avoidance: np.ndarray,
    arousal: np.ndarray,
    need: np.ndarray,
    trust: np.ndarray,
    p: MotivationParams,
) -> np.ndarray:
    """Care for the other's need, weighted by the bond."""
    bond = p.bond_base + (1.0 - p.bond_base) * trust
    care = concern_eff + p.attachment_gain * attachment_anxiety * arousal
    return care * need * bond * (1.0 - p.avoidance_damping * attachment_avoidance)


def strategic_drive(
    admiration_need: np.ndarray, audience: np.ndarray, benefit: np.ndarray, p: MotivationParams
) -> np.ndarray:
    """What responding pays in admiration or gain."""
    return admiration_need**2 * (p.audience_weight * audience + p.benefit_weight * benefit)


def choose_motive(
    genuine: np.ndarray,
    strategic: np.ndarray,
    defensive: np.ndarray,
    impulsivity: np.ndarray,
    arousal: np.ndarray,
    z: np.ndarray,
    p: MotivationParams,
) -> np.ndarray:
    """Motive code per episode (NONE, GENUINE, STRATEGIC or DEFENSIVE)."""
    noise = p.noise * (1.0 + p.impulsive_noise * impulsivity * arousal) * z
    approach = np.maximum(genuine, strategic) + noise
    withdraw = (p.defense_weight * defensive > approach) & (defensive > 0)
    act = (approach > p.threshold) & ~withdraw
    motive = np.where(genuine >= strategic, GENUINE, STRATEGIC)
    return np.where(withdraw, DEFENSIVE, np.where(act, motive, NONE)).astype(np.int8)
