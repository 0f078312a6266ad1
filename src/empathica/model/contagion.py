"""Contagion and regulation: feeling what one perceives, then calming down (A1, A10, A12).

    cue          = true_feeling * (1 - suppression_damping * expressive_suppression)
    arousal'     = arousal + arousal_gain * contagion * |perceived| * (1 - arousal / 2)
    affect'      = affect + affect_gain * contagion * (perceived - affect)
    baseline     = baseline_base + baseline_dysreg * (1 - regulation)
    keep         = clip(1 - recovery_base - recovery_regulation * regulation, 0, 1)
    arousal(t+1) = level + (arousal - level) * keep      (level: baseline, or a tonic induced level)

* Emotional contagion is the gain with which another's feeling floods the perceiver
  (A1; personal distress, BRIEF constructs; L2).
* Regulation sets both the resting level and how fast arousal returns to it (A10).
* Open vs outwardly controlled expression (A12): a suppressor's feeling reaches the
  partner damped, so it is harder to read and catches less.

``p`` is the compiled ``contagion`` constants.
"""

from __future__ import annotations

from empathica.model.jit import clip, mechanism


@mechanism
def expressed_cue(true_feeling: float, expressive_suppression: float, p) -> float:
    """The feeling as it shows on the outside."""
    return true_feeling * (1.0 - p.suppression_damping * expressive_suppression)


@mechanism
def resonate(affect: float, arousal: float, perceived: float, emotional_contagion: float, p):
    """(affect, arousal) of a perceiver after catching the perceived feeling.

    Soft saturation: an already aroused perceiver is still flooded further (A1)."""
    new_arousal = arousal + p.arousal_gain * emotional_contagion * abs(perceived) * (1.0 - 0.5 * arousal)
    new_affect = affect + p.affect_gain * emotional_contagion * (perceived - affect)
    return new_affect, new_arousal


@mechanism
def feel_own_need(affect: float, arousal: float, true_feeling: float, p):
    """(affect, arousal) of the person with the need: they are moved by it too."""
    new_arousal = arousal + p.own_need_gain * abs(true_feeling) * (1.0 - arousal)
    new_affect = affect + p.own_need_gain * (true_feeling - affect)
    return new_affect, new_arousal


@mechanism
def baseline_arousal(emotion_regulation: float, p) -> float:
    """Resting arousal: higher when regulation is poor."""
    return p.baseline_arousal_base + p.baseline_arousal_dysreg * (1.0 - emotion_regulation)


@mechanism
def recovery_keep(emotion_regulation: float, p) -> float:
    """Share of the excess arousal still there after a day."""
    return clip(1.0 - p.recovery_base - p.recovery_regulation * emotion_regulation, 0.0, 1.0)


@mechanism
def recover(arousal: float, level: float, emotion_regulation: float, p) -> float:
    """One recovery step toward ``level``: a day in life, the gap between two items in the
    lab (where ``level`` is the tonic arousal an induced state holds, ``states``)."""
    return level + (arousal - level) * recovery_keep(emotion_regulation, p)


@mechanism
def regulate(arousal: float, emotion_regulation: float, p) -> float:
    """One day of down-regulation toward the resting arousal level."""
    return recover(arousal, baseline_arousal(emotion_regulation, p), emotion_regulation, p)
