"""Impressions: what a partner shows at acquaintance and how the other revises it (A9, A14).

At acquaintance each partner shows warmth and the other reads it with noise:

    shown      = warmth_base + warmth_concern * (concern - 0.5)
                 + charm * max(0, admiration_need - 0.5) - reserve * (avoidance - 0.5)
    impression = clip(shown + first_noise * z, 0, 1)                  (the other's first reading)
    trust0     = clip(initial_trust + trust_impression * (impression - 0.5)
                      - trust_anxiety * anxiety - trust_avoidance * avoidance, 0, 1)   (the reader's)
    quality0   = satisfaction_impression * (impression - 0.5)          (``adaptation``)
    sat0       = clip(initial_satisfaction + quality0, -1, 1)

Then, after every episode in which the reader had a need, the impression moves toward
the care the reader felt, faster when it was worse than expected:

    impression' = impression + rate * (care - impression),  rate = rate_down if care < impression else rate_up

Sources. Self-presentation at first meeting can be strategic: narcissistic people are
liked at first sight for their charm and confident display (Back, Schmukle & Egloff
2010, zero acquaintance), and that liking falls over weeks of contact (Paulhus 1998,
seven weekly meetings; Leckelt et al. 2015). Here the charm is the admiration need's
self-presentation, and its fading is not written anywhere: it follows from unwatched
care that falls short of the first show. Concern itself is hard to see at first
sight (agreeableness is the trait least accurately judged at zero acquaintance;
Borkenau & Liebler 1992), so ``warmth_concern`` is smaller than ``charm``.
Negative surprises weigh more than positive ones (Baumeister, Bratslavsky,
Finkenauer & Vohs 2001; Skowronski & Carlston 1989), and trust is easier to lose
than to build (Slovic 1993), hence ``rate_down > rate_up``.
Insecurely attached people start with less trust in a new partner (Mikulincer 1998).
The rates are set by hand (a few weeks to revise a first impression), not fitted.

``p`` is the compiled ``impressions`` constants; ``r`` the ``relationship`` ones.
"""

from __future__ import annotations

from empathica.model.jit import clip, mechanism


@mechanism
def shown_warmth(empathic_concern: float, admiration_need: float, attachment_avoidance: float, p) -> float:
    """Warmth a person shows a new acquaintance: concern, strategic charm, avoidant reserve."""
    return (
        p.warmth_base
        + p.warmth_concern * (empathic_concern - 0.5)
        + p.charm * max(0.0, admiration_need - 0.5)
        - p.reserve * (attachment_avoidance - 0.5)
    )


@mechanism
def first_impression(shown: float, z: float, p) -> float:
    """The other's first reading of the warmth shown (0-1); ``z`` is a standard normal."""
    return clip(shown + p.first_noise * z, 0.0, 1.0)


@mechanism
def initial_trust(impression: float, attachment_anxiety: float, attachment_avoidance: float, p, r) -> float:
    """The reader's trust in a new partner: the impression and the reader's own attachment."""
    return clip(
        r.initial_trust
        + p.trust_impression * (impression - 0.5)
        - p.trust_anxiety * attachment_anxiety
        - p.trust_avoidance * attachment_avoidance,
        0.0,
        1.0,
    )


@mechanism
def initial_quality(impression: float, p) -> float:
    """The reader's relationship quality at the start (``adaptation``): the first liking."""
    return p.satisfaction_impression * (impression - 0.5)


@mechanism
def initial_satisfaction(quality: float, r) -> float:
    """The reader's satisfaction when the relationship starts."""
    return clip(r.initial_satisfaction + quality, -1.0, 1.0)


@mechanism
def revise(impression: float, care: float, p) -> float:
    """The impression after an episode in which the reader felt ``care`` (0-1)."""
    rate = p.rate_down if care < impression else p.rate_up
    return impression + rate * (care - impression)
