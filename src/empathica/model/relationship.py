"""Relationship: dyadic affect, trust, satisfaction, breakup and reconciliation (A10, A13, L11).

Daily affect follows Gottman et al. (2002, L11), for partners W and H:

    W(t+1) = r_W * W(t) + (1 - r_W) * s_W + I(H(t))          (together)
    r      = inertia_base + inertia_dysreg * (1 - emotion_regulation)
    s      = set_point_base - set_point_anxiety * anxiety - set_point_avoidance * avoidance
    I(x)   = neg_slope * x                 if x < T_neg,  T_neg = neg_base + neg_anxiety * anxiety
           = pos_slope * (1 - avoidance) * x  if x > pos_threshold,   else 0

so s is the uninfluenced set point a/(1-r) of L11. Within a day, episodes move the
target: a met need validates (A10), an unmet one hurts; the target reads the
partner's care with noise and, when anxious and aroused, with a rejection bias;
perceived rejection turns into protest with probability
``anxiety * (protest_base + arousal)`` (A13). Trust learns from care, broken
promises and ignored boundaries; satisfaction follows both partners' affect and
trust. Breakups come from chronic dissatisfaction or, impulsively, from protest;
fear of abandonment drives reconciliation, avoidance blocks it (A13, L8).
"""

from __future__ import annotations

import numpy as np

from empathica.model.params import RelationshipParams


def inertia(emotion_regulation: np.ndarray, p: RelationshipParams) -> np.ndarray:
    return p.inertia_base + p.inertia_dysreg * (1.0 - emotion_regulation)


def affect_set_point(
    attachment_anxiety: np.ndarray, attachment_avoidance: np.ndarray, p: RelationshipParams
) -> np.ndarray:
    return (
        p.set_point_base
        - p.set_point_anxiety * attachment_anxiety
        - p.set_point_avoidance * attachment_avoidance
    )


def influence(
    partner_affect: np.ndarray,
    attachment_anxiety: np.ndarray,
    attachment_avoidance: np.ndarray,
    p: RelationshipParams,
) -> np.ndarray:
    """Gottman influence function with a negative and a positive threshold."""
    t_neg = p.neg_threshold_base + p.neg_threshold_anxiety * attachment_anxiety
    neg = np.where(partner_affect < t_neg, p.neg_slope * partner_affect, 0.0)
    pos_slope = p.pos_slope * (1.0 - attachment_avoidance)
    pos = np.where(partner_affect > p.pos_threshold, pos_slope * partner_affect, 0.0)
    return neg + pos


def daily_affect(
    affect: np.ndarray,
    partner_affect: np.ndarray,
    together: np.ndarray,
    emotion_regulation: np.ndarray,
    attachment_anxiety: np.ndarray,
    attachment_avoidance: np.ndarray,
    p: RelationshipParams,
) -> np.ndarray:
    r = inertia(emotion_regulation, p)
    s = affect_set_point(attachment_anxiety, attachment_avoidance, p)
    pull = together * influence(partner_affect, attachment_anxiety, attachment_avoidance, p)
    return np.clip(r * affect + (1.0 - r) * s + pull, -1.0, 1.0)


def perceived_care(
    responded: np.ndarray,
    warmth: np.ndarray,
    accuracy: np.ndarray,
    intensity: np.ndarray,
    rejection_excess: np.ndarray,
    attachment_anxiety: np.ndarray,
    z: np.ndarray,
    p: RelationshipParams,
) -> np.ndarray:
    """How cared for the target feels (0-1), read with noise and anxious bias.

    A response shows ``(warmth + accuracy) / 2``; no response to a need of
    intensity i shows ``0.5 * (1 - i)``: a small need left alone is no rejection.
    """
    shown = np.where(
        responded, 0.5 * (np.nan_to_num(warmth) + np.nan_to_num(accuracy)), 0.5 * (1.0 - intensity)
    )
    biased = shown - attachment_anxiety * rejection_excess + p.care_noise * z
    return np.clip(biased, 0.0, 1.0)


def protest_probability(
    rejected: np.ndarray,
    attachment_anxiety: np.ndarray,
    arousal: np.ndarray,
    p: RelationshipParams,
) -> np.ndarray:
    return rejected * np.clip(attachment_anxiety * (p.protest_base + arousal), 0.0, 1.0)


def update_trust(
    trust: np.ndarray,
    care: np.ndarray,
    followed_through: np.ndarray,
    boundary_respected: np.ndarray,
    p: RelationshipParams,
) -> np.ndarray:
    """Trust learns from felt care; broken promises and ignored boundaries cost extra."""
    broken = followed_through == 0.0  # NaN (nothing promised) compares False
    violated = boundary_respected == 0.0
    t = trust + p.trust_rate * (care - trust)
    t = t - p.broken_promise * broken - p.boundary_violation * violated
    return np.clip(t, 0.0, 1.0)


def daily_satisfaction(
    satisfaction: np.ndarray,
    affect_a: np.ndarray,
    affect_b: np.ndarray,
    trust: np.ndarray,
    p: RelationshipParams,
) -> np.ndarray:
    target = 0.5 * (affect_a + affect_b) + (trust - p.trust_reference)
    return np.clip(satisfaction + p.satisfaction_rate * (target - satisfaction), -1.0, 1.0)


def breakup_probability(satisfaction: np.ndarray, impulsive: np.ndarray, p: RelationshipParams) -> np.ndarray:
    """Daily breakup probability: chronic dissatisfaction or an impulsive protest breakup."""
    chronic = p.breakup_base + p.breakup_dissatisfied / (
        1.0 + np.exp(-(p.breakup_threshold - satisfaction) / 0.05)
    )
    return 1.0 - (1.0 - chronic) * (1.0 - impulsive)


def reconciliation_probability(
    anxiety_a: np.ndarray,
    anxiety_b: np.ndarray,
    avoidance_a: np.ndarray,
    avoidance_b: np.ndarray,
    trust: np.ndarray,
    days_apart: np.ndarray,
    p: RelationshipParams,
) -> np.ndarray:
    """Daily probability that an apart dyad reunites: fear of abandonment pulls back."""
    pull = np.maximum(anxiety_a, anxiety_b) ** 1.5
    block = 1.0 - p.reconcile_avoidance * np.maximum(avoidance_a, avoidance_b)
    fade = np.exp(-days_apart / p.reconcile_decay_days)
    return p.reconcile_rate * pull * block * fade * (0.3 + 0.7 * trust)


def episode_rate(
    avoidance_a: np.ndarray, avoidance_b: np.ndarray, base_rate: float, p: RelationshipParams
) -> np.ndarray:
    """Avoidant partners meet each other's needs less often: they keep distance (A13)."""
    return base_rate * (1.0 - p.distancing * 0.5 * (avoidance_a + avoidance_b))
