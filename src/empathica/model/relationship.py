"""Relationship: dyadic affect, trust, satisfaction, breakup and reconciliation (A10, A13, L11).

Daily affect follows Gottman et al. (2002, L11), for partners W and H:

    W(t+1) = r_W * W(t) + (1 - r_W) * s_W + I(H(t))          (together)
    r      = inertia_base + inertia_dysreg * (1 - emotion_regulation)
    s      = set_point_base - set_point_anxiety * anxiety - set_point_avoidance * avoidance
    I(x)   = -neg_influence                   if x < T_neg,  T_neg = neg_base + neg_anxiety * anxiety
           + pos_influence * (1 - avoidance)  if x > pos_threshold

so s is the uninfluenced set point a/(1-r) of L11, and the influence functions are
piecewise constant beyond their thresholds, the two-threshold shape of Gottman et
al. (2002; Cook et al. 1995): a partner below the threshold pulls by the same
amount however negative they are. Each pair of regions has one steady state
W* = s_W + I_W(H*) / (1 - r_W); it exists when H* lies in the region assumed, and
it is stable (the map is a contraction, 0 < r < 1, inside a region). So negative
attractors arise from thresholds (a partner who reacts to mild negativity) as
well as from set points, and affect stays inside (-1, 1) for ordinary traits
(``empathica.lab.phase_plane`` computes steady states and basins).

Within a day, episodes move the target: a met need validates (A10), an unmet one
hurts; the target reads the partner's care with noise and, when anxious and aroused,
with a rejection bias; ambiguous care is also read toward what the target's
self-esteem expects (``sociometer``);
perceived rejection turns into protest with probability
``anxiety * (protest_base + arousal)`` (A13). Trust, satisfaction and
liking are each partner's own (directed): the target's trust in the responder
learns from the care it felt, from broken promises and ignored boundaries; each
partner's satisfaction follows their slow relationship quality (``adaptation``),
both partners' affect and their own trust; each invests in the other's needs by
their own commitment (trust and satisfaction: ``commitment``). First impressions and
their revision are in ``impressions``, repair after a rupture in ``repair``.
Breakups come from the less satisfied partner's chronic dissatisfaction or,
impulsively, from protest; fear of abandonment drives reconciliation, avoidance
blocks it (A13, L8).
Avoidant partners meet less often (the episode rate falls with avoidance).

``p`` is the compiled ``relationship`` constants.
"""

from __future__ import annotations

import math

from empathica.model import sociometer
from empathica.model.jit import clip, mechanism


@mechanism
def episode_rate(avoidance_a: float, avoidance_b: float, base_rate: float, p) -> float:
    """Mean episodes per day together: avoidant partners keep distance (A13)."""
    return base_rate * (1.0 - p.distancing * 0.5 * (avoidance_a + avoidance_b))


@mechanism
def inertia(emotion_regulation: float, p) -> float:
    return p.inertia_base + p.inertia_dysreg * (1.0 - emotion_regulation)


@mechanism
def affect_set_point(attachment_anxiety: float, attachment_avoidance: float, p) -> float:
    return (
        p.set_point_base
        - p.set_point_anxiety * attachment_anxiety
        - p.set_point_avoidance * attachment_avoidance
    )


@mechanism
def negative_threshold(attachment_anxiety: float, p) -> float:
    """Partner affect below which it pulls: anxious partners react to milder negativity."""
    return p.neg_threshold_base + p.neg_threshold_anxiety * attachment_anxiety


@mechanism
def influence(partner_affect: float, attachment_anxiety: float, attachment_avoidance: float, p) -> float:
    """Gottman influence function: constant beyond a negative and a positive threshold."""
    neg_threshold = negative_threshold(attachment_anxiety, p)
    neg = -p.neg_influence if partner_affect < neg_threshold else 0.0
    pos = p.pos_influence * (1.0 - attachment_avoidance) if partner_affect > p.pos_threshold else 0.0
    return neg + pos


@mechanism
def daily_affect(
    affect: float,
    partner_affect: float,
    together: bool,
    emotion_regulation: float,
    attachment_anxiety: float,
    attachment_avoidance: float,
    p,
) -> float:
    """One day of the Gottman affect dynamics (the partner's influence only while together)."""
    r = inertia(emotion_regulation, p)
    s = affect_set_point(attachment_anxiety, attachment_avoidance, p)
    pull = influence(partner_affect, attachment_anxiety, attachment_avoidance, p) if together else 0.0
    return clip(r * affect + (1.0 - r) * s + pull, -1.0, 1.0)


