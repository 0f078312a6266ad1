"""Slow traits: how practice changes a trait over weeks to months (A2, A15).

Traits are the slow variables of the model; episodes and days are the fast ones.
While a person practises, a trait moves toward where the practice pushes it, by a
share of the distance each session (learning curves of skill training), and between
practice the gain decays slowly toward the person's own baseline (partial forgetting):

    trait'  = trait + rate * sessions * (toward - trait)          (direct route)
    trait'  = trait - forgetting * (trait - baseline)              (every week)

Affective empathy also has an experiential route: a component practised in daily
life (perspective-taking, interpersonal skills) teaches concern through the
responses it leads to. Each week, concern moves by

    concern' = concern + experience_rate * openness * sessions_practised
                         * max(0, accuracy_of_responses - accuracy_reference) * (ceiling - concern)

where ``accuracy_of_responses`` is the mean accuracy of the person's actual responses
in the relationship that week (the fast engine's output) and ``openness = 1 -
resistance`` (``interventions.resistance``). So affective change depends on cognitive
change through lived interactions, and is slower where resistance is high, but it is
not forced to come second: the direct route of interpersonal skills acts at once.

Sources. Change of personality traits with intervention is real and mostly
happens within months (Roberts et al. 2017, Psychol Bull 143:117, meta-analysis of
207 studies: d about 0.37, most of it in 4-8 weeks, largest for emotional stability);
neuroplasticity as the basis of change with practice (A2; Hoelzel et al. 2011 on
mindfulness). In NPD therapy, cognitive understanding of others is reported to come
before felt empathy (A15; Ronningstam 2016; Kealy & Ogrodniczuk 2011). The ceiling,
floor and rates are set by hand, not fitted.

``p`` is ``ModelParams().plasticity`` (ceiling 0.90, floor 0.10, forgetting 0.005,
experience_rate 0.02, accuracy_reference 0.5).
"""

from __future__ import annotations

import numpy as np


def practiced(trait: np.ndarray, rate: float, sessions: np.ndarray, p) -> np.ndarray:
    """A trait after ``sessions`` sessions of practice with a per-session ``rate`` (sign:
    direction: up toward ``p.ceiling``, down toward ``p.floor``)."""
    toward = p.ceiling if rate > 0 else p.floor
    share = np.clip(abs(rate) * sessions, 0.0, 1.0)
    return trait + share * (toward - trait)


def forgotten(trait: np.ndarray, baseline: np.ndarray, p) -> np.ndarray:
    """A trait a week later without practice: part of the gain over baseline fades."""
    return trait - p.forgetting * (trait - baseline)


def experienced(
    concern: np.ndarray, sessions: np.ndarray, accuracy: np.ndarray, openness: np.ndarray, p
) -> np.ndarray:
    """Concern after a week of practising in daily life with responses of that accuracy."""
    gain = np.maximum(0.0, np.nan_to_num(accuracy, nan=0.0) - p.accuracy_reference)
    share = np.clip(p.experience_rate * openness * sessions * gain, 0.0, 1.0)
    return concern + share * (p.ceiling - concern)
