"""What the report and the app show, as tidy tables (``*_table``) and interactive figures.

Each figure has one data step, a pure function of the API's DataFrames that returns
the numbers plotted (reused by the static PNGs of ``static``), and one drawing step
with Plotly. Plotly, because its figures are JSON plus one JavaScript file that ships
inside the Python package: a report inlines it and works with no network, and the app
serves the same file from its own loopback server.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

#: Colours: one per partner / family, readable in print and for common colour blindness.
BLUE, ORANGE, GREEN, GREY, RED = "#0072B2", "#E69F00", "#009E73", "#7f7f7f", "#D55E00"
LAYOUT = {"template": "plotly_white", "font": {"family": "system-ui, sans-serif", "size": 13}}


# ----------------------------------------------------------------- simulation runs


def sample_dyads(trajectories: pd.DataFrame, per_pair: int = 3) -> np.ndarray:
    """Dyads to draw: for each pairing the first ``per_pair`` by id (fixed, not random)."""
    first = trajectories.groupby("dyad", sort=True)[["profile_a", "profile_b"]].first()
    pair = first["profile_a"].astype(str) + ":" + first["profile_b"].astype(str)
    return np.concatenate([idx.to_numpy()[:per_pair] for _, idx in pair.groupby(pair).groups.items()])


def events_table(trajectories: pd.DataFrame, dyads: np.ndarray) -> pd.DataFrame:
    """Breakups and reconciliations of the chosen dyads: dyad, t, event."""
    t = trajectories[trajectories["dyad"].isin(dyads)]
    rows = [
        t.loc[t[col] > 0, ["dyad", "t"]].assign(event=name)
        for col, name in (("breakups", "breakup"), ("reconciliations", "reconciliation"))
    ]
    return pd.concat(rows, ignore_index=True).sort_values(["dyad", "t"], ignore_index=True)


def trajectory_figure(trajectories: pd.DataFrame, per_pair: int = 3) -> go.Figure:
    """Affect of both partners and each one's trust in the other over time for sample
    dyads; breakups (x) and reconciliations (o) marked on a's trust line."""
    dyads = sample_dyads(trajectories, per_pair)
    t = trajectories[trajectories["dyad"].isin(dyads)]
    ev = events_table(trajectories, dyads)
    fig = make_subplots(
        rows=len(dyads),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.04,
        subplot_titles=[_dyad_title(t, d) for d in dyads],
    )
    for i, d in enumerate(dyads, start=1):
        one = t[t["dyad"] == d]
        show = i == 1
        for col, name, line, group in (
            ("affect_a", "affect a", {"color": BLUE}, "a"),
            ("affect_b", "affect b", {"color": ORANGE}, "b"),
            ("trust_a", "trust a in b", {"color": BLUE, "dash": "dot"}, "trust a"),
            ("trust_b", "trust b in a", {"color": ORANGE, "dash": "dot"}, "trust b"),
        ):
            fig.add_scatter(
                x=one["t"], y=one[col], name=name, line=line, legendgroup=group, showlegend=show, row=i, col=1
            )
        for event, symbol, colour in (("breakup", "x", RED), ("reconciliation", "circle-open", GREEN)):
            days = ev[(ev["dyad"] == d) & (ev["event"] == event)]["t"]
            y = one.set_index("t").loc[days, "trust_a"] if len(days) else []
            fig.add_scatter(
                x=days,
                y=y,
                mode="markers",
                name=event,
                legendgroup=event,
                marker={"symbol": symbol, "size": 10, "color": colour},
                showlegend=show,
                row=i,
                col=1,
            )
        fig.update_yaxes(range=[-1.05, 1.05], row=i, col=1)
    fig.update_xaxes(title_text="day", row=len(dyads), col=1)
    fig.update_layout(height=170 * len(dyads) + 80, title="Sample dyads: affect, trust, breakups", **LAYOUT)
    return fig


def _dyad_title(t: pd.DataFrame, dyad) -> str:
    row = t[t["dyad"] == dyad].iloc[0]
    return f"dyad {dyad}: {row['profile_a']} (a) with {row['profile_b']} (b)"


