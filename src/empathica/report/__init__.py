"""Reports: one self-contained HTML page (and optional PNG figures) for a simulation run,
a validation output or a diary, built from the Python API's DataFrames.

``build(source=..., diary=...)`` returns a ``Report`` (its HTML and the figures);
``write_html`` and ``write_png`` put it on disk atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from empathica.errors import EmpathicaInputError, EmpathicaOutputError
from empathica.io.rundir import RunDirectory, check_finished_output, read_manifest
from empathica.report import figures
from empathica.report.html import Section, page

#: Trajectory rows read for a report (a report shows sample dyads, not a whole population).
MAX_TRAJECTORY_ROWS = 5_000_000


@dataclass
class Report:
    title: str
    html: str
    figures: dict[str, object] = field(default_factory=dict)  # name -> plotly figure
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # name -> data behind a figure


def _read_table(folder: Path, name: str, columns: list[str] | None = None) -> pd.DataFrame | None:
    path = folder / f"{name}.parquet"
    if not path.exists():
        csv = folder / f"{name}.csv"
        return pd.read_csv(csv, usecols=columns) if csv.exists() else None
    return pd.read_parquet(path, columns=columns)


def run_report(folder: Path) -> Report:
    """A simulation run folder (``empathica simulate --out``)."""
    check_finished_output(folder)
    manifest = read_manifest(folder) or {}
    traj = _read_table(folder, "trajectories")
    eps = _read_table(folder, "episodes")
    if traj is None and eps is None:
        raise EmpathicaInputError(
            f"{folder}: no episodes or trajectories to show; run simulate with --keep episodes,trajectories"
        )
    command = manifest.get("command", "(command not recorded)")
    about = [f"Simulation run: {command}", "Model agents, not people: every number is a simulated pattern."]
    sections = [Section("What this is", about)]
    figs: dict[str, object] = {}
    tables: dict[str, pd.DataFrame] = {}
    if traj is not None:
        if len(traj) > MAX_TRAJECTORY_ROWS:
            keep = figures.sample_dyads(traj[["dyad", "profile_a", "profile_b"]].drop_duplicates("dyad"))
            traj = traj[traj["dyad"].isin(keep)]
        figs["trajectories"] = figures.trajectory_figure(traj)
        tables["events"] = figures.events_table(traj, figures.sample_dyads(traj))
        sections.append(
            Section(
                "Relationships over time",
                [
                    "Affect of both partners (-1 to 1) and each one's trust in the other (0 to 1) of the"
                    " first dyads of each pairing;"
                    " x marks a breakup, o a reconciliation."
                ],
                [figs["trajectories"]],
            )
        )
    if eps is not None:
        figs["responses"] = figures.response_figure(eps)
        figs["distributions"] = figures.distribution_figure(eps)
        tables["responses"] = figures.response_table(eps)
        sections.append(
            Section(
                "Responses by context",
                [
                    "Share of needs the responder answered, by whether someone watched (audience) and "
                    "whether responding paid (benefit). Care that appears only when it pays is the "
                    "strategic pattern (A4, A14)."
                ],
                [figs["responses"]],
                [tables["responses"]],
            )
        )
        sections.append(
            Section(
                "Accuracy and arousal",
                [
                    "Accuracy of responses to what the other actually felt, and the responder's arousal "
                    "(hidden ground truth of the simulation)."
                ],
                [figs["distributions"]],
            )
        )
    html = page("Empathica: simulation report", str(folder.name), sections, "empathica report")
    return Report("simulation", html, figs, tables)


def _fragile_keys() -> set[str]:
    """Rows the stored robustness pass found fragile, if it was measured for this code."""
    from empathica.validation.robustness import stored

    record = stored()
    return {r["key"] for r in record["rows"] if r.get("fragile")} if record else set()


def validation_report(folder: Path) -> Report:
    """A validation output folder (``empathica validate --out``)."""
    check_finished_output(folder)
    path = folder / "validation.json"
    if not path.exists():
        raise EmpathicaInputError(f"{folder}: no validation.json; write one with empathica validate --out")
    try:
        rows = pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, UnicodeDecodeError) as exc:
        raise EmpathicaInputError(f"{path}: not a validation output ({exc})") from None
    need = {"key", "id", "profile_family", "value", "ci_low", "ci_high", "expected", "verdict", "basis"}
    if missing := sorted(need - set(rows.columns)):
        raise EmpathicaInputError(f"{path}: not a validation output (missing {', '.join(missing)})")
    fragile = _fragile_keys()
    fig = figures.forest_figure(rows, fragile)
    counted = rows[rows.get("counted", False).astype(bool)] if "counted" in rows else rows
    summary = (
        f"{int((counted['verdict'] == 'pass').sum())} of {len(counted)} counted rows pass; "
        f"{int((rows['verdict'] == 'pending').sum())} pending. Fitted rows are hollow circles, "
        "definitional rows hollow squares, fragile rows (their verdict flips under a robustness "
        "variation) have an orange ring; grey bars are the ranges the claims and findings expect. "
        "Rows on other scales (days, shares) are in the table below."
    )
    other = figures.forest_table(rows, fragile)
    other = other[other["scale"] == "other"]
    cols = ["key", "id", "profile_family", "basis", "value", "ci_low", "ci_high", "expected", "verdict"]
    sections = [
        Section("Where the theory holds", [summary], [fig]),
        Section("All rows", [], [], [rows[[c for c in cols if c in rows]]]),
    ]
    if len(other):
        sections.insert(1, Section("Rows on other scales", [], [], [other]))
    html = page("Empathica: validation report", str(folder.name), sections, "empathica report")
    return Report("validation", html, {"forest": fig}, {"forest": figures.forest_table(rows, fragile)})


def diary_report(path: Path, max_bytes: int | None = None) -> Report:
    """A diary file: each person's patterns with intervals, what weighs most, what the numbers cannot tell."""
    from empathica.recognize import read_diary, recognize
    from empathica.recognize.limits import LIMITS
    from empathica.recognize.recognizer import INDEX_HELP

    kwargs = {} if max_bytes is None else {"max_bytes": max_bytes}
    episodes = read_diary(path, **kwargs)
    result = recognize(episodes)
    names = ["conditionality", "follow_through", "boundary_unobserved", "accuracy", "consistency"]
    fig = figures.indices_figure(result.actors, names)
    verdicts = result.actors[
        ["actor", "n_episodes", "n_unpaid", "n_paid", "p_conditional", "verdict", "note"]
    ]
    help_table = pd.DataFrame({"index": names, "meaning": [INDEX_HELP[n] for n in names]})
    sections = [
        Section("", [LIMITS], css_class="limits"),
        Section(
            "Verdicts",
            [
                "A verdict other than 'uncertain' needs at least 15 recorded moments of each kind "
                "(unpaid and paid)."
            ],
            [],
            [verdicts],
        ),
        Section("Patterns, with 90% intervals", [], [fig], [help_table]),
        Section("The episodes that weigh most", [], [], [result.evidence]),
    ]
    if result.notes:
        sections.append(Section("Left out of the analysis", list(result.notes)))
    html = page("Empathica: patterns in a diary", Path(path).name, sections, "empathica report --diary")
    return Report("diary", html, {"indices": fig}, {"verdicts": verdicts})


