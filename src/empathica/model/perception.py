"""Perception: what the responder thinks the other feels (A1, A3, A7; A13, L9).

    skill     = w_cognitive[need] * cognitive_empathy + w_affective[need] * emotional_contagion
    theta     = breakdown_base + breakdown_regulation * emotion_regulation
    excess    = max(0, arousal - theta)
    sd        = max(noise_floor, noise * (1 - skill)) + breakdown_gain * excess
    bias      = -rejection_bias * attachment_anxiety * excess * (1 - min(1, |cue|))
    perceived = clip(cue + bias + sd * z, -1, 1)

* Error shrinks with cognitive empathy (mentalizing) and with affective cue pick-up
  (A1: BPD "picks up subtle cues"); mentalizing dominates for social pain, affective
  resonance for physical pain, so an agent with cognition kept and affect reduced
  (A3) reads social pain better than physical pain (A7, L6).
* Above a regulation-dependent arousal threshold mentalizing breaks down and the
  error grows (A1 "empathic paradox", A2, A10).
* Anxiously attached perceivers under arousal read ambiguous (weak) cues as more
  negative than they are, i.e. as rejection (A13, L9 rejection sensitivity).

Each function is a scalar ``@mechanism`` (``empathica.model.jit``); ``p`` is the
compiled ``perception`` constants (``params.constants(model).perception``).
"""

from __future__ import annotations

from empathica.model.jit import clip, mechanism


@mechanism
def breakdown_threshold(emotion_regulation: float, p) -> float:
    """Arousal level above which mentalizing breaks down (higher when better regulated)."""
    return p.breakdown_base + p.breakdown_regulation * emotion_regulation


@mechanism
def arousal_excess(arousal: float, emotion_regulation: float, p) -> float:
    """How far arousal is above the breakdown threshold (0 below it)."""
    return max(0.0, arousal - breakdown_threshold(emotion_regulation, p))


@mechanism
def error_sd(
    cognitive_empathy: float,
    emotional_contagion: float,
    arousal: float,
    emotion_regulation: float,
    need: int,
    p,
) -> float:
    """Standard deviation of the perception error for need type index ``need``."""
    skill = p.w_cognitive[need] * cognitive_empathy + p.w_affective[need] * emotional_contagion
    excess = arousal_excess(arousal, emotion_regulation, p)
    return max(p.noise_floor, p.noise * (1.0 - skill)) + p.breakdown_gain * excess


@mechanism
def rejection_bias(
    cue: float, attachment_anxiety: float, arousal: float, emotion_regulation: float, p
) -> float:
    """Negative shift of the perceived feeling: ambiguous cues read as rejection."""
    excess = arousal_excess(arousal, emotion_regulation, p)
    ambiguity = 1.0 - min(1.0, abs(cue))
    return -p.rejection_bias * attachment_anxiety * excess * ambiguity


@mechanism
def perceive(
    cue: float,
    cognitive_empathy: float,
    emotional_contagion: float,
    attachment_anxiety: float,
    emotion_regulation: float,
    arousal: float,
    need: int,
    z: float,
    p,
) -> float:
    """Perceived feeling (signed, clipped to [-1, 1]) from the expressed cue and a standard normal z."""
    sd = error_sd(cognitive_empathy, emotional_contagion, arousal, emotion_regulation, need, p)
    bias = rejection_bias(cue, attachment_anxiety, arousal, emotion_regulation, p)
    return clip(cue + bias + sd * z, -1.0, 1.0)
