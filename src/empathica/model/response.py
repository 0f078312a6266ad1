"""Response: what the responder does, and whether it is kept up later (A9, A14).

    w         = projection * impulsivity * arousal            (flooded: answers own feeling)
    aim       = (1 - w) * perceived + w * own_affect
    accuracy  = clip(1 - |aim - true_feeling|, 0, 1)                    if responded
    warmth    = genuine:   warmth_genuine_base + warmth_genuine_concern * concern_eff
                strategic: warmth_strategic_base + warmth_strategic_audience * audience
    P(commit) = genuine:   commit_genuine_base + commit_genuine_need * need
                strategic: commit_strategic
    P(follow) = genuine:   follow_genuine - follow_dysregulation * impulsivity * arousal
                strategic: follow_strategic_watched if audience else follow_strategic_unwatched
    P(boundary respected) = boundary_base - boundary_protest * anxiety * arousal
                            - boundary_self_interest * self_interest * (1 - audience)
    self_interest = admiration_need * (1 - concern_eff), halved under a genuine motive

* Strategic empathy is calculated (A9): warm on display, promises readily, keeps
  them and respects boundaries mainly when someone is watching (A14).
* Genuine care follows through and respects boundaries whoever watches (A14), but a
  flooded, impulsive responder answers their own distress more than the other's
  (A1, A11) and may override a boundary in protest (A13).
Missing values (NaN / NA) mark what does not apply: no accuracy or warmth without a
response, no follow-through without a promise, no boundary respect without a request.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from empathica.model.motivation import GENUINE, STRATEGIC
from empathica.model.params import ResponseParams


@dataclass(frozen=True)
class Response:
    responded: np.ndarray
    accuracy: np.ndarray  # NaN where not responded
    warmth: np.ndarray  # NaN where not responded
    committed: np.ndarray
    followed_through: np.ndarray  # float 1/0, NaN where nothing was promised
    boundary_respected: np.ndarray  # float 1/0, NaN where no boundary was asked


def respond(
    motive: np.ndarray,
    perceived: np.ndarray,
    true_feeling: np.ndarray,
    own_affect: np.ndarray,
    need: np.ndarray,
    concern_eff: np.ndarray,
    impulsivity: np.ndarray,
    arousal: np.ndarray,
    attachment_anxiety: np.ndarray,
    admiration_need: np.ndarray,
    audience: np.ndarray,
    boundary_asked: np.ndarray,
    u_commit: np.ndarray,
    u_follow: np.ndarray,
    u_boundary: np.ndarray,
    z_warmth: np.ndarray,
    p: ResponseParams,
) -> Response:
    genuine = motive == GENUINE
    strategic = motive == STRATEGIC
    responded = genuine | strategic

    w = p.projection * impulsivity * arousal
    aim = (1.0 - w) * perceived + w * own_affect
    accuracy = np.clip(1.0 - np.abs(aim - true_feeling), 0.0, 1.0)

    warmth = np.where(
        genuine,
        p.warmth_genuine_base + p.warmth_genuine_concern * concern_eff,
        p.warmth_strategic_base + p.warmth_strategic_audience * audience,
    )
    warmth = np.clip(warmth + p.warmth_noise * z_warmth, 0.0, 1.0)

    p_commit = np.where(genuine, p.commit_genuine_base + p.commit_genuine_need * need, p.commit_strategic)
    committed = responded & (u_commit < p_commit)

    p_follow = np.where(
        genuine,
        p.follow_genuine - p.follow_dysregulation * impulsivity * arousal,
        np.where(audience, p.follow_strategic_watched, p.follow_strategic_unwatched),
    )
    followed = u_follow < p_follow

    self_interest = admiration_need * np.maximum(0.0, 1.0 - concern_eff)
    self_interest = np.where(genuine, 0.5 * self_interest, self_interest)
    p_boundary = (
        p.boundary_base
        - p.boundary_protest * attachment_anxiety * arousal
        - p.boundary_self_interest * self_interest * (1.0 - audience)
    )
    respected = u_boundary < p_boundary

    nan = np.nan
    return Response(
        responded=responded,
        accuracy=np.where(responded, accuracy, nan),
        warmth=np.where(responded, warmth, nan),
        committed=committed,
        followed_through=np.where(committed, followed.astype(float), nan),
        boundary_respected=np.where(boundary_asked, respected.astype(float), nan),
    )