def sweep_report(folder: Path, sweep: str | None = None) -> Report:
    """A run store (``empathica sweep --store``): per sweep, its runs and, for variance-based
    designs, the sensitivity of every metric of every pairing and responder."""
    from empathica.sweep import RunStore
    from empathica.sweep.sensitivity import analyze, figure

    sections: list[Section] = []
    figs: dict[str, object] = {}
    tables: dict[str, pd.DataFrame] = {}
    with RunStore(folder, read_only=True) as st:
        listing = st.sweeps()
        chosen = [sweep] if sweep else list(listing["sweep_id"])
        for sid in chosen:
            spec = json.loads(st.spec_of(sid))
            res = st.results_of(sid)
            about = [
                f"Sweep {sid} ({spec['name']}): design {spec['design']['method']}, "
                f"{len(res['run_index'].unique()) if len(res) else 0} runs with results; "
                f"pairings {', '.join(spec['scenario']['pairs'])}, {spec['scenario']['dyads']} dyads, "
                f"{spec['scenario']['days']} days."
            ]
            sec = Section(f"Sweep {sid}", about, [], [listing[listing["sweep_id"] == sid]])
            if len(res) and spec["design"]["method"] in ("sobol", "morris", "fast"):
                for (pair, responder), _ in res.groupby(["pair", "responder"], observed=True):
                    for metric in spec["metrics"]:
                        try:
                            tab = analyze(st, sid, metric, pair, responder)
                        except EmpathicaInputError as exc:  # e.g. a metric undefined for this responder
                            sec.prose.append(f"{metric} ({pair}, {responder}): {exc}")
                            continue
                        name = f"{sid} {metric} {pair} {responder}"
                        figs[name] = figure(tab)
                        tables[name] = tab
                        sec.figures.append(figs[name])
            sections.append(sec)
    html = page("Empathica: sweeps and sensitivity", str(folder.name), sections, "empathica report")
    return Report("sweep", html, figs, tables)


