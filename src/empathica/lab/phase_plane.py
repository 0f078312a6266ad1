"""The phase plane of a couple's daily affect (Gottman et al. 2002; L11): steady states and basins.

Without episodes, two partners' affect follows the map of ``relationship.daily_affect``:

    W' = r_W W + (1 - r_W) s_W + I_W(H),    H' = r_H H + (1 - r_H) s_H + I_H(W)

With influence functions that are constant beyond their thresholds, I_W takes one of
three values depending on where H is (below W's negative threshold, between, above
the positive threshold), so each pair of regions has the candidate steady state
W* = s_W + c / (1 - r_W), H* = s_H + c' / (1 - r_H). It is a steady state when it lies
in the regions assumed, and then a stable one: inside a region the map is linear
with eigenvalues r_W, r_H in (0, 1). ``steady_states`` finds them analytically;
``basins`` iterates the model's own ``daily_affect`` from a grid of starting points,
so the two can be checked against each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from empathica.model import relationship
from empathica.model.jit import compiled
from empathica.model.params import ModelParams, group_constants


@dataclass(frozen=True)
class Partner:
    """The traits the affect dynamics read."""

    emotion_regulation: float
    attachment_anxiety: float
    attachment_avoidance: float


def _regions(me: Partner, p) -> list[tuple[str, float, float, float]]:
    """(name, low, high, influence on ``me``) of the partner's affect, ``me``'s thresholds."""
    t_neg = relationship.negative_threshold(me.attachment_anxiety, p)
    t_pos = p.pos_threshold
    mid = lambda x: relationship.influence(x, me.attachment_anxiety, me.attachment_avoidance, p)  # noqa: E731
    cut = sorted([t_neg, t_pos])
    edges = [-np.inf, cut[0], cut[1], np.inf]
    out = []
    for name, lo, hi in zip(("low", "middle", "high"), edges[:-1], edges[1:], strict=True):
        if lo < hi:
            probe = hi - 1.0 if lo == -np.inf else lo + 1.0 if hi == np.inf else 0.5 * (lo + hi)
            out.append((name, lo, hi, float(mid(probe))))
    return out


def steady_states(w: Partner, h: Partner, model: ModelParams | None = None) -> pd.DataFrame:
    """Steady states of the couple's affect map: one row each (affect_w, affect_h, stable,
    and the region of each partner's affect as the other's influence function sees it)."""
    p = group_constants((model or ModelParams()).relationship)
    r_w, r_h = relationship.inertia(w.emotion_regulation, p), relationship.inertia(h.emotion_regulation, p)
    s_w = relationship.affect_set_point(w.attachment_anxiety, w.attachment_avoidance, p)
    s_h = relationship.affect_set_point(h.attachment_anxiety, h.attachment_avoidance, p)
    rows = []
    for name_h, lo_h, hi_h, c_w in _regions(w, p):  # where H lies, for W's influence function
        for name_w, lo_w, hi_w, c_h in _regions(h, p):  # where W lies, for H's
            w_star = s_w + c_w / (1.0 - r_w)
            h_star = s_h + c_h / (1.0 - r_h)
            if lo_h < h_star < hi_h and lo_w < w_star < hi_w:
                rows.append(
                    {
                        "affect_w": w_star,
                        "affect_h": h_star,
                        "stable": bool(abs(r_w) < 1 and abs(r_h) < 1),
                        "region_w": name_w,
                        "region_h": name_h,
                    }
                )
    return pd.DataFrame(rows, columns=["affect_w", "affect_h", "stable", "region_w", "region_h"])


@compiled
def _iterate(w0, h0, days, wt, ht, p):
    n = w0.shape[0]
    w_end = np.empty(n)
    h_end = np.empty(n)
    for i in range(n):
        w = w0[i]
        h = h0[i]
        for _ in range(days):
            w, h = (
                relationship.daily_affect(w, h, True, wt[0], wt[1], wt[2], p),
                relationship.daily_affect(h, w, True, ht[0], ht[1], ht[2], p),
            )
        w_end[i] = w
        h_end[i] = h
    return w_end, h_end


def basins(
    w: Partner, h: Partner, model: ModelParams | None = None, grid: int = 41, days: int = 400
) -> pd.DataFrame:
    """Where the model's affect map takes each starting point of a grid over [-1, 1]^2:
    one row per start (start_w, start_h, end_w, end_h)."""
    p = group_constants((model or ModelParams()).relationship)
    axis = np.linspace(-1.0, 1.0, grid)
    sw, sh = (a.ravel() for a in np.meshgrid(axis, axis, indexing="ij"))
    wt = np.array([w.emotion_regulation, w.attachment_anxiety, w.attachment_avoidance])
    ht = np.array([h.emotion_regulation, h.attachment_anxiety, h.attachment_avoidance])
    ew_, eh_ = _iterate(sw, sh, int(days), wt, ht, p)
    return pd.DataFrame({"start_w": sw, "start_h": sh, "end_w": ew_, "end_h": eh_})
