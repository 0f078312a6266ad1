"""Motivation: genuine, strategic and defensive motives compete (A4, A5, A8, A11, A14).

    concern_eff = concern + prompt * prompt_gain * s(need) * max(0, prompt_reference - concern)
    genuine     = (distress.remaining_concern(concern_eff) + attachment_gain * anxiety * arousal)
                  * |perceived| * (bond_base + (1 - bond_base) * commitment)
                  * (1 - avoidance_damping * avoidance)
    strategic   = admiration_need^2 * (audience_weight * audience + benefit_weight * benefit)
    defensive   = self_image.defensiveness (fragility^2 x threat)
    approach    = max(genuine, strategic) + noise * (1 + impulsive_noise * impulsivity * arousal) * z

The responder withdraws (motive ``defensive``) when ``defense_weight * defensive``
beats ``approach``; otherwise acts when ``approach`` beats the threshold, with the
stronger of the genuine and strategic motives; otherwise does not respond
(motive ``none``).

* A perspective-taking prompt lifts concern toward a typical person's level
  (``prompt_reference``; s = 1 for social needs, ``prompt_physical_factor`` for
  physical pain): people whose concern is already there gain nothing, those who
  can but usually do not care gain most, which removes the link between
  narcissism and state empathy (A8, L5: no effect in low narcissists). The deficit
  it addresses is motivational, not a lack of ability. ``prompt`` is the strength
  of the instruction still in mind (1 right after it; ``states`` lets it fade).
* Over-arousal turns concern into personal distress (``distress``): a flooded
  responder cares less for the other, whatever their concern at rest.
* Audience and benefit reach behaviour only through admiration need (A4): with
  ``admiration_need = 0`` they change nothing. The reward value of supply is convex
  (squared): a little wish for praise barely moves anyone, a strong need does.
* BPD care is reactive: attachment need under arousal adds to care (A11) and
  impulsivity under arousal makes it unpredictable.

``p`` is the compiled ``motivation`` constants.
"""

from __future__ import annotations

from empathica.model import distress
from empathica.model.jit import mechanism

NONE, GENUINE, STRATEGIC, DEFENSIVE = 0, 1, 2, 3  # codes of schema.MOTIVES


@mechanism
def effective_concern(empathic_concern: float, prompt: float, physical: bool, p) -> float:
    """Empathic concern after a perspective-taking prompt of strength ``prompt`` (0: none)."""
    scope = p.prompt_physical_factor if physical else 1.0
    lift = p.prompt_gain * scope * max(0.0, p.prompt_reference - empathic_concern)
    return empathic_concern + prompt * lift


@mechanism
def genuine_drive(
    concern_eff: float,
    attachment_anxiety: float,
    attachment_avoidance: float,
    arousal: float,
    emotion_regulation: float,
    need: float,
    commitment: float,
    p,
    q,
) -> float:
    """Care for the other's need (its perceived strength ``need``), weighted by the bond:
    the responder's commitment to the other (``relationship.commitment``; 0.5 for a
    stranger in the lab). ``q`` is the compiled ``distress`` constants."""
    bond = p.bond_base + (1.0 - p.bond_base) * commitment
    concern = distress.remaining_concern(concern_eff, arousal, emotion_regulation, q)
    care = concern + p.attachment_gain * attachment_anxiety * arousal
    return care * need * bond * (1.0 - p.avoidance_damping * attachment_avoidance)


@mechanism
def strategic_drive(admiration_need: float, audience: bool, benefit: bool, p) -> float:
    """What responding pays in admiration or gain."""
    paid = p.audience_weight * (1.0 if audience else 0.0) + p.benefit_weight * (1.0 if benefit else 0.0)
    return admiration_need * admiration_need * paid


@mechanism
def choose_motive(
    genuine: float,
    strategic: float,
    defensive: float,
    impulsivity: float,
    arousal: float,
    z: float,
    p,
) -> int:
    """Motive code of an episode (NONE, GENUINE, STRATEGIC or DEFENSIVE); z is a standard normal."""
    noise = p.noise * (1.0 + p.impulsive_noise * impulsivity * arousal) * z
    approach = max(genuine, strategic) + noise
    if p.defense_weight * defensive > approach and defensive > 0:
        return DEFENSIVE
    if approach > p.threshold:
        return GENUINE if genuine >= strategic else STRATEGIC
    return NONE
