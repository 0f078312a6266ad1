"""Contagion and regulation: feeling what one perceives, then calming down (A1, A10, A12).

    cue            = true_feeling * (1 - suppression_damping * expressive_suppression)
    arousal'       = arousal + arousal_gain * contagion * |perceived| * (1 - arousal / 2)
    affect'        = affect + affect_gain * contagion * (perceived - affect)
    baseline       = baseline_base + baseline_dysreg * (1 - regulation)
    arousal(t+1)   = baseline + (arousal - baseline) * (1 - recovery_base - recovery_reg * regulation)

* Emotional contagion is the gain with which another's feeling floods the perceiver
  (A1; personal distress, BRIEF constructs; L2).
* Regulation sets both the resting level and how fast arousal returns to it (A10).
* Open vs outwardly controlled expression (A12): a suppressor's feeling reaches the
  partner damped, so it is harder to read and catches less.
"""

from __future__ import annotations

import numpy as np

from empathica.model.params import ContagionParams


def expressed_cue(
    true_feeling: np.ndarray, expressive_suppression: np.ndarray, p: ContagionParams
) -> np.ndarray:
    """The feeling as it shows on the outside."""
    return true_feeling * (1.0 - p.suppression_damping * expressive_suppression)


def resonate(
    affect: np.ndarray,
    arousal: np.ndarray,
    perceived: np.ndarray,
    emotional_contagion: np.ndarray,
    p: ContagionParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Affect and arousal of a perceiver after catching the perceived feeling."""
    # Soft saturation: an already aroused perceiver is still flooded further (A1).
    new_arousal = arousal + p.arousal_gain * emotional_contagion * np.abs(perceived) * (1.0 - 0.5 * arousal)
    new_affect = affect + p.affect_gain * emotional_contagion * (perceived - affect)
    return new_affect, new_arousal


def feel_own_need(
    affect: np.ndarray, arousal: np.ndarray, true_feeling: np.ndarray, p: ContagionParams
) -> tuple[np.ndarray, np.ndarray]:
    """The person with the need is moved by it too."""
    new_arousal = arousal + p.own_need_gain * np.abs(true_feeling) * (1.0 - arousal)
    new_affect = affect + p.own_need_gain * (true_feeling - affect)
    return new_affect, new_arousal


def baseline_arousal(emotion_regulation: np.ndarray, p: ContagionParams) -> np.ndarray:
    return p.baseline_arousal_base + p.baseline_arousal_dysreg * (1.0 - emotion_regulation)


def regulate(arousal: np.ndarray, emotion_regulation: np.ndarray, p: ContagionParams) -> np.ndarray:
    """One day of down-regulation toward the resting arousal level."""
    base = baseline_arousal(emotion_regulation, p)
    keep = np.clip(1.0 - p.recovery_base - p.recovery_regulation * emotion_regulation, 0.0, 1.0)
    return base + (arousal - base) * keep