def average_figure(daily: pd.DataFrame) -> go.Figure:
    """Mean affect, trust and satisfaction of each partner and the share together, per day."""
    fig = go.Figure()
    for col, colour, name in (
        ("affect_a", BLUE, "affect a"),
        ("affect_b", ORANGE, "affect b"),
        ("trust_a", GREEN, "trust a in b"),
        ("trust_b", GREEN, "trust b in a"),
        ("satisfaction_a", GREY, "satisfaction a"),
        ("satisfaction_b", GREY, "satisfaction b"),
        ("together", RED, "share together"),
    ):
        dash = "dash" if col.endswith("_b") and col != "affect_b" else None
        fig.add_scatter(x=daily["t"], y=daily[col], name=name, line={"color": colour, "dash": dash})
    fig.update_layout(
        title="All dyads: daily means",
        xaxis_title="day",
        yaxis={"range": [-1.05, 1.05]},
        height=380,
        **LAYOUT,
    )
    return fig


def study_figure(means: pd.DataFrame, measure: str) -> go.Figure:
    """Mean of a measure per population and condition (a virtual-lab study)."""
    fig = go.Figure()
    for i, (cond, part) in enumerate(means.groupby("condition", observed=True)):
        fig.add_bar(
            x=part["population"].astype(str),
            y=part[measure],
            name=str(cond),
            marker_color=[GREY, BLUE][i % 2],
        )
    fig.update_layout(
        barmode="group",
        title=f"{measure} by population and condition",
        yaxis_title=measure,
        height=380,
        **LAYOUT,
    )
    return fig


def response_table(episodes: pd.DataFrame) -> pd.DataFrame:
    """Response rate by responder profile and context: profile, context, rate, n."""
    e = episodes
    context = np.select(
        [e["audience"] & e["benefit"], e["audience"], e["benefit"]],
        ["audience + benefit", "audience", "benefit"],
        "neither",
    )
    g = e.assign(context=context).groupby(["true_actor_profile", "context"], observed=True)["responded"]
    out = g.agg(rate="mean", n="size").reset_index().rename(columns={"true_actor_profile": "profile"})
    order = {"neither": 0, "audience": 1, "benefit": 2, "audience + benefit": 3}
    return out.sort_values(["profile", "context"], key=lambda s: s.map(order) if s.name == "context" else s)


def response_figure(episodes: pd.DataFrame) -> go.Figure:
    """Response rate by context (audience x benefit), one group of bars per responder profile."""
    tab = response_table(episodes)
    fig = go.Figure()
    colours = {"neither": GREY, "audience": BLUE, "benefit": ORANGE, "audience + benefit": GREEN}
    for ctx, colour in colours.items():
        part = tab[tab["context"] == ctx]
        fig.add_bar(
            x=part["profile"].astype(str),
            y=part["rate"],
            name=ctx,
            marker_color=colour,
            customdata=part["n"],
            hovertemplate="%{x}, " + ctx + ": %{y:.2f} (n %{customdata})",
        )
    fig.update_layout(
        barmode="group",
        yaxis={"title": "response rate", "range": [0, 1]},
        xaxis_title="responder profile",
        title="Who responds, and when",
        height=400,
        **LAYOUT,
    )
    return fig


