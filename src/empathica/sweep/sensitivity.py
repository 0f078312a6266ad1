"""Sensitivity indices of a stored sweep (SALib), with intervals and a warning when they are wide.

Replicates of a parameter set are averaged first (the indices are about the
parameters, not the seed). SALib's rule of thumb: an index is resolved when its 95%
confidence half-width is at most 10% of the index; otherwise the table says so and how
large the base sample would need to be (half-widths shrink as 1/sqrt(n)).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from empathica.errors import EmpathicaInputError
from empathica.sweep.design import problem
from empathica.sweep.spec import spec_from_dict
from empathica.sweep.store import RunStore

#: Resolved when the confidence half-width is at most this share of the index.
RESOLVED = 0.10


def analyze(
    store: RunStore,
    sweep: str,
    metric: str | None = None,
    pair: str | None = None,
    responder: str | None = None,
) -> pd.DataFrame:
    """Indices per parameter for one output (metric of one pairing and responder)."""
    spec = spec_from_dict(json.loads(store.spec_of(sweep)))
    metric = metric or spec.metrics[0]
    if metric not in spec.metrics:
        raise EmpathicaInputError(f"the sweep has no metric {metric!r}; it has {', '.join(spec.metrics)}")
    res = store.results_of(sweep)
    if res.empty:
        raise EmpathicaInputError(f"sweep {sweep} has no results yet; run it first")
    pair = pair or spec.scenario.pairs[0]
    sel = res[res["pair"] == pair]
    responder = responder or str(sel["responder"].iloc[0]) if len(sel) else responder
    sel = sel[sel["responder"] == responder]
    if sel.empty:
        raise EmpathicaInputError(f"no results for pair {pair!r} and responder {responder!r}")
    runs = store.sql(f"SELECT run_index, sample FROM runs WHERE sweep_id = '{sweep}'")
    y = sel.merge(runs, on="run_index").groupby("sample")[metric].mean()
    n_samples = int(runs["sample"].max()) + 1
    if len(y) < n_samples:
        raise EmpathicaInputError(
            f"sweep {sweep} is incomplete ({len(y)} of {n_samples} parameter sets); rerun it to finish"
        )
    Y = y.sort_index().to_numpy(float)
    if not np.isfinite(Y).all():
        raise EmpathicaInputError(
            f"{metric} is undefined for some runs (no such episodes); choose another metric"
        )
    if np.ptp(Y) == 0:
        raise EmpathicaInputError(
            f"{metric} does not vary across the sweep ({Y[0]:.4g} in every run): no indices"
        )
    p = problem(spec)
    method = spec.design.method
    seed = int(spec.seed % (2**32))
    columns = ("S1", "S1_conf", "ST", "ST_conf")
    if method == "sobol":
        from SALib.analyze import sobol

        si = sobol.analyze(p, Y, calc_second_order=spec.design.second_order, seed=seed)
    elif method == "fast":
        from SALib.analyze import fast

        si = fast.analyze(p, Y, seed=seed)
    elif method == "morris":
        from SALib.analyze import morris
        from SALib.sample import morris as morris_sample

        x = morris_sample.sample(p, spec.design.n, num_levels=spec.design.levels, seed=seed)
        si = morris.analyze(p, x, Y, num_levels=spec.design.levels, seed=seed)
        columns = ("mu_star", "mu_star_conf", "sigma")
    else:
        raise EmpathicaInputError(
            f"a {method} design has no variance-based indices: use sobol, morris or fast"
        )
    table = pd.DataFrame({"parameter": p["names"], **{c: si[c] for c in columns}})
    main, conf = ("mu_star", "mu_star_conf") if method == "morris" else ("ST", "ST_conf")
    ratio = table[conf] / table[main].abs().clip(lower=1e-12)
    table["resolved"] = ratio <= RESOLVED
    table["n_needed"] = [
        spec.design.n if ok else int(2 ** math.ceil(math.log2(spec.design.n * (r / RESOLVED) ** 2)))
        for ok, r in zip(table["resolved"], ratio, strict=True)
    ]
    table.attrs.update(
        metric=metric, pair=pair, responder=responder, method=method, n=spec.design.n, main=main
    )
    return table.sort_values(main, ascending=False, ignore_index=True)


def figure(table: pd.DataFrame):
    """Bars of the main index per parameter with their 95% intervals."""
    import plotly.graph_objects as go

    from empathica.report.figures import BLUE, LAYOUT

    main = table.attrs.get("main", "ST")
    fig = go.Figure()
    fig.add_bar(
        x=table["parameter"],
        y=table[main],
        error_y={"type": "data", "array": table[f"{main}_conf"]},
        marker_color=BLUE,
        name=main,
    )
    if "S1" in table and main != "S1":
        fig.add_bar(
            x=table["parameter"],
            y=table["S1"],
            error_y={"type": "data", "array": table["S1_conf"]},
            marker_color="#E69F00",
            name="S1",
        )
    a = table.attrs
    fig.update_layout(
        barmode="group",
        height=420,
        yaxis_title="index",
        title=f"Sensitivity of {a.get('metric')} ({a.get('pair')}, {a.get('responder')} responds)",
        **LAYOUT,
    )
    return fig


def save_png(table: pd.DataFrame, path) -> None:
    """The same bars as ``figure``, drawn with matplotlib for a paper."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    main = table.attrs.get("main", "ST")
    x = np.arange(len(table))
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.bar(x - 0.2, table[main], 0.4, yerr=table[f"{main}_conf"], label=main, color="#0072B2", capsize=3)
    if "S1" in table and main != "S1":
        ax.bar(x + 0.2, table["S1"], 0.4, yerr=table["S1_conf"], label="S1", color="#E69F00", capsize=3)
    ax.set_xticks(x, table["parameter"], rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("index")
    a = table.attrs
    ax.set_title(f"{a.get('metric')} ({a.get('pair')}, {a.get('responder')} responds)", fontsize=10)
    ax.legend(frameon=False)
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
