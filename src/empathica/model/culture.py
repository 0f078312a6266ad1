"""Culture (A17): a population's norm of individualism acting on shown care and on admiration.

    individualism u in [0, 1]: 0 collectivist, 1 individualist, 0.5 neutral (changes nothing)
    concern'      = clip(concern + CARE_GAIN * (0.5 - u) * 2, TRAIT_MIN, TRAIT_MAX)
    admiration'   = clip(admiration * (1 + ADMIRATION_AMP * (u - 0.5) * 2), TRAIT_MIN, TRAIT_MAX)

A norm acts on what people *express*, not on a biography: it is applied to the traits
of the people who live under it, before any task or simulation, and changes nothing else.

* Normative care. Interdependent selves define themselves by their relationships and
  their obligations to others (Markus & Kitayama 1991); in countries higher in
  collectivism people report more empathic concern (Chopik, O'Brien & Konrath 2017, 63
  countries). A collectivist norm adds the same expected care to everyone, whatever
  their own concern: the article's "buffer" (A17). Whether the buffer helps the people
  with BPD more than others is not put in: it goes through distress, arousal and the
  response threshold of the motivation model (validation row A17.bpd).
* Admiration. Individualist, self-promoting norms reward standing out: narcissism
  (NPI) is higher in more individualist world regions (Foster, Campbell & Twenge 2003)
  and rose in US students as individualism grew (Twenge et al. 2008; disputed by
  Trzesniewski, Donnellan & Robins 2008). The norm scales the reward value of
  admiration around each person's own need: a norm amplifies a need that is there
  and creates none where there is none (a person with no wish for admiration stays so).

Constants (modelling choices of the order of the cross-cultural differences, not fitted):
``CARE_GAIN`` 0.05 moves concern by a third of a population SD at either end of the
scale (country-level differences in empathic concern are a fraction of the individual
SD, Chopik et al. 2017); ``ADMIRATION_AMP`` 0.15 scales admiration need by up to 15%,
half an SD for an average person (0.5 -> 0.575), the order of the NPI differences
between world regions and of the cross-temporal rise (about a third of an SD, Twenge et
al. 2008). The article's claim that collectivism buffers BPD in particular has little
direct evidence (Paris 1996 argued that traditional social structures protect against
borderline pathology); the model states it as this hypothesis.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from empathica.errors import EmpathicaInputError
from empathica.model.traits import TRAIT_MAX, TRAIT_MIN

if TYPE_CHECKING:
    from empathica.lab.study import Population
    from empathica.lab.tasks import Sample

#: The neutral norm: neither collectivist nor individualist (no change).
NEUTRAL = 0.5
#: Care a fully collectivist norm adds to empathic concern (and a fully individualist one takes).
CARE_GAIN = 0.05
#: Relative change of admiration need at a fully individualist norm (the same fall at a collectivist one).
ADMIRATION_AMP = 0.15

SOURCES = (
    "Markus & Kitayama 1991, Psychol Rev 98:224 (independent and interdependent selves)",
    "Chopik, O'Brien & Konrath 2017, J Cross-Cult Psychol 48:23 (empathic concern across 63 countries)",
    "Foster, Campbell & Twenge 2003, J Res Pers 37:469 (narcissism around the world)",
    "Twenge, Konrath, Foster, Campbell & Bushman 2008, J Pers 76:875 (NPI over time); disputed by "
    "Trzesniewski, Donnellan & Robins 2008, Psychol Sci 19:181",
    "Paris 1996, Psychiatry 59:185 (cultural factors in the emergence of borderline pathology)",
)


def check_norm(individualism: float) -> float:
    """The norm as a float in [0, 1], or one clear error."""
    try:
        u = float(individualism)
    except (TypeError, ValueError):
        raise EmpathicaInputError(
            f"individualism must be a number from 0 to 1, got {individualism!r}"
        ) from None
    if not (math.isfinite(u) and 0.0 <= u <= 1.0):
        raise EmpathicaInputError(
            f"individualism must be from 0 (collectivist) to 1 (individualist), got {individualism}"
        )
    return u


def normative_care(empathic_concern, individualism: float, care_gain: float = CARE_GAIN):
    """Concern as a norm makes it shown: a collectivist norm adds expected care to everyone's own
    (interdependent obligations, Markus & Kitayama 1991), an individualist one takes as much away.
    Additive, so it lifts most, relative to their own, those who care least."""
    u = check_norm(individualism)
    return np.clip(
        np.asarray(empathic_concern, float) + care_gain * (NEUTRAL - u) * 2.0, TRAIT_MIN, TRAIT_MAX
    )


def admiration_expression(admiration_need, individualism: float, amp: float = ADMIRATION_AMP):
    """Admiration need as a norm rewards it: an individualist, self-promoting norm amplifies each
    person's own need, a collectivist one damps it (Foster, Campbell & Twenge 2003). Proportional,
    so the norm amplifies the need a person has and creates none."""
    u = check_norm(individualism)
    return np.clip(
        np.asarray(admiration_need, float) * (1.0 + amp * (u - NEUTRAL) * 2.0), TRAIT_MIN, TRAIT_MAX
    )


def culture_means(means: Mapping[str, float], individualism: float) -> dict[str, float]:
    """Trait means of a population under a norm (traits not named sit at the mean 0.5)."""
    out = dict(means)
    out["empathic_concern"] = float(normative_care(means.get("empathic_concern", 0.5), individualism))
    out["admiration_need"] = float(admiration_expression(means.get("admiration_need", 0.5), individualism))
    return out


def apply_culture(sample: Sample, individualism: float) -> Sample:
    """The same people living under a norm: concern and admiration need as the norm shapes their
    expression (self-concepts unchanged, so their self-reports stay the same people's)."""
    return sample.with_traits(
        empathic_concern=normative_care(sample.empathic_concern, individualism),
        admiration_need=admiration_expression(sample.admiration_need, individualism),
    )


def culture_population(population: Population, individualism: float) -> Population:
    """A lab population living under a norm (its means moved; spread and correlations kept)."""
    from dataclasses import replace

    u = check_norm(individualism)
    return replace(population, name=f"{population.name}@u{u:g}", means=culture_means(population.means, u))