def distribution_figure(episodes: pd.DataFrame) -> go.Figure:
    """Accuracy of responses and the responder's arousal, per responder profile."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=["accuracy of responses", "responder's arousal"])
    colours = [BLUE, ORANGE, GREEN, RED, GREY]
    for i, (profile, part) in enumerate(episodes.groupby("true_actor_profile", observed=True)):
        c = colours[i % len(colours)]
        fig.add_histogram(
            x=part["accuracy"].dropna(),
            name=str(profile),
            histnorm="probability density",
            opacity=0.6,
            marker_color=c,
            legendgroup=str(profile),
            row=1,
            col=1,
        )
        fig.add_histogram(
            x=part["true_actor_arousal"],
            name=str(profile),
            histnorm="probability density",
            opacity=0.6,
            marker_color=c,
            legendgroup=str(profile),
            showlegend=False,
            row=1,
            col=2,
        )
    fig.update_layout(barmode="overlay", title="Accuracy and arousal", height=380, **LAYOUT)
    return fig


# -------------------------------------------------------------------------- validation

_BAND = re.compile(r"in \[([-+0-9.]+), ([-+0-9.]+)\]")
_ABOVE = re.compile(r"> ?([-+]?[0-9.]+)")
_BELOW = re.compile(r"< ?([-+]?[0-9.]+)")


def expected_range(text: str) -> tuple[float, float]:
    """The range a row's expectation text states (``g in [0.8, 1.4]``, ``g > 0.5``,
    ``|g| < 0.2``); NaN where the text names none."""
    if m := _BAND.search(text):
        return float(m[1]), float(m[2])
    if "|" in text and (m := _BELOW.search(text)):
        return -float(m[1]), float(m[1])
    if m := _ABOVE.search(text):
        return float(m[1]), np.inf
    if m := _BELOW.search(text):
        return -np.inf, float(m[1])
    return np.nan, np.nan


def forest_table(validation: pd.DataFrame, fragile: set[str] | None = None) -> pd.DataFrame:
    """Rows of the forest plot: every measured row with its interval, the expected range,
    the family, and how the row holds (basis, fragile)."""
    v = validation[validation["value"].notna() & validation["profile_family"].isin(["article", "evidence"])]
    v = v.copy()
    ranges = v["expected"].map(expected_range)
    v["expected_low"] = [r[0] for r in ranges]
    v["expected_high"] = [r[1] for r in ranges]
    v["fragile"] = v["key"].isin(fragile or set())
    v["scale"] = np.where(v["value"].abs().le(6) & v["ci_high"].abs().le(8), "effect", "other")
    return v[
        [
            "key",
            "id",
            "profile_family",
            "value",
            "ci_low",
            "ci_high",
            "expected_low",
            "expected_high",
            "verdict",
            "counted",
            "basis",
            "fragile",
            "scale",
        ]
    ].reset_index(drop=True)


def forest_figure(validation: pd.DataFrame, fragile: set[str] | None = None) -> go.Figure:
    """Every row's effect with its 95% interval against the expected range (grey), article
    and evidence profiles side by side; fitted rows hollow, fragile rows marked with a ring."""
    tab = forest_table(validation, fragile)
    tab = tab[tab["scale"] == "effect"]
    keys = list(dict.fromkeys(tab["key"]))[::-1]
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, subplot_titles=["article profiles", "evidence profiles"]
    )
    for col, family in enumerate(("article", "evidence"), start=1):
        part = tab[tab["profile_family"] == family]
        for _, r in part.iterrows():
            lo = (
                max(r["expected_low"], -6)
                if np.isfinite(r["expected_low"]) or np.isinf(r["expected_low"])
                else None
            )
            hi = (
                min(r["expected_high"], 6)
                if np.isfinite(r["expected_high"]) or np.isinf(r["expected_high"])
                else None
            )
            if lo is not None and hi is not None and not np.isnan(lo) and not np.isnan(hi):
                fig.add_scatter(
                    x=[lo, hi],
                    y=[r["key"], r["key"]],
                    mode="lines",
                    showlegend=False,
                    line={"color": "#d9d9d9", "width": 9},
                    hoverinfo="skip",
                    row=1,
                    col=col,
                )
        colour = np.where(part["verdict"].eq("pass"), GREEN, np.where(part["verdict"].eq("fail"), RED, GREY))
        fragile = np.where(part["fragile"], "fragile", "")
        ring = {
            "width": np.where(part["fragile"], 3, 1.5),
            "color": np.where(part["fragile"], ORANGE, colour),
        }
        symbol = np.where(
            part["basis"].eq("fitted"),
            "circle-open",
            np.where(part["basis"].eq("definitional"), "square-open", "circle"),
        )
        fig.add_scatter(
            x=part["value"],
            y=part["key"],
            mode="markers",
            showlegend=False,
            error_x={
                "type": "data",
                "symmetric": False,
                "array": part["ci_high"] - part["value"],
                "arrayminus": part["value"] - part["ci_low"],
                "color": "#555",
            },
            marker={"color": colour, "symbol": symbol, "size": 9, "line": ring},
            customdata=np.stack([part["verdict"], part["basis"].fillna(""), fragile], axis=1),
            hovertemplate="%{y}: %{x:.2f} (%{customdata[0]}; %{customdata[1]} %{customdata[2]})"
            "<extra></extra>",
            row=1,
            col=col,
        )
    fig.update_yaxes(categoryorder="array", categoryarray=keys)
    fig.update_xaxes(range=[-6, 6], zeroline=True, title_text="effect (g, d or r)")
    fig.update_layout(
        height=max(340, 22 * len(keys) + 160),
        title="Validation: effects against what the claim or finding expects",
        **LAYOUT,
    )
    return fig


# ----------------------------------------------------------------------------- diaries


def indices_table(actors: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Each person's indices with their 90% intervals: actor, index, mean, lo, hi, verdict."""
    rows = []
    for _, a in actors.iterrows():
        for name in names:
            rows.append(
                {
                    "actor": a["actor"],
                    "index": name,
                    "mean": a[f"{name}_mean"],
                    "lo": a[f"{name}_lo"],
                    "hi": a[f"{name}_hi"],
                    "verdict": a["verdict"],
                }
            )
    return pd.DataFrame(rows)


