"""Slow wear: the vulnerability-stress-adaptation account of relationships (A10, A13, L8).

Each partner's relationship quality ``quality`` is the slow part of their satisfaction.
It moves a little every day with the strain of the day, weighted by the partner's
enduring vulnerability, against the day's adaptive processes:

    vulnerability = vulnerability_base + vulnerability_anxiety * anxiety
                    + vulnerability_dysregulation * (1 - emotion_regulation)
    strain        = ruptures suffered today + event_strain * [outside stressful event today]
    adaptive      = adaptation_repair * repairs accepted today + adaptation_care * needs met warmly today
    quality'      = clip(quality + rate * (adaptive - vulnerability * strain), -1, 1)

and satisfaction follows ``quality`` plus both partners' affect and one's own trust
(``relationship.daily_satisfaction``). With ``rate`` about 1/500 per rupture, quality
moves over months to years while affect and trust settle within weeks, so
personality shows in the slope of satisfaction over years, not only in its level.

Sources. Karney & Bradbury (1995) integrate 115 longitudinal studies into this
model: enduring vulnerabilities (neuroticism, insecure attachment, here anxiety and
dysregulation), stressful events and adaptive processes (how conflicts and needs are
handled) jointly predict the course of marital quality; satisfaction on average
declines over the first years, more steeply for vulnerable couples (Karney &
Bradbury 1997; Lavner & Bradbury 2010). Support given when a partner needs it is an
adaptive process (Pasch & Bradbury 1998). A repair accepted after a rupture is the
adaptation the model knows best (``repair``). The rates are set by hand, not fitted.

``p`` is the compiled ``adaptation`` constants.
"""

from __future__ import annotations

from empathica.model.jit import clip, mechanism


@mechanism
def vulnerability(attachment_anxiety: float, emotion_regulation: float, p) -> float:
    """How much a unit of strain wears a partner's relationship quality."""
    return (
        p.vulnerability_base
        + p.vulnerability_anxiety * attachment_anxiety
        + p.vulnerability_dysregulation * (1.0 - emotion_regulation)
    )


@mechanism
def daily_quality(
    quality: float, vulnerability_: float, ruptures: float, event: bool, repairs: float, met: float, p
) -> float:
    """Relationship quality after a day with that strain and those adaptive processes."""
    strain = ruptures + (p.event_strain if event else 0.0)
    adaptive = p.adaptation_repair * repairs + p.adaptation_care * met
    return clip(quality + p.rate * (adaptive - vulnerability_ * strain), -1.0, 1.0)
