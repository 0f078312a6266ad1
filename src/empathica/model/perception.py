"""Perception: what the responder thinks the other feels (A1, A3, A7; A13, L9).

Equations (all elementwise over agents):

    skill    = w_cog[need] * cognitive_empathy + w_aff[need] * emotional_contagion
    theta    = breakdown_base + breakdown_regulation * emotion_regulation
    sd       = max(noise_floor, noise * (1 - skill)) + breakdown_gain * max(0, arousal - theta)
    bias     = -rejection_bias * attachment_anxiety * max(0, arousal - theta) * (1 - |cue|)
    perceived = cue + bias + sd * z

* Error shrinks with cognitive empathy (mentalizing) and with affective cue pick-up
  (A1: BPD "picks up subtle cues"); mentalizing dominates for social pain, affective
  resonance for physical pain, so an agent with cognition kept and affect reduced
  (A3) reads social pain better than physical pain (A7, L6).
* Above a regulation-dependent arousal threshold mentalizing breaks down and the
  error grows (A1 "empathic paradox", A2, A10).
* Anxiously attached perceivers under arousal read ambiguous (weak) cues as more
  negative than they are, i.e. as rejection (A13, L9 rejection sensitivity).
"""

from __future__ import annotations

import numpy as np

from empathica.model.params import PerceptionParams


def breakdown_threshold(emotion_regulation: np.ndarray, p: PerceptionParams) -> np.ndarray:
    """Arousal level above which mentalizing breaks down (higher when better regulated)."""
    return p.breakdown_base + p.breakdown_regulation * emotion_regulation


def error_sd(
    cognitive_empathy: np.ndarray,
    emotional_contagion: np.ndarray,
    arousal: np.ndarray,
    emotion_regulation: np.ndarray,
    need: np.ndarray,
    p: PerceptionParams,
) -> np.ndarray:
    """Standard deviation of the perception error for need type index ``need``."""
    w_cog = np.asarray(p.w_cognitive)[need]
    w_aff = np.asarray(p.w_affective)[need]
    skill = w_cog * cognitive_empathy + w_aff * emotional_contagion
    excess = np.maximum(0.0, arousal - breakdown_threshold(emotion_regulation, p))
    return np.maximum(p.noise_floor, p.noise * (1.0 - skill)) + p.breakdown_gain * excess


def rejection_bias(
    cue: np.ndarray,
    attachment_anxiety: np.ndarray,
    arousal: np.ndarray,
    emotion_regulation: np.ndarray,
    p: PerceptionParams,
) -> np.ndarray:
    """Negative shift of the perceived feeling: ambiguous cues read as rejection."""
    excess = np.maximum(0.0, arousal - breakdown_threshold(emotion_regulation, p))
    ambiguity = 1.0 - np.minimum(1.0, np.abs(cue))
    return -p.rejection_bias * attachment_anxiety * excess * ambiguity


def perceive(
    cue: np.ndarray,
    cognitive_empathy: np.ndarray,
    emotional_contagion: np.ndarray,
    attachment_anxiety: np.ndarray,
    emotion_regulation: np.ndarray,
    arousal: np.ndarray,
    need: np.ndarray,
    z: np.ndarray,
    p: PerceptionParams,
) -> np.ndarray:
    """Perceived feeling (signed, clipped to [-1, 1]) from the expressed cue."""
    sd = error_sd(cognitive_empathy, emotional_contagion, arousal, emotion_regulation, need, p)
    bias = rejection_bias(cue, attachment_anxiety, arousal, emotion_regulation, p)
    return np.clip(cue + bias + sd * z, -1.0, 1.0)
