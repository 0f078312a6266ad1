"""Rupture and repair: after a rupture the one who caused it may try to repair, and the
other accepts or rejects it (A9, A11, A13, A19).

A rupture is an episode in which the responder broke a promise, ignored a boundary or
met a protest. The responder then makes a repair attempt (an apology, reassurance,
renewed care) with probability

    p_attempt = clip(attempt_base + attempt_concern * concern + attempt_anxiety * anxiety
                     - attempt_admiration * admiration_need - attempt_defensive * defensiveness
                     - attempt_flooding * arousal_excess, 0, 1)

and the partner accepts it with probability

    p_accept  = clip(accept_base + accept_satisfaction * satisfaction
                     + accept_impression * (impression - 0.5) - accept_flooding * arousal_excess, 0, 1)

(both on each one's own state: ``impression`` is the receiver's liking of the repairer,
``arousal_excess`` each one's arousal beyond what their regulation holds,
``perception.arousal_excess``). An accepted repair gives back trust and satisfaction
and calms the receiver's arousal:

    trust'   = trust + trust_gain * (1 - trust)
    sat'     = min(1, sat + satisfaction_gain)
    arousal' = (1 - calming) * arousal

Sources. Repair attempts and their reception are Gottman's (1999; Gottman & Levenson
1999): whether a repair works depends less on its form than on the receiver's
"positive sentiment override" (here satisfaction and liking), and a flooded partner
neither makes nor hears one. Narcissistic people apologize less, because an apology
threatens the self-image (Leunissen, Sedikides & Wildschut 2017); concern drives
apology (Exline & Baumeister 2000); anxiously attached people seek to restore closeness
(reassurance; Shaver & Mikulincer 2007). In a repeated trust game, people with BPD
rarely "coax" a partner back after a rupture of cooperation, and cooperation breaks
down (King-Casas et al. 2008): here that follows from flooding and defensiveness, not
from a BPD rule. Constants are set by hand, not fitted.

``p`` is the compiled ``repair`` constants.
"""

from __future__ import annotations

from empathica.model.jit import clip, mechanism


@mechanism
def attempt_probability(
    concern: float,
    attachment_anxiety: float,
    admiration_need: float,
    defensiveness: float,
    arousal_excess: float,
    p,
) -> float:
    """Probability that the responder tries to repair a rupture they caused."""
    return clip(
        p.attempt_base
        + p.attempt_concern * concern
        + p.attempt_anxiety * attachment_anxiety
        - p.attempt_admiration * admiration_need
        - p.attempt_defensive * defensiveness
        - p.attempt_flooding * arousal_excess,
        0.0,
        1.0,
    )


@mechanism
def accept_probability(satisfaction: float, impression: float, arousal_excess: float, p) -> float:
    """Probability that the receiver accepts the repair: positive sentiment override."""
    return clip(
        p.accept_base
        + p.accept_satisfaction * satisfaction
        + p.accept_impression * (impression - 0.5)
        - p.accept_flooding * arousal_excess,
        0.0,
        1.0,
    )


@mechanism
def repaired_trust(trust: float, p) -> float:
    return trust + p.trust_gain * (1.0 - trust)


@mechanism
def repaired_satisfaction(satisfaction: float, p) -> float:
    return min(1.0, satisfaction + p.satisfaction_gain)


@mechanism
def calmed(arousal: float, p) -> float:
    return (1.0 - p.calming) * arousal
