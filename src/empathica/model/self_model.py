"""Self-model: the agent's view of itself, which its self-reports and its confidence come from.

    view       = clip(0.5 + insight * (trait - 0.5) + sqrt(1 - insight^2) * SD * z_self
                      + desirability * enhancement * (self_esteem - reference), 0, 1)
    believed   = perception.error_sd at the self-viewed skills, at rest
                 + awareness * (its rise with the current arousal)
    awareness  = awareness_regulation * emotion_regulation
    confidence = P(|error| < within) for an error of SD ``believed`` = erf(within / (sqrt(2) * believed))

* People know their felt dispositions (concern, distress, fear of abandonment)
  moderately well and their abilities poorly: self-other agreement is highest for
  internal, low-observability traits (Vazire 2010), and self-rated empathic skill
  hardly predicts empathic accuracy (Ickes 1993; Ickes 2003). ``insight`` is the
  correlation of the self-view with the trait; the rest of the self-view is a
  stable, person-specific self-concept (``z_self``, drawn once per person), so
  self-reports stay reliable over time while only partly valid.
* The self-view is coloured by self-esteem: a high (or inflated, A6, A12)
  self-esteem rates itself better on desirable traits, a low one worse
  (self-enhancement, Sedikides & Gregg 2008; narcissists' self-enhancement,
  Campbell, Rudich & Sedikides 2002; the negative self-view of low self-esteem,
  Brown 1998). ``desirability`` is +1 for desirable traits, -1 for undesirable ones.
* Metacognition: how sure an agent is of its reading of another comes from its own
  estimate of its precision: its self-viewed skill, and the cost of arousal only as
  far as it notices its own state (emotional awareness rises with regulation). So
  a self-enhancing or aroused, poorly regulated perceiver is overconfident
  (the hypermentalizing of BPD with high confidence, Sharp et al. 2011).

``p`` is the compiled ``self_model`` constants.
"""

from __future__ import annotations

import math

from empathica.model import perception
from empathica.model.jit import clip, mechanism
from empathica.model.traits import POPULATION_SD


@mechanism
def self_view(
    trait: float, insight: float, z_self: float, desirability: float, self_esteem: float, reference: float, p
) -> float:
    """How the agent sees its own trait (0-1 scale)."""
    valid = 0.5 + insight * (trait - 0.5)
    concept = math.sqrt(max(0.0, 1.0 - insight * insight)) * POPULATION_SD * z_self
    enhanced = desirability * p.enhancement * (self_esteem - reference)
    return clip(valid + concept + enhanced, 0.0, 1.0)


@mechanism
def believed_error_sd(
    view_cognitive: float,
    view_contagion: float,
    arousal: float,
    emotion_regulation: float,
    need: int,
    p,
    per,
) -> float:
    """The agent's own estimate of its reading error (``per``: compiled ``perception`` constants)."""
    rest = perception.error_sd(view_cognitive, view_contagion, 0.0, emotion_regulation, need, per)
    now = perception.error_sd(view_cognitive, view_contagion, arousal, emotion_regulation, need, per)
    return rest + p.awareness_regulation * emotion_regulation * (now - rest)


@mechanism
def confidence(believed_sd: float, within: float) -> float:
    """Confidence that a reading is within ``within`` of the truth, believing the error SD."""
    return math.erf(within / (math.sqrt(2.0) * max(believed_sd, 1e-9)))


#: +1: a trait people like to have; -1: one they would rather not have; 0: neither.
DESIRABILITY: dict[str, float] = {
    "cognitive_empathy": 1.0,
    "emotional_contagion": -1.0,
    "empathic_concern": 1.0,
    "emotion_regulation": 1.0,
    "attachment_anxiety": -1.0,
    "attachment_avoidance": 0.0,
    "self_image_fragility": -1.0,
    "admiration_need": 0.0,
    "impulsivity": -1.0,
    "expressive_suppression": 0.0,
}
#: Traits that are abilities (known poorly, ``insight_ability``); the others are felt dispositions.
ABILITIES: frozenset[str] = frozenset({"cognitive_empathy", "emotion_regulation"})