def indices_figure(actors: pd.DataFrame, names: list[str]) -> go.Figure:
    """Per person, each index of the recorded behaviour with its 90% interval."""
    tab = indices_table(actors, names)
    fig = make_subplots(rows=1, cols=len(names), shared_yaxes=True, subplot_titles=names)
    for col, name in enumerate(names, start=1):
        part = tab[tab["index"] == name]
        fig.add_scatter(
            x=part["mean"],
            y=part["actor"].astype(str),
            mode="markers",
            showlegend=False,
            error_x={
                "type": "data",
                "symmetric": False,
                "array": part["hi"] - part["mean"],
                "arrayminus": part["mean"] - part["lo"],
            },
            marker={"size": 10, "color": BLUE},
            row=1,
            col=col,
        )
    fig.update_layout(
        height=90 + 40 * max(1, actors.shape[0]),
        title="Patterns in the recorded behaviour, with 90% intervals",
        **LAYOUT,
    )
    return fig


# ----------------------------------------------------------------- long-horizon studies

#: The therapy outcomes drawn, with their axis titles.
THERAPY_OUTCOMES = {
    "met_cognitive": "MET cognitive",
    "met_emotional": "MET emotional",
    "misreading_stressed": "misreading under stress",
}


def therapy_table(study: pd.DataFrame) -> pd.DataFrame:
    """Therapy trajectories: change from baseline in baseline SDs, per pattern, arm, week."""
    keep = study["outcome"].isin(list(THERAPY_OUTCOMES))
    return study[keep][["person", "arm", "week", "outcome", "gain_sd", "mean", "ci_low", "ci_high"]]


def therapy_figure(study: pd.DataFrame) -> go.Figure:
    """One panel per pattern and outcome: change from baseline (SD) by week, therapy vs usual care."""
    tab = therapy_table(study)
    people = list(dict.fromkeys(tab["person"]))
    outcomes = list(THERAPY_OUTCOMES)
    fig = make_subplots(
        rows=len(people),
        cols=len(outcomes),
        shared_xaxes=True,
        subplot_titles=[f"{p}: {THERAPY_OUTCOMES[o]}" for p in people for o in outcomes],
    )
    for r, person in enumerate(people, start=1):
        for c, outcome in enumerate(outcomes, start=1):
            part = tab[(tab["person"] == person) & (tab["outcome"] == outcome)]
            for k, (arm, line) in enumerate(part.groupby("arm", sort=False)):
                fig.add_scatter(
                    x=line["week"], y=line["gain_sd"], mode="lines", name=str(arm),
                    line={"color": [GREY, BLUE][k % 2]}, showlegend=r == 1 and c == 1, row=r, col=c,
                )  # fmt: skip
    fig.update_xaxes(title_text="week", row=len(people))
    fig.update_yaxes(title_text="change (baseline SDs)", col=1)
    fig.update_layout(title="Therapy trajectories", height=300 * len(people) + 80, **LAYOUT)
    return fig


def loved_ones_table(study: pd.DataFrame) -> pd.DataFrame:
    """The strategies compared: strain on both and share still together, with intervals."""
    keep = study["outcome"].isin(["strain_both", "together", "exhaustion_partner", "exhaustion_person"])
    return study[keep][["person", "strategy", "advised", "outcome", "mean", "ci_low", "ci_high"]]