def study_report(folder: Path) -> Report:
    """A long-horizon study (``empathica experiment STUDY --out``) or a virtual trial
    (``empathica trial --out``) folder: its figures and tables."""
    check_finished_output(folder)
    manifest = read_manifest(folder) or {}
    about = [
        "Virtual people of a model, not patients: patterns the model's mechanisms produce, "
        "not evidence that a treatment or a strategy works."
    ]
    figs: dict[str, object] = {}
    tables: dict[str, pd.DataFrame] = {}
    if manifest.get("command") == "trial":
        flow, outcomes, effects = (_read_table(folder, n) for n in ("flow", "outcomes", "effects"))
        if flow is None or outcomes is None or effects is None:
            raise EmpathicaInputError(f"{folder}: not a complete trial output (flow, outcomes, effects)")
        spec = manifest.get("parameters", {})
        primary = spec.get("primary", "misreading_stressed")
        for name in dict.fromkeys([primary, "together", "partner_exhaustion"]):
            figs[f"trial_{name}"] = figures.trial_figure(outcomes, name)
            tables[f"trial_{name}"] = outcomes[outcomes["outcome"] == name]
        sections = [
            Section("What this is", [f"Virtual trial: {spec.get('name', '')}", *about]),
            Section("Flow (enrolled, dropped out, completed)", [], [], [flow]),
            Section(
                "Outcomes by arm", ["Means with 95% intervals, by intention to treat."], list(figs.values())
            ),
            Section("Effects against the control arm", [], [], [effects]),
        ]
        html = page("Empathica: virtual trial", str(folder.name), sections, "empathica report")
        return Report("trial", html, figs, tables)
    study = manifest.get("study", "")
    table = _read_table(folder, study.replace("-", "_")) if study else None
    if table is None:
        raise EmpathicaInputError(f"{folder}: not an experiment output (no study table)")
    sections = [Section("What this is", [f"Study: {study}", *about])]
    if study == "therapy":
        figs["therapy"] = figures.therapy_figure(table)
        tables["therapy"] = figures.therapy_table(table)
    elif study == "loved-ones":
        figs["loved_ones"] = figures.loved_ones_figure(table)
        tables["loved_ones"] = figures.loved_ones_table(table)
    sections.append(Section("Figures", [], list(figs.values()), [table]))
    html = page(f"Empathica: {study} study", str(folder.name), sections, "empathica report")
    return Report("study", html, figs, tables)


