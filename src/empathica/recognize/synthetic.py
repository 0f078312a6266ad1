"""Synthetic diaries with a known per-actor rate structure, for validation and tests.

Not the simulator: each actor has fixed true cell rates drawn by motive group, and
the diary keeps the truth in hidden ``true_*`` columns, so the recognizer can be
checked against it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from empathica.recognize.counts import _B0, _B1, _F0, _F1, _R0, _R0T, _R1, _R1T, BEHAVIOURS, CELLS, DELTA

#: Motive mixes of the synthetic generator.
SYNTHETIC_GROUPS: tuple[str, ...] = ("genuine", "strategic", "mixed", "defensive")


def true_share(rates: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """The conditional share S from true cell rates (..., 8)."""
    w = np.array([b[3] for b in BEHAVIOURS]) if weights is None else np.asarray(weights)
    num = sum(
        wb * (rates[..., hi] - rates[..., lo]) for (_, lo, hi, _), wb in zip(BEHAVIOURS, w, strict=True)
    )
    den = sum(wb * rates[..., hi] for (_, _, hi, _), wb in zip(BEHAVIOURS, w, strict=True))
    return num / den


def synthetic_rates(group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """True cell rates (n, 8) for actors of the given synthetic groups."""
    n = len(group)
    u = rng.random
    # Genuine care: about the same whatever the reward.
    g = np.empty((n, 8))
    base = rng.beta(6, 3, n)
    g[:, _R0] = base
    g[:, _R1] = np.minimum(base + u(n) * 0.12, 0.99)
    keep = 0.8 + 0.2 * u(n)
    g[:, _R0T] = g[:, _R0] * keep
    g[:, _R1T] = g[:, _R1] * keep
    ft = rng.beta(18, 2, n)
    g[:, _F0] = ft
    g[:, _F1] = np.minimum(ft + 0.05 * u(n), 0.99)
    bd = rng.beta(25, 1.5, n)
    g[:, _B0] = bd
    g[:, _B1] = np.minimum(bd + 0.03 * u(n), 0.995)
    # Strategic empathy: appears when it pays.
    s = np.empty((n, 8))
    paid = rng.beta(8, 2, n)
    s[:, _R1] = paid
    s[:, _R0] = paid * 0.3 * u(n)
    drop = 0.1 + 0.4 * u(n)
    s[:, _R0T] = s[:, _R0] * drop
    s[:, _R1T] = s[:, _R1] * drop
    s[:, _F1] = rng.beta(17, 3, n)
    s[:, _F0] = s[:, _F1] * (0.2 + 0.3 * u(n))
    s[:, _B1] = rng.beta(18, 1.5, n)
    s[:, _B0] = s[:, _B1] * (0.4 + 0.3 * u(n))
    lam = np.select(
        [group == "genuine", group == "strategic", group == "mixed"],
        [np.zeros(n), np.ones(n), u(n)],
        default=np.zeros(n),
    )
    rates = (1 - lam)[:, None] * g + lam[:, None] * s
    defensive = group == "defensive"
    rates[defensive, _R0T] = rates[defensive, _R0] * (0.05 + 0.25 * u(int(defensive.sum())))
    rates[defensive, _R1T] = rates[defensive, _R1T] * (0.05 + 0.25 * u(int(defensive.sum())))
    return np.clip(rates, 0.001, 0.999)


def synthetic_diary(
    n_actors: int = 200,
    episodes: int = 50,
    groups: tuple[str, ...] = SYNTHETIC_GROUPS,
    seed: int = 0,
    flag_noise: float = 0.0,
    outcome_noise: float = 0.0,
) -> pd.DataFrame:
    """A diary from a known per-actor rate structure (for validation and tests).

    Not the simulator: every actor has fixed true rates for the eight cells,
    drawn by group (``genuine``, ``strategic``, ``mixed``, ``defensive``), and
    contexts are drawn independently (audience 0.30, benefit 0.25, threat 0.15,
    boundary request 0.15, perspective prompt 0.10). ``flag_noise`` flips each
    recorded context flag and ``outcome_noise`` each recorded outcome with that
    probability (misremembering). Hidden columns: ``true_group``,
    ``true_share`` (the exact conditional share), ``true_conditional``
    (``true_share > 0.5``) and the eight true rates ``true_rate_<cell>``.
    """
    rng = np.random.default_rng(seed)
    group = np.array(groups, dtype=object)[np.arange(n_actors) % len(groups)]
    rates = synthetic_rates(group, rng)
    share = true_share(rates)
    n = n_actors * episodes
    actor = np.repeat(np.arange(n_actors), episodes)
    t = np.tile(np.arange(episodes), n_actors)
    audience = rng.random(n) < 0.30
    benefit = rng.random(n) < 0.25
    threat = rng.random(n) < 0.15
    boundary = rng.random(n) < 0.15
    prompt = rng.random(n) < 0.10
    paid = audience | benefit
    rc = paid.astype(int) + 2 * threat.astype(int)
    responded = rng.random(n) < rates[actor, rc]
    committed = responded & (rng.random(n) < 0.45)
    followed = rng.random(n) < rates[actor, _F0 + audience.astype(int)]
    respected = rng.random(n) < rates[actor, _B0 + audience.astype(int)]
    acc_level = np.where(group == "strategic", 0.62, 0.70)[actor]
    accuracy = np.clip(acc_level + 0.15 * rng.standard_normal(n), 0, 1).round(3)
    warmth = np.clip(0.6 + 0.15 * rng.standard_normal(n), 0, 1).round(3)

    def flip(x: np.ndarray, p: float) -> np.ndarray:
        return x ^ (rng.random(len(x)) < p) if p > 0 else x

    audience, benefit, threat, boundary = (flip(x, flag_noise) for x in (audience, benefit, threat, boundary))
    responded = flip(responded, outcome_noise)
    committed = committed & responded
    followed = flip(followed, outcome_noise)
    respected = flip(respected, outcome_noise)
    needs = np.array(["physical_pain", "social_pain", "sadness", "fear", "anger", "good_news"])
    frame = pd.DataFrame(
        {
            "episode": np.arange(1, n + 1),
            "t": t,
            "dyad": actor,
            "actor": actor,
            "target": actor + n_actors,
            "need": needs[rng.integers(0, 6, n)],
            "intensity": rng.random(n).round(3),
            "audience": audience,
            "benefit": benefit,
            "threat": threat,
            "boundary_asked": boundary,
            "perspective_prompt": prompt,
            "responded": responded,
            "accuracy": np.where(responded, accuracy, np.nan),
            "warmth": np.where(responded, warmth, np.nan),
            "committed": committed,
            "followed_through": pd.array(np.where(committed, followed, None), dtype="boolean"),
            "boundary_respected": pd.array(np.where(boundary, respected, None), dtype="boolean"),
            "true_group": group[actor],
            "true_share": share[actor],
            "true_conditional": share[actor] > DELTA,
        }
    )
    for k, cell in enumerate(CELLS):
        frame[f"true_rate_{cell}"] = rates[actor, k]
    return frame
