"""Personal distress vs empathic concern: being flooded can lower care (A1, A10, C2).

    theta    = threshold_base + threshold_regulation * emotion_regulation
    distress = clip((arousal - theta) / width, 0, 1)
    concern' = concern * (1 - crowd_out * distress)

Another's feeling moves the perceiver; up to a regulation-dependent level the
arousal supports other-oriented concern, beyond it the feeling turns
self-oriented (personal distress), attention goes to one's own relief and
other-oriented concern falls (Batson, Fultz & Schoenrade 1987: the egoistic
motive of the distressed; Eisenberg & Fabes 1992, Eisenberg 2000: over-arousal
leads to personal distress rather than sympathy, and regulation decides which).
So arousal has two effects on care in the model: attachment need under arousal
adds to it (A11, ``motivation``), distress takes concern away; which wins depends
on regulation. By default the distress point equals the arousal at which
mentalizing breaks down (``perception.breakdown_threshold``): both are the
over-arousal of the literature; they are separate constants so either can vary.

``p`` is the compiled ``distress`` constants.
"""

from __future__ import annotations

from empathica.model.jit import clip, mechanism


@mechanism
def personal_distress(arousal: float, emotion_regulation: float, p) -> float:
    """How far arousal has turned into self-oriented distress (0: none, 1: flooded)."""
    theta = p.threshold_base + p.threshold_regulation * emotion_regulation
    return clip((arousal - theta) / p.width, 0.0, 1.0)


@mechanism
def remaining_concern(concern: float, arousal: float, emotion_regulation: float, p) -> float:
    """Other-oriented concern left once distress takes its share."""
    return concern * (1.0 - p.crowd_out * personal_distress(arousal, emotion_regulation, p))