def calibration_report(folder: Path) -> Report:
    """A calibration folder (``empathica calibrate --out``): predictions for the fit and
    test sets, the posterior and its identifiability, recovery and the model comparison."""
    check_finished_output(folder)
    manifest = read_manifest(folder) or {}
    names = ("predictions", "parameters", "models", "claims", "coverage", "generations", "correlations")
    t = {n: _read_table(folder, n) for n in names}
    if t["predictions"] is None or t["parameters"] is None or t["models"] is None:
        raise EmpathicaInputError(
            f"{folder}: not a complete calibration output (predictions, parameters, models)"
        )
    spec = manifest.get("parameters", {})
    timing = manifest.get("timing", {})
    figs = {"calibration": figures.calibration_figure(t["predictions"])}
    tables = {"calibration": figures.calibration_table(t["predictions"])}
    ev = t["predictions"][t["predictions"]["account"] == "evidence"]
    inside = {s: (int(g["inside90"].sum()), len(g)) for s, g in ev.groupby("set")}
    first = t["models"][t["models"]["tolerance"] == t["models"]["tolerance"].min()]
    probs = ", ".join(f"{a} {p:.3f}" for a, p in zip(first["account"], first["probability"], strict=True))
    about = [
        f"Calibration: {spec.get('name', '')} ({len(spec.get('parameter', []))} free parameters, "
        f"{len(spec.get('fit', []))} findings fitted, {len(spec.get('test', []))} held out).",
        "Published values inside the 90% posterior predictive interval: "
        + "; ".join(f"{s} set {k} of {n}" for s, (k, n) in sorted(inside.items()))
        + ".",
        f"Posterior probabilities of the accounts on the fit set, at the final epsilon: {probs}.",
        f"{timing.get('simulations', '?')} simulations on {timing.get('workers', '?')} worker(s).",
        "Virtual groups of a model fitted to published group findings: a calibration of a theory, "
        "not a measurement of any person.",
    ]
    sections = [
        Section("What this is", about),
        Section("Fit set and held-out test set", [], list(figs.values()), [ev.drop(columns=["account"])]),
        Section(
            "Posterior and identifiability",
            ["contraction = 1 - posterior variance / prior variance."],
            [],
            [t["parameters"]] + ([t["correlations"]] if t["correlations"] is not None else []),
        ),
        Section(
            "Model comparison",
            [
                "Marginal likelihoods by ABC at tolerances of the final epsilon (docs/calibrate.md); "
                "finding by finding: log10 ratios of predictive densities."
            ],
            [],
            [t["models"]] + ([t["claims"]] if t["claims"] is not None else []),
        ),
    ]
    if t["coverage"] is not None and len(t["coverage"]):
        sections.append(
            Section(
                "Parameter recovery",
                ["Coverage of synthetic true values; should be near 0.50 and 0.90."],
                [],
                [t["coverage"]],
            )
        )
    if t["generations"] is not None:
        sections.append(Section("ABC-SMC generations", [], [], [t["generations"]]))
    html = page("Empathica: calibration", str(folder.name), sections, "empathica report")
    return Report("calibration", html, figs, tables)


def build(source: str | Path | None = None, diary: str | Path | None = None) -> Report:
    """The report for a run or validation folder (``source``) or a diary file (``diary``)."""
    if (source is None) == (diary is None):
        raise EmpathicaInputError("give a run or validation folder, or --diary FILE (one of them)")
    if diary is not None:
        return diary_report(Path(diary))
    folder = Path(source)
    if not folder.is_dir():
        raise EmpathicaInputError(f"{folder}: not a folder; give a simulate or validate --out folder")
    if (folder / "validation.json").exists():
        return validation_report(folder)
    if (folder / "catalog.duckdb").exists():
        return sweep_report(folder)
    command = (read_manifest(folder) or {}).get("command")
    if command in ("trial", "experiment"):
        return study_report(folder)
    if command == "calibrate":
        return calibration_report(folder)
    return run_report(folder)


def write_html(report: Report, out: str | Path, force: bool = False) -> Path:
    """Write the page atomically: a hidden temporary file renamed into place when complete."""
    from empathica.io.files import write_file_atomic

    if Path(out).is_dir():
        raise EmpathicaOutputError(f"{out} is a folder; give a file name such as report.html")
    return write_file_atomic(out, report.html, force=force)


def write_png(report: Report, out: str | Path, force: bool = False) -> list[Path]:
    """Static figures for a paper (matplotlib), into a new results folder."""
    from empathica.report import static

    manifest = {"command": "empathica report --png", "kind": report.title}
    with RunDirectory(out, force=force, manifest=manifest, what="--png") as run:
        names = static.draw(report, run.staging)
        for name in names:
            run.add_file(name)
    return [run.target / n for n in names]
