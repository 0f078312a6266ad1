"""Context: how often needs arise, and the situation of each episode (BRIEF, "An interaction episode").

    episodes per day together ~ Poisson(rate), capped at max_episodes_per_day
                               (rate: relationship.episode_rate; count by inverting the CDF)
    need       = first k with u < need_cdf[k]        (need_probs, normalised)
    intensity  = (u1 + u2) / 2                       (triangular on [0, 1])
    feeling    = +intensity for good news, -intensity for every other need
    audience, benefit, boundary request, prompt: each with its own probability;
    threat (the need implies criticism of the responder): p_threat_anger for anger,
    p_threat_other otherwise (A4, A5, A8, A14)

``p`` is the compiled ``context`` constants.
"""

from __future__ import annotations

import math

from empathica.model.jit import mechanism
from empathica.model.schema import NEED_TYPES

PHYSICAL = NEED_TYPES.index("physical_pain")
ANGER = NEED_TYPES.index("anger")
GOOD_NEWS = NEED_TYPES.index("good_news")
#: The cap on episodes per day is at most this (``ContextParams.max_episodes_per_day``).
MAX_EPISODES = 3


@mechanism
def episode_thresholds(rate: float, cap: int):
    """The Poisson(rate) CDF at 0, 1, 2 (infinite beyond ``cap``): a day has as many
    episodes as thresholds its uniform draw exceeds."""
    pmf = math.exp(-rate)
    cdf = pmf
    t0 = cdf
    pmf = pmf * rate / 1
    cdf = cdf + pmf
    t1 = cdf if cap > 1 else math.inf
    pmf = pmf * rate / 2
    cdf = cdf + pmf
    t2 = cdf if cap > 2 else math.inf
    return t0, t1, t2


@mechanism
def episode_count(u: float, thresholds) -> int:
    """Episodes in a day together, from one uniform draw."""
    return int(u > thresholds[0]) + int(u > thresholds[1]) + int(u > thresholds[2])


@mechanism
def need_type(u: float, p) -> int:
    """Index of the kind of need (NEED_TYPES) for a uniform draw."""
    need = 0
    for k in range(len(p.need_cdf)):
        need += p.need_cdf[k] <= u
    return min(need, len(p.need_cdf) - 1)


@mechanism
def intensity(u1: float, u2: float) -> float:
    return 0.5 * (u1 + u2)


@mechanism
def true_feeling(need: int, intensity: float) -> float:
    """Signed feeling of the person with the need: good news is positive, every other need negative."""
    return (1.0 if need == GOOD_NEWS else -1.0) * intensity


@mechanism
def threat_probability(need: int, p) -> float:
    return p.p_threat_anger if need == ANGER else p.p_threat_other
