"""Partner strain: how confused and how exhausted each partner is (A9, A19).

The article says strategic empathy "leaves partners confused and exhausted" (A9) and
that loved ones' responses change the strain on both sides (A19). Two states per
partner, both 0-1, follow what the partner lives through:

    surprise    = |care felt - trust|          (after each need one voiced: care against
                                                what one had come to expect)
    confusion'  = confusion + confusion_rate * (surprise - confusion)
    exhaustion' = exhaustion + load_rate * load * (1 - exhaustion)
                  - recovery * (1 + met + repairs) * exhaustion          (end of each day)

``load`` is the day's ruptures suffered and protests faced (the strain count of
``adaptation``); ``met`` the needs met warmly and ``repairs`` the repairs accepted
that day; apart, there is no load. Confusion is the running size of the gap between
the care one expected and the care one got: warmth without follow-through, care that
comes and goes, keeps it high even when the average care is fair. Exhaustion is
caregiver burden: it builds with conflict and rupture and drains with care received.

Both are read-outs of the relationship (what a partner would report in a burden or
confusion questionnaire); they do not feed back into behaviour in this version.

Sources. Relatives of people with BPD report high burden, grief and exhaustion
(Bailey & Grenyer 2013, Harv Rev Psychiatry 21:248, review); partners of people with
pathological narcissism describe confusion about the person's shifting warmth and
emotional exhaustion (Day, Townsend & Grenyer 2020, J Pers Disord; Green, MacLean &
Charles 2020). The rates are set by hand, not fitted.

``p`` is the compiled ``strain`` constants.
"""

from __future__ import annotations

from empathica.model.jit import clip, mechanism


@mechanism
def confusion(confusion_: float, care: float, trust: float, p) -> float:
    """Confusion after a voiced need: the running size of the surprise |care - trust|."""
    return clip(confusion_ + p.confusion_rate * (abs(care - trust) - confusion_), 0.0, 1.0)


@mechanism
def exhaustion(exhaustion_: float, load: float, met: float, repairs: float, p) -> float:
    """Exhaustion at the end of a day with that load, care received and repairs accepted."""
    gained = p.load_rate * load * (1.0 - exhaustion_)
    drained = p.recovery * (1.0 + met + repairs) * exhaustion_
    return clip(exhaustion_ + gained - drained, 0.0, 1.0)
