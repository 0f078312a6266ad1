"""Induced states with a time course: stress, exclusion, praise, criticism, a perspective prompt.

    onset      stress:               arousal deviation  = strength * (1 - resting arousal)
               exclusion, criticism: self-esteem deviation = self_image.take_feedback(-strength) - set point
               praise:               self-esteem deviation = self_image.take_feedback(+strength) - set point
               prompt:               prompt strength = strength  (motivation.effective_concern)
    half-life  h = half_life_minutes[kind] (in a session) or half_life_hours[kind] (in life),
               times (1 + anxiety_slowing * attachment_anxiety) for exclusion and criticism
    after t    deviation(t) = deviation(0) * 0.5 ** (t / h)

A manipulation is an input of its own, distinct from an episode's need: it moves a
state (arousal, self-esteem, a perspective set) once, and the state then returns
to rest at its own pace, so a state induced before a task persists through it as
it does in the lab (the phasic response to each item recovers on top of it).
Time courses: acute social-evaluative stress peaks at the end of the stressor and
recovers within about an hour (Dickerson & Kemeny 2004); the threat of ostracism
recovers within about 45 minutes, more slowly in the socially anxious (Zadro,
Boland & Richardson 2006); state self-esteem follows evaluative feedback and
returns over hours (Heatherton & Polivy 1991; Leary et al. 1995); an instruction
to take a perspective lasts while it is kept in mind, a session, and fades over a
day. The numbers are modelling choices of that order, not fitted.

``p`` is the compiled ``states`` constants.
"""

from __future__ import annotations

from empathica.model import self_image
from empathica.model.jit import mechanism

KINDS: tuple[str, ...] = ("stress", "exclusion", "praise", "criticism", "prompt")
STRESS, EXCLUSION, PRAISE, CRITICISM, PROMPT = range(5)
#: The state each kind moves.
TARGET: dict[str, str] = {
    "stress": "arousal",
    "exclusion": "self_esteem",
    "praise": "self_esteem",
    "criticism": "self_esteem",
    "prompt": "prompt",
}


@mechanism
def half_life(kind: int, attachment_anxiety: float, in_life: bool, p) -> float:
    """Half-life of an induced state: minutes in a session, hours in life."""
    h = p.half_life_hours[kind] if in_life else p.half_life_minutes[kind]
    if kind == EXCLUSION or kind == CRITICISM:
        h = h * (1.0 + p.anxiety_slowing * attachment_anxiety)
    return h


@mechanism
def onset(kind: int, strength: float, resting_arousal: float, set_point: float, sensitivity: float) -> float:
    """Immediate deviation of the state the kind moves (arousal, self-esteem or prompt strength)."""
    if kind == STRESS:
        return strength * (1.0 - resting_arousal)
    if kind == EXCLUSION or kind == CRITICISM:
        return self_image.take_feedback(set_point, -strength, sensitivity) - set_point
    if kind == PRAISE:
        return self_image.take_feedback(set_point, strength, sensitivity) - set_point
    return strength


@mechanism
def remaining(deviation: float, elapsed: float, half: float) -> float:
    """What is left of a deviation after ``elapsed`` (in the unit of the half-life)."""
    return deviation * 0.5 ** (elapsed / half)
