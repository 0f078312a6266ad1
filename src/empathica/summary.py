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


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and their names, without converting every row to a string."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), [str(c) for c in column.cat.categories]
    codes, uniques = pd.factorize(column.astype(str))
    return codes, [str(u) for u in uniques]


def _group_sums(a: pd.Series, b: pd.Series, columns: dict[str, np.ndarray], responder: bool) -> pd.DataFrame:
    """Sum ``columns`` per (pair, responder), or per pair, with one ``bincount`` each.

    The pair is named in canonical order (``"a:b"`` with ``a <= b``) so both partners'
    rows share it; integer and boolean columns sum to integers."""
    ca, na = _codes(a)
    cb, nb = _codes(b)
    key = ca.astype(np.int64) * len(nb) + cb
    size = len(na) * len(nb)
    count = np.bincount(key, minlength=size)
    present = np.flatnonzero(count)
    rows: dict[str, list | np.ndarray] = {"pair": [], "responder": []}
    for k in present:
        x, y = na[k // len(nb)], nb[k % len(nb)]
        rows["pair"].append(f"{x}:{y}" if x <= y else f"{y}:{x}")
        rows["responder"].append(x)
    for name, values in columns.items():
        if np.ndim(values) == 0:
            summed = count * values
        else:
            summed = np.bincount(key, weights=values, minlength=size)
            if values.dtype.kind in "biu":
                summed = np.rint(summed).astype(np.int64 if values.dtype.kind == "b" else values.dtype)
        rows[name] = summed[present]
    frame = pd.DataFrame(rows)
    keys = ["pair", "responder"] if responder else ["pair"]
    if not responder:
        frame = frame.drop(columns="responder")
    return frame.groupby(keys, sort=True).sum().reset_index()


def episode_sums(episodes: pd.DataFrame) -> pd.DataFrame:
    """Additive sums per (pair, responder) so that chunks can be combined."""
    e = episodes
    paid = e["audience"].to_numpy(dtype=bool) | e["benefit"].to_numpy(dtype=bool)
    responded = e["responded"].to_numpy(dtype=bool)
    need = e["need"]
    if isinstance(need.dtype, pd.CategoricalDtype) and "good_news" in need.cat.categories:
        distress = need.cat.codes.to_numpy() != need.cat.categories.get_loc("good_news")
    else:
        distress = (need.astype(str) != "good_news").to_numpy()
    ft = e["followed_through"]
    known_ft = ft.notna().to_numpy()
    ft_val = ft.fillna(False).to_numpy(dtype=bool)
    watched = e["audience"].to_numpy(dtype=bool)
    columns = {
        "episodes": np.int64(1),
        "n_unpaid": ~paid,
        "r_unpaid": responded & ~paid,
        "n_paid": paid,
        "r_paid": responded & paid,
        "n_acc": responded,
        "s_acc": np.nan_to_num(e["accuracy"].to_numpy(dtype=float)),
        "n_dist": distress,
        "s_gain": np.where(distress, e["true_actor_arousal_gain"].to_numpy(dtype=float), 0.0),
        "s_level": np.where(distress, e["true_actor_arousal"].to_numpy(dtype=float), 0.0),
        "n_fw": known_ft & watched,
        "s_fw": ft_val & known_ft & watched,
        "n_fu": known_ft & ~watched,
        "s_fu": ft_val & known_ft & ~watched,
    }
    return _group_sums(e["true_actor_profile"], e["true_target_profile"], columns, responder=True)


def trajectory_sums(trajectories: pd.DataFrame, record_every: int = 1) -> pd.DataFrame:
    t = trajectories
    columns = {
        "dyad_days": np.int64(record_every),
        "together_days": t["together"].to_numpy().astype(np.int64) * record_every,
        "breakups": t["breakups"].to_numpy(),
        "reconciliations": t["reconciliations"].to_numpy(),
    }
    return _group_sums(t["profile_a"], t["profile_b"], columns, responder=False)


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