def loved_ones_figure(study: pd.DataFrame) -> go.Figure:
    """Per pattern: strain on both and share still together under each strategy (advised in blue)."""
    tab = loved_ones_table(study)
    people = list(dict.fromkeys(tab["person"]))
    panels = [("strain_both", "strain on both (0-1)"), ("together", "share still together")]
    fig = make_subplots(
        rows=len(people), cols=2, subplot_titles=[f"{p}: {t}" for p in people for _, t in panels]
    )
    for r, person in enumerate(people, start=1):
        for c, (outcome, _) in enumerate(panels, start=1):
            part = tab[(tab["person"] == person) & (tab["outcome"] == outcome)]
            fig.add_bar(
                x=part["strategy"], y=part["mean"],
                error_y={"type": "data", "symmetric": False, "array": part["ci_high"] - part["mean"],
                         "arrayminus": part["mean"] - part["ci_low"]},
                marker_color=[BLUE if a else GREY for a in part["advised"]], showlegend=False, row=r, col=c,
            )  # fmt: skip
    fig.update_layout(
        title="Loved ones' strategies over a year (blue: advised by the article)",
        height=340 * len(people) + 80,
        **LAYOUT,
    )
    return fig


def trial_figure(outcomes: pd.DataFrame, outcome: str) -> go.Figure:
    """A trial outcome by week and arm (mean with its 95% interval)."""
    part = outcomes[outcomes["outcome"] == outcome]
    fig = go.Figure()
    colours = [GREY, BLUE, ORANGE, GREEN, RED]
    for k, (arm, line) in enumerate(part.groupby("arm", sort=False)):
        fig.add_scatter(
            x=line["week"], y=line["mean"], mode="lines", name=str(arm),
            line={"color": colours[k % len(colours)]},
            error_y={"type": "data", "symmetric": False, "array": line["ci_high"] - line["mean"],
                     "arrayminus": line["mean"] - line["ci_low"]},
        )  # fmt: skip
    fig.update_layout(
        title=f"{outcome} by arm", xaxis_title="week", yaxis_title=outcome, height=360, **LAYOUT
    )
    return fig


def calibration_table(predictions: pd.DataFrame) -> pd.DataFrame:
    """Per finding and account: the predictive median and 90% interval, and the published value."""
    return predictions[["account", "key", "set", "published", "se", "median", "q05", "q95", "inside90"]]


def calibration_figure(predictions: pd.DataFrame) -> go.Figure:
    """Posterior predictive 90% intervals of the published values (evidence account: blue for
    the fit set, orange for the held-out test set), the article account's (grey) and the
    published values (black diamonds)."""
    ev = predictions[predictions["account"] == "evidence"]
    labels = [f"{k} ({s})" for k, s in zip(ev["key"], ev["set"], strict=True)]
    fig = go.Figure()
    for which, colour in (("fit", BLUE), ("test", ORANGE)):
        part = ev[ev["set"] == which]
        fig.add_scatter(
            x=part["median"], y=[f"{k} ({which})" for k in part["key"]], mode="markers",
            name=f"calibrated, {which} set", marker={"color": colour, "size": 9},
            error_x={"type": "data", "symmetric": False, "array": part["q95"] - part["median"],
                     "arrayminus": part["median"] - part["q05"]},
        )  # fmt: skip
    art = predictions[predictions["account"] == "article"].set_index("key").reindex(ev["key"])
    if art["median"].notna().any():
        fig.add_scatter(x=art["median"], y=labels, mode="markers", name="article profiles",
                        marker={"color": GREY, "size": 7, "symbol": "circle-open"})  # fmt: skip
    fig.add_scatter(x=ev["published"], y=labels, mode="markers", name="published",
                    marker={"color": "black", "size": 10, "symbol": "diamond"})  # fmt: skip
    fig.update_layout(
        title="Published findings and the calibrated model's predictions (90% intervals)",
        xaxis_title="effect (the finding's own scale)",
        height=120 + 28 * len(ev),
        yaxis={"autorange": "reversed"},
        **LAYOUT,
    )
    return fig
