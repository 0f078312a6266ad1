"""The constructs an agent carries (BRIEF, "Constructs"), all on a 0-1 scale.

A trait value of 0.5 is the population average; one population standard
deviation is about 0.15 on this scale, so a published effect size d maps to a
shift of about ``0.15 * d`` (used by the evidence-calibrated profiles).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from empathica.model.jit import clip, compiled, mechanism
from empathica.model.streams import TRAIT_DAY, normal

#: Trait names in a fixed order (the order of random draws depends on it).
TRAIT_NAMES: tuple[str, ...] = (
    "cognitive_empathy",
    "emotional_contagion",
    "empathic_concern",
    "emotion_regulation",
    "attachment_anxiety",
    "attachment_avoidance",
    "self_image_fragility",
    "admiration_need",
    "impulsivity",
    "expressive_suppression",
)

TRAIT_HELP: dict[str, str] = {
    "cognitive_empathy": "accuracy in inferring another's state (mentalizing; MET cognitive, MASC)",
    "emotional_contagion": "being flooded by another's feeling (IRI personal distress)",
    "empathic_concern": "other-oriented warmth, motive to help (IRI empathic concern)",
    "emotion_regulation": "speed of return to baseline; arousal at which mentalizing breaks down",
    "attachment_anxiety": "fear of abandonment (ECR-R anxiety)",
    "attachment_avoidance": "discomfort with closeness (ECR-R avoidance)",
    "self_image_fragility": "dependence of self-esteem on feedback; threat sensitivity",
    "admiration_need": "reward value of praise, audience, supply (NPI, PNI)",
    "impulsivity": "acting on arousal before deliberation (BIS-11)",
    "expressive_suppression": "outward control of expressed emotion (ERQ suppression; A12)",
}

#: Population standard deviation on the 0-1 trait scale.
POPULATION_SD = 0.15
#: Traits are kept strictly inside (0, 1) after drawing.
TRAIT_MIN, TRAIT_MAX = 0.01, 0.99


@dataclass(frozen=True)
class Traits:
    """Traits of a population of dyads, structure of arrays, each of shape (2, n_dyads).

    Row 0 is partner ``a`` of each dyad, row 1 partner ``b``.
    """

    cognitive_empathy: np.ndarray
    emotional_contagion: np.ndarray
    empathic_concern: np.ndarray
    emotion_regulation: np.ndarray
    attachment_anxiety: np.ndarray
    attachment_avoidance: np.ndarray
    self_image_fragility: np.ndarray
    admiration_need: np.ndarray
    impulsivity: np.ndarray
    expressive_suppression: np.ndarray

    @property
    def n_dyads(self) -> int:
        return int(self.cognitive_empathy.shape[1])

    def stacked(self) -> np.ndarray:
        """The traits as one array (n_traits, 2, n_dyads), in TRAIT_NAMES order."""
        return np.stack([getattr(self, name) for name in TRAIT_NAMES])

    @classmethod
    def from_stacked(cls, values: np.ndarray) -> Traits:
        return cls(**{name: values[i] for i, name in enumerate(TRAIT_NAMES)})


assert tuple(f.name for f in fields(Traits)) == TRAIT_NAMES


@mechanism
def agent_trait(key: np.uint64, dyad: np.uint64, trait: int, side: int, mean: float, spread: float) -> float:
    """One agent's trait around its profile mean: mean + spread * z, clipped to
    [TRAIT_MIN, TRAIT_MAX]; z is normal number ``2 * trait + side`` of the dyad's trait day."""
    z = normal(key, dyad, np.uint64(TRAIT_DAY), np.uint64(2 * trait + side))
    return clip(mean + spread * z, TRAIT_MIN, TRAIT_MAX)


@compiled(nogil=True)
def draw_traits(key: np.uint64, dyads: np.ndarray, means: np.ndarray, spread: float) -> np.ndarray:
    """The traits (n_traits, 2, n) of dyads around their profile means (``agent_trait``)."""
    out = np.empty(means.shape)
    for d in range(dyads.shape[0]):
        for s in range(2):
            for i in range(means.shape[0]):
                out[i, s, d] = agent_trait(key, np.uint64(dyads[d]), i, s, means[i, s, d], spread)
    return out
