"""Biology (A18), as hypotheses: an oxytocin system and a dopamine reward system as modulators.

    sensitivity s in [0, 1]: 0.5 typical (changes nothing), below blunted, above heightened
    cognitive'  = clip(cognitive  * (1 + OXYTOCIN_COGNITIVE_GAIN  * (s_oxytocin - 0.5) * 2))
    contagion'  = clip(contagion  * (1 + OXYTOCIN_CONTAGION_GAIN  * (s_oxytocin - 0.5) * 2))
    admiration' = clip(admiration * (1 + DOPAMINE_REWARD_GAIN     * (s_dopamine - 0.5) * 2))
    clip        = to the trait range [TRAIT_MIN, TRAIT_MAX]

Nothing here is an established fact; every equation states a hypothesis of the
literature (``HYPOTHESES``: each with its sources and status) so that its consequences
can be followed through the model's mechanisms.

* Oxytocin and social salience. Intranasal oxytocin improved emotion reading from the
  eyes (Domes et al. 2007) and, on the social-salience account, raises the salience of
  social cues of either valence (Shamay-Tsoory & Abu-Akel 2016): the model scales
  social cognition (``cognitive_empathy``) and resonance (``emotional_contagion``) with the
  system's sensitivity. In BPD the system appears altered: lower plasma oxytocin
  (Bertsch, Schmidinger, Neumann & Herpertz 2013), oxytocin reducing social threat
  hypersensitivity (Bertsch et al. 2013, Am J Psychiatry) and, in BPD, lowering trust
  and cooperation rather than raising them, depending on attachment (Bartz et al. 2011;
  trust and childhood trauma, Ebert et al. 2013). The threat-reducing findings point the
  other way for contagion (more oxytocin, less threat resonance): the contagion gain's
  sign is itself contested, so it is a parameter (pass a negative gain for that
  account). Intranasal oxytocin studies are small and their effects fragile (Walum,
  Waldman & Young 2016).
* Dopamine and the reward of admiration. Narcissism goes with approach motivation
  (Foster & Trimm 2008) and weaker frontostriatal connectivity (Chester et al. 2016),
  which reward-seeking accounts read as a hunger for the reward of admiration. There is
  little direct evidence: no study has measured dopamine function in people with NPD
  (review: Jauk & Kanske 2021). The model scales the reward value of admiration
  (``admiration_need``) with the sensitivity of the reward system.

Constants (modelling choices, not fitted): at the extremes of sensitivity (0 or 1) social
cognition changes by 20% of its value, contagion and the reward of admiration by 30%;
a blunted system at 0.25 thus lowers an average person's cognitive empathy by 0.05 and
contagion by 0.075 (a third and a half of a population SD).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from empathica.errors import EmpathicaInputError
from empathica.model.traits import TRAIT_MAX, TRAIT_MIN

if TYPE_CHECKING:
    from empathica.lab.tasks import Sample

#: Typical sensitivity of a system (changes nothing).
TYPICAL = 0.5
#: Relative change of social cognition at the extremes of oxytocin-system sensitivity.
OXYTOCIN_COGNITIVE_GAIN = 0.2
#: Relative change of emotional contagion at the extremes (social salience; sign contested).
OXYTOCIN_CONTAGION_GAIN = 0.3
#: Relative change of the reward value of admiration at the extremes of dopamine sensitivity.
DOPAMINE_REWARD_GAIN = 0.3


@dataclass(frozen=True)
class Hypothesis:
    """A biological account the model makes executable: what it says, what it acts on, where it
    comes from and how well it is supported."""

    name: str
    system: str
    statement: str
    acts_on: tuple[str, ...]
    sources: tuple[str, ...]
    status: str


HYPOTHESES: tuple[Hypothesis, ...] = (
    Hypothesis(
        "oxytocin_social_cognition",
        "oxytocin",
        "oxytocin-system sensitivity raises the accuracy of reading others' mental states",
        ("cognitive_empathy",),
        (
            "Domes, Heinrichs, Michel, Berger & Herpertz 2007, Biol Psychiatry 61:731",
            "Shamay-Tsoory & Abu-Akel 2016, Biol Psychiatry 79:194",
        ),
        "hypothesis: single-dose experiments in healthy people, small samples; replication mixed "
        "(Walum, Waldman & Young 2016, Biol Psychiatry 79:251)",
    ),
    Hypothesis(
        "oxytocin_social_salience",
        "oxytocin",
        "oxytocin-system sensitivity raises the salience of, and resonance with, others' feelings",
        ("emotional_contagion",),
        ("Shamay-Tsoory & Abu-Akel 2016, Biol Psychiatry 79:194",),
        "contested: in BPD oxytocin reduced social threat hypersensitivity (Bertsch et al. 2013, "
        "Am J Psychiatry 170:1169), the opposite sign for threat resonance; the gain is a parameter",
    ),
    Hypothesis(
        "oxytocin_altered_in_bpd",
        "oxytocin",
        "the oxytocin system is altered in BPD (lower levels; effects on trust that depend on "
        "attachment and childhood trauma)",
        ("cognitive_empathy", "emotional_contagion"),
        (
            "Bertsch, Schmidinger, Neumann & Herpertz 2013, Horm Behav 63:424",
            "Bertsch et al. 2013, Am J Psychiatry 170:1169",
            "Bartz et al. 2011, Soc Cogn Affect Neurosci 6:556",
            "Ebert et al. 2013, Soc Neurosci 8:305",
        ),
        "hypothesis: a few small studies, mostly of women with BPD; the direction of the "
        "alteration (blunted or heightened sensitivity) is not settled",
    ),
    Hypothesis(
        "dopamine_admiration_reward",
        "dopamine",
        "a more sensitive dopamine reward system raises the reward value of admiration, as "
        "reward-seeking accounts of narcissism propose",
        ("admiration_need",),
        (
            "Foster & Trimm 2008, PSPB 34:1004",
            "Chester, Lynam, Powell & DeWall 2016, Soc Cogn Affect Neurosci 11:1036",
            "Jauk & Kanske 2021, Personal Neurosci 4:e3",
        ),
        "little direct evidence: approach motivation and reward-circuit connectivity in "
        "subclinical narcissism; no study of dopamine function in NPD",
    ),
)


def check_sensitivity(sensitivity: float, system: str = "sensitivity") -> float:
    """A system's sensitivity as a float in [0, 1], or one clear error."""
    try:
        s = float(sensitivity)
    except (TypeError, ValueError):
        raise EmpathicaInputError(f"{system} must be a number from 0 to 1, got {sensitivity!r}") from None
    if not (math.isfinite(s) and 0.0 <= s <= 1.0):
        raise EmpathicaInputError(f"{system} must be from 0 (blunted) to 1 (heightened), got {sensitivity}")
    return s


