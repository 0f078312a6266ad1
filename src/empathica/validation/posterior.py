"""Validation under a calibration's posterior (``empathica validate --posterior DIR``).

The evidence rows are measured once per posterior draw (the draw's trait means and
constants replace the evidence profiles'), so each row gets a posterior predictive
interval of its value and the share of draws in which its criterion holds; its verdict
is "pass" when the criterion holds in at least half of them. A row in the calibration's
test set is *predicted (held out)*; one in its fit set is *fitted (calibration)*; the
others keep their basis. The headline counts the held-out rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from empathica.errors import EmpathicaInputError

#: Stream label of the draws (SeedSequence([seed, LABEL])).
_DRAWS = 5


def read_calibration(folder: str | Path):
    """The spec and the weighted posterior of a calibration folder."""
    from empathica.calibrate.spec import calibration_from_dict
    from empathica.io.rundir import check_finished_output, read_manifest

    folder = Path(folder)
    if not folder.is_dir() or (read_manifest(folder) or {}).get("command") != "calibrate":
        raise EmpathicaInputError(f"{folder}: not a calibration folder (empathica calibrate --out)")
    check_finished_output(folder)
    spec = calibration_from_dict(json.loads((folder / "spec.json").read_text()), str(folder / "spec.json"))
    post = pd.read_parquet(folder / "posterior.parquet")
    missing = [p.name for p in spec.parameter if p.name not in post.columns] + (
        [] if "weight" in post.columns else ["weight"]
    )
    if missing or post.empty:
        raise EmpathicaInputError(f"{folder}/posterior.parquet: no particles or missing {', '.join(missing)}")
    return spec, post


def posterior_validation(
    folder: str | Path,
    draws: int = 20,
    seed: int = 0,
    on_progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """One row per evidence row: its posterior predictive median and 90% interval, the
    share of draws passing, the verdict, its set in the calibration and its basis."""
    from empathica.calibrate.simulator import apply
    from empathica.lab.cohorts import Lab
    from empathica.validation.registry import REGISTRY, experiments
    from empathica.validation.report import run_validation

    spec, post = read_calibration(folder)
    experiments()
    keys = [k for k, e in REGISTRY.items() if e.family == "evidence" and not e.pending]
    rng = np.random.default_rng([seed, _DRAWS])
    w = post["weight"].to_numpy(float)
    picks = rng.choice(len(post), size=draws, p=w / w.sum())
    runs = []
    for j, i in enumerate(picks):
        if on_progress:
            on_progress(j, draws)
        theta = {p.name: float(post.iloc[i][p.name]) for p in spec.parameter}
        model, traits = apply(theta, spec.parameter)
        lab = Lab(seed=int(rng.integers(0, 2**31 - 1)), params=model, traits=traits)
        runs.append(run_validation(only=keys, lab=lab, own_family_only=True).assign(draw=j))
    if on_progress:
        on_progress(draws, draws)
    df = pd.concat(runs, ignore_index=True)
    fit, test = {f.key for f in spec.fit}, {f.key for f in spec.test}
    rows = []
    for key, g in df.groupby("key", sort=False):
        values = g["value"].to_numpy(float)
        share = float((g["verdict"] == "pass").mean())
        which = "test" if key in test else "fit" if key in fit else ""
        basis = {"test": "predicted (held out)", "fit": "fitted (calibration)"}.get(which, g["basis"].iloc[0])
        rows.append(
            dict(
                key=key,
                expected=g["expected"].iloc[0],
                set=which,
                basis=basis,
                median=float(np.median(values)),
                q05=float(np.quantile(values, 0.05)),
                q95=float(np.quantile(values, 0.95)),
                share_pass=share,
                verdict="pass" if share >= 0.5 else "fail",
                counted=bool(g["counted"].iloc[0]) or bool(which),
            )
        )
    out = pd.DataFrame(rows)
    out.attrs["calibration"] = spec.name
    out.attrs["draws"] = draws
    return out


def headline(df: pd.DataFrame) -> str:
    """Held-out rows first: they are the calibration's predictions."""

    def count(mask) -> str:
        part = df[mask]
        return f"{int((part['verdict'] == 'pass').sum())} of {len(part)}"

    other = (df["set"] == "") & df["counted"]
    return (
        f"under the posterior of {df.attrs.get('calibration', 'the calibration')} "
        f"({df.attrs.get('draws', '?')} draws): held-out test rows pass {count(df['set'] == 'test')}; "
        f"fit rows {count(df['set'] == 'fit')}; other counted evidence rows {count(other)}"
    )