@mechanism
def perceived_care(
    responded: bool,
    warmth: float,
    accuracy: float,
    intensity: float,
    rejection_excess: float,
    attachment_anxiety: float,
    self_esteem: float,
    z: float,
    p,
    q,
) -> float:
    """How cared for the target feels (0-1), read with noise (z), anxious bias and the
    expectation of the target's sociometer (``q``: compiled ``sociometer`` constants).

    A response shows ``(warmth + accuracy) / 2``; no response to a need of
    intensity i shows ``0.5 * (1 - i)``: a small need left alone is no rejection.
    """
    shown = 0.5 * (warmth + accuracy) if responded else 0.5 * (1.0 - intensity)
    expectation = sociometer.rejection_reading(sociometer.care_ambiguity(shown), self_esteem, q)
    return clip(shown - attachment_anxiety * rejection_excess - expectation + p.care_noise * z, 0.0, 1.0)


@mechanism
def validated_affect(affect: float, responded: bool, care: float, intensity: float, p) -> float:
    """The target's affect after the response: a met need validates, an unmet one hurts (A10)."""
    if responded:
        return affect + p.validation_gain * care
    return affect - p.unmet_cost * intensity


@mechanism
def protest_probability(attachment_anxiety: float, arousal: float, p) -> float:
    """Probability that perceived rejection turns into protest (A13)."""
    return clip(attachment_anxiety * (p.protest_base + arousal), 0.0, 1.0)


@mechanism
def impulsive_breakup(impulsivity: float, attachment_anxiety: float, p) -> float:
    """Daily breakup hazard a protest adds (A13, L8)."""
    return p.breakup_impulsive * impulsivity * attachment_anxiety


@mechanism
def protest_arousal(arousal: float, p) -> float:
    """A protest raises the arousal of both partners."""
    return arousal + p.protest_arousal * (1.0 - arousal)


@mechanism
def update_trust(trust: float, care: float, broken_promise: bool, boundary_violated: bool, p) -> float:
    """Trust learns from felt care; broken promises and ignored boundaries cost extra."""
    t = trust + p.trust_rate * (care - trust)
    if broken_promise:
        t = t - p.broken_promise
    if boundary_violated:
        t = t - p.boundary_violation
    return clip(t, 0.0, 1.0)


@mechanism
def daily_satisfaction(
    satisfaction: float, quality: float, own_affect: float, partner_affect: float, trust: float, p
) -> float:
    """One partner's satisfaction moves toward their slow relationship quality
    (``adaptation``), both partners' affect and their own trust in the other."""
    target = (
        quality
        + p.own_affect_weight * own_affect
        + (1.0 - p.own_affect_weight) * partner_affect
        + (trust - p.trust_reference)
    )
    return clip(satisfaction + p.satisfaction_rate * (target - satisfaction), -1.0, 1.0)


@mechanism
def commitment(trust: float, satisfaction: float, p) -> float:
    """How much one invests in the partner's needs (0-1): one's own trust and, as in the
    investment model (Rusbult 1980; Le & Agnew 2003), one's own satisfaction."""
    return clip(trust + p.investment * satisfaction, 0.0, 1.0)


@mechanism
def breakup_probability(satisfaction: float, impulsive: float, p) -> float:
    """Daily breakup probability: chronic dissatisfaction or an impulsive protest breakup."""
    chronic = p.breakup_base + p.breakup_dissatisfied / (
        1.0 + math.exp(-(p.breakup_threshold - satisfaction) / 0.05)
    )
    return 1.0 - (1.0 - chronic) * (1.0 - impulsive)


@mechanism
def breakup_bound(impulsive: float, p) -> float:
    """An upper bound of ``breakup_probability`` (the logistic is at most 1): a uniform draw
    above it decides without computing the exponential."""
    return abs(p.breakup_base) + abs(p.breakup_dissatisfied) + 1e-9 + impulsive


@mechanism
def reconciliation_probability(
    anxiety_a: float,
    anxiety_b: float,
    avoidance_a: float,
    avoidance_b: float,
    trust: float,
    days_apart: int,
    p,
) -> float:
    """Daily probability that an apart dyad reunites: fear of abandonment pulls back."""
    pull = max(anxiety_a, anxiety_b) ** 1.5
    block = 1.0 - p.reconcile_avoidance * max(avoidance_a, avoidance_b)
    fade = math.exp(-days_apart / p.reconcile_decay_days)
    return p.reconcile_rate * pull * block * fade * (0.3 + 0.7 * trust)


@mechanism
def longing(arousal: float, attachment_anxiety: float, p) -> float:
    """Apart, anxious partners' arousal rises day by day (A13)."""
    return arousal + p.longing * attachment_anxiety * (1.0 - arousal)