def _gain(gain: float, what: str) -> float:
    if not (math.isfinite(gain) and -1.0 <= gain <= 1.0):
        raise EmpathicaInputError(f"{what} must be between -1 and 1 (a relative change), got {gain}")
    return float(gain)


def _scaled(trait, sensitivity: float, gain: float):
    return np.clip(
        np.asarray(trait, float) * (1.0 + gain * (sensitivity - TYPICAL) * 2.0), TRAIT_MIN, TRAIT_MAX
    )


def oxytocin_cognition(cognitive_empathy, sensitivity: float, gain: float = OXYTOCIN_COGNITIVE_GAIN):
    """Social cognition scaled by the oxytocin system (hypothesis ``oxytocin_social_cognition``):
    proportional, so the system modulates the skill a person has."""
    s = check_sensitivity(sensitivity, "oxytocin sensitivity")
    return _scaled(cognitive_empathy, s, _gain(gain, "the oxytocin cognitive gain"))


def oxytocin_contagion(emotional_contagion, sensitivity: float, gain: float = OXYTOCIN_CONTAGION_GAIN):
    """Resonance with others' feelings scaled by the oxytocin system (hypothesis
    ``oxytocin_social_salience``; a negative gain states the threat-reducing account)."""
    s = check_sensitivity(sensitivity, "oxytocin sensitivity")
    return _scaled(emotional_contagion, s, _gain(gain, "the oxytocin contagion gain"))


def dopamine_reward(admiration_need, sensitivity: float, gain: float = DOPAMINE_REWARD_GAIN):
    """The reward value of admiration scaled by the dopamine reward system (hypothesis
    ``dopamine_admiration_reward``): a sensitive system makes the same praise worth more."""
    s = check_sensitivity(sensitivity, "dopamine sensitivity")
    return _scaled(admiration_need, s, _gain(gain, "the dopamine reward gain"))


def biology_means(
    means: Mapping[str, float], oxytocin: float = TYPICAL, dopamine: float = TYPICAL
) -> dict[str, float]:
    """Trait means of a population with the given system sensitivities (unnamed traits at 0.5)."""
    out = dict(means)
    out["cognitive_empathy"] = float(oxytocin_cognition(means.get("cognitive_empathy", 0.5), oxytocin))
    out["emotional_contagion"] = float(oxytocin_contagion(means.get("emotional_contagion", 0.5), oxytocin))
    out["admiration_need"] = float(dopamine_reward(means.get("admiration_need", 0.5), dopamine))
    return out


def apply_biology(sample: Sample, oxytocin: float = TYPICAL, dopamine: float = TYPICAL) -> Sample:
    """The same people with the given oxytocin and dopamine sensitivities (self-concepts unchanged)."""
    return sample.with_traits(
        cognitive_empathy=oxytocin_cognition(sample.cognitive_empathy, oxytocin),
        emotional_contagion=oxytocin_contagion(sample.emotional_contagion, oxytocin),
        admiration_need=dopamine_reward(sample.admiration_need, dopamine),
    )
