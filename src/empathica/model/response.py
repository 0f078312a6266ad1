"""Response: what the responder does, and whether it is kept up later (A9, A14).

    w         = projection * impulsivity * arousal            (flooded: answers own feeling)
    aim       = (1 - w) * perceived + w * own_affect
    accuracy  = clip(1 - |aim - true_feeling|, 0, 1)
    warmth    = clip(base + gain * x + warmth_noise * z, 0, 1),
                genuine:   warmth_genuine_base + warmth_genuine_concern * concern_eff
                strategic: warmth_strategic_base + warmth_strategic_audience * audience
    P(commit) = genuine:   commit_genuine_base + commit_genuine_need * need_intensity
                strategic: commit_strategic
    P(follow) = genuine:   follow_genuine - follow_dysregulation * impulsivity * arousal
                strategic: follow_strategic_watched if audience else follow_strategic_unwatched
    P(boundary respected) = boundary_base - boundary_protest * anxiety * arousal
                            - boundary_self_interest * self_interest * (1 - audience)
    self_interest = admiration_need * max(0, 1 - concern_eff), halved under a genuine motive

* Strategic empathy is calculated (A9): warm on display, promises readily, keeps
  them and respects boundaries mainly when someone is watching (A14).
* Genuine care follows through and respects boundaries whoever watches (A14), but a
  flooded, impulsive responder answers their own distress more than the other's
  (A1, A11) and may override a boundary in protest (A13).

The kernel draws the decisions (``u < probability``) and records what does not
apply as missing: no accuracy or warmth without a response, no follow-through
without a promise, no boundary respect without a request. ``p`` is the compiled
``response`` constants.
"""

from __future__ import annotations

from empathica.model.jit import clip, mechanism


@mechanism
def accuracy(
    perceived: float, own_affect: float, true_feeling: float, impulsivity: float, arousal: float, p
) -> float:
    """How well the response fits what the other actually feels."""
    w = p.projection * impulsivity * arousal
    aim = (1.0 - w) * perceived + w * own_affect
    return clip(1.0 - abs(aim - true_feeling), 0.0, 1.0)


@mechanism
def warmth(genuine: bool, concern_eff: float, audience: bool, z: float, p) -> float:
    """Warmth of a response; z is a standard normal."""
    if genuine:
        level = p.warmth_genuine_base + p.warmth_genuine_concern * concern_eff
    else:
        level = p.warmth_strategic_base + p.warmth_strategic_audience * (1.0 if audience else 0.0)
    return clip(level + p.warmth_noise * z, 0.0, 1.0)


@mechanism
def commit_probability(genuine: bool, intensity: float, p) -> float:
    """Probability of promising concrete help, given a response."""
    if genuine:
        return p.commit_genuine_base + p.commit_genuine_need * intensity
    return p.commit_strategic


@mechanism
def follow_probability(genuine: bool, audience: bool, impulsivity: float, arousal: float, p) -> float:
    """Probability that a promise is kept."""
    if genuine:
        return p.follow_genuine - p.follow_dysregulation * impulsivity * arousal
    return p.follow_strategic_watched if audience else p.follow_strategic_unwatched


@mechanism
def boundary_probability(
    genuine: bool,
    admiration_need: float,
    concern_eff: float,
    attachment_anxiety: float,
    arousal: float,
    audience: bool,
    p,
) -> float:
    """Probability that a boundary the other asked for is respected."""
    self_interest = admiration_need * max(0.0, 1.0 - concern_eff)
    if genuine:
        self_interest = 0.5 * self_interest
    unwatched = 0.0 if audience else 1.0
    return (
        p.boundary_base
        - p.boundary_protest * attachment_anxiety * arousal
        - p.boundary_self_interest * self_interest * unwatched
    )
