"""Summary tables of a run: what the theory predicts, per pairing and responder profile."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Columns of the demo table, with their meaning (used by the CLI and docs).
SUMMARY_COLUMNS: dict[str, str] = {
    "pair": "pairing of profiles (responder's dyad)",
    "responder": "profile of the responder (actor)",
    "episodes": "episodes in which this profile was the responder",
    "resp_unpaid": "response rate with no audience and no benefit",
    "resp_paid": "response rate with an audience or a benefit",
    "paid_lift": "resp_paid - resp_unpaid (A4)",
    "accuracy": "mean accuracy of responses to the target's true feeling (A1, A7)",
    "arousal_gain": "responder's arousal rise from another's distress (A1, L2)",
    "arousal_level": "responder's arousal after perceiving another's distress (A1)",
    "follow_watched": "promises kept when someone was watching (A9)",
    "follow_unwatched": "promises kept when nobody was watching (A9, A14)",
    "breakups_per_dyad_year": "breakups per dyad-year in this pairing (A13, L8)",
    "reconciliations_per_dyad_year": "reconciliations per dyad-year (A13, L8)",
    "together": "share of dyad-days the partners were together",
}


def episode_sums(episodes: pd.DataFrame) -> pd.DataFrame:
    """Additive sums per (pair, responder) so that chunks can be combined."""
    e = episodes
    pair = e["true_actor_profile"].astype(str) + ":" + e["true_target_profile"].astype(str)
    # A pair is named in a canonical order so both partners' rows share it.
    a, b = e["true_actor_profile"].astype(str), e["true_target_profile"].astype(str)
    pair = np.where(a <= b, a + ":" + b, b + ":" + a)
    paid = e["audience"].to_numpy() | e["benefit"].to_numpy()
    responded = e["responded"].to_numpy()
    distress = (e["need"].astype(str) != "good_news").to_numpy()
    ft = e["followed_through"]
    known_ft = ft.notna().to_numpy()
    ft_val = ft.fillna(False).to_numpy(dtype=bool)
    watched = e["audience"].to_numpy()
    frame = pd.DataFrame(
        {
            "pair": pair,
            "responder": a.to_numpy(),
            "episodes": 1,
            "n_unpaid": ~paid,
            "r_unpaid": responded & ~paid,
            "n_paid": paid,
            "r_paid": responded & paid,
            "n_acc": responded,
            "s_acc": np.nan_to_num(e["accuracy"].to_numpy()),
            "n_dist": distress,
            "s_gain": np.where(distress, e["true_actor_arousal_gain"].to_numpy(), 0.0),
            "s_level": np.where(distress, e["true_actor_arousal"].to_numpy(), 0.0),
            "n_fw": known_ft & watched,
            "s_fw": ft_val & known_ft & watched,
            "n_fu": known_ft & ~watched,
            "s_fu": ft_val & known_ft & ~watched,
        }
    )
    return frame.groupby(["pair", "responder"], sort=True).sum().reset_index()


def trajectory_sums(trajectories: pd.DataFrame, record_every: int = 1) -> pd.DataFrame:
    t = trajectories
    a, b = t["profile_a"].astype(str), t["profile_b"].astype(str)
    pair = np.where(a <= b, a + ":" + b, b + ":" + a)
    frame = pd.DataFrame(
        {
            "pair": pair,
            "dyad_days": record_every,
            "together_days": t["together"].to_numpy() * record_every,
            "breakups": t["breakups"].to_numpy(),
            "reconciliations": t["reconciliations"].to_numpy(),
        }
    )
    return frame.groupby("pair", sort=True).sum().reset_index()


def summarize(
    ep_sums: pd.DataFrame, traj_sums: pd.DataFrame | None = None, pair_order: list[str] | None = None
) -> pd.DataFrame:
    """The side-by-side table of the demo from (possibly chunk-combined) sums.

    Rows follow ``pair_order`` (canonical pair names) when given, else alphabetical order.
    """
    s = ep_sums.groupby(["pair", "responder"], sort=True).sum().reset_index()
    if pair_order:
        rank = {p: i for i, p in enumerate(dict.fromkeys(pair_order))}
        s = s.sort_values("pair", key=lambda c: c.map(rank), kind="stable").reset_index(drop=True)

    def ratio(num: str, den: str) -> pd.Series:
        return s[num] / s[den].where(s[den] > 0)

    out = pd.DataFrame(
        {
            "pair": s["pair"],
            "responder": s["responder"],
            "episodes": s["episodes"],
            "resp_unpaid": ratio("r_unpaid", "n_unpaid"),
            "resp_paid": ratio("r_paid", "n_paid"),
        }
    )
    out["paid_lift"] = out["resp_paid"] - out["resp_unpaid"]
    out["accuracy"] = ratio("s_acc", "n_acc")
    out["arousal_gain"] = ratio("s_gain", "n_dist")
    out["arousal_level"] = ratio("s_level", "n_dist")
    out["follow_watched"] = ratio("s_fw", "n_fw")
    out["follow_unwatched"] = ratio("s_fu", "n_fu")
    if traj_sums is not None and len(traj_sums):
        t = traj_sums.groupby("pair", sort=True).sum()
        years = t["dyad_days"] / 365.0
        out["breakups_per_dyad_year"] = out["pair"].map(t["breakups"] / years)
        out["reconciliations_per_dyad_year"] = out["pair"].map(t["reconciliations"] / years)
        out["together"] = out["pair"].map(t["together_days"] / t["dyad_days"])
    return out
