"""Running the registry and reporting it: tidy rows, the side-by-side table, files.

``run_validation`` returns one row per (experiment, profile family) it ran on.
A row *counts* when the family is the experiment's own (article claims on the article
profiles, literature findings on the evidence profiles) and it is not definitional;
the other family's verdict, the conflict rows (C1, C2) and the definitional rows (true
by construction) are information. Every own-family row carries its ``basis``
(predicted, fitted, definitional); the summary puts the predicted rows first. The run
fails (``failed_rows``) when a counted row fails.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from empathica.errors import EmpathicaInputError
from empathica.lab.cohorts import Lab
from empathica.model.params import ModelParams
from empathica.model.profiles import DEFAULT_SPREAD
from empathica.validation.registry import BASES, BRIEF_IDS, CONFLICT_IDS, experiments, known_ids

COLUMNS = (
    "id",
    "key",
    "claim",
    "source",
    "metric",
    "expected",
    "profile_family",
    "value",
    "ci_low",
    "ci_high",
    "replication",
    "paper_n",
    "verdict",
    "counted",
    "basis",
    "basis_note",
    "detail",
)


def parse_only(only: str | list[str] | None) -> list[str] | None:
    """``"A4,L5"`` -> ``["A4", "L5"]``; unknown ids raise an input error."""
    if only is None:
        return None
    items = [o.strip() for o in (only.split(",") if isinstance(only, str) else only) if o.strip()]
    if not items:
        return None
    unknown = [o for o in items if o not in known_ids()]
    if unknown:
        valid = ", ".join(list(BRIEF_IDS) + list(CONFLICT_IDS))
        raise EmpathicaInputError(f"unknown experiment id(s) {', '.join(unknown)}; known ids: {valid}")
    return items


def run_validation(
    only: str | list[str] | None = None,
    seed: int = 0,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    params: ModelParams | None = None,
    spread: float | None = None,
    lab: Lab | None = None,
    own_family_only: bool = False,
) -> pd.DataFrame:
    """Run the virtual experiments; one tidy row per experiment and profile family.

    only: ids (``"A4"``) or keys (``"A4"``, ``"L3.reasoning"``) to run, as a list or a
    comma-separated string; None runs everything. Deterministic for a given seed.
    on_progress(done, total) is called after each experiment.
    params, spread: the mechanism constants and the within-profile trait spread of the
    run (defaults: ``ModelParams()`` and ``DEFAULT_SPREAD``); or pass a whole ``lab``
    (its seed, constants and spread are used, and its caches reused).
    own_family_only: run each experiment only where it counts (its own family; no
    conflict rows, no pending rows): what the robustness pass needs.
    """
    from empathica.model.streams import check_seed

    chosen = experiments(parse_only(only))
    if lab is None:
        spread = DEFAULT_SPREAD if spread is None else _check_spread(spread)
        lab = Lab(seed=check_seed(seed), params=params or ModelParams(), spread=spread)
    elif params is not None or spread is not None:
        raise ValueError("pass params and spread through the lab, not beside it")
    if own_family_only:
        chosen = [e for e in chosen if e.family is not None and not e.pending]
    rows = []
    start = time.perf_counter()
    for done, exp in enumerate(chosen, start=1):
        if on_progress is not None:
            on_progress(done - 1, len(chosen))
        for family in exp.runs_on:
            if own_family_only and family != exp.family:
                continue
            expectation = exp.expectation(family)
            est = exp.run(lab, family) if exp.run is not None else None
            if est is None and not exp.pending:
                continue  # the family has no group for this experiment (n/a)
            if exp.pending:
                verdict = "pending"
            else:
                verdict = "pass" if expectation.check(est) else "fail"
            own = family == exp.family and not exp.pending
            detail = est.detail if est is not None else ""
            if exp.pending:
                detail = f"not modelled yet: {exp.pending}" + (
                    f"; closest current measure {est.value:+.2f} [{est.ci_low:+.2f}, {est.ci_high:+.2f}]"
                    if est is not None
                    else ""
                )
            rows.append(
                {
                    "id": exp.id,
                    "key": exp.key,
                    "claim": exp.claim,
                    "source": exp.source,
                    "metric": exp.metric,
                    "expected": expectation.text,
                    "profile_family": family,
                    "value": None if est is None or exp.pending else est.value,
                    "ci_low": None if est is None or exp.pending else est.ci_low,
                    "ci_high": None if est is None or exp.pending else est.ci_high,
                    "replication": None if est is None else est.replication,
                    "paper_n": exp.paper_n,
                    "verdict": verdict,
                    "counted": own and exp.basis != "definitional",
                    "basis": exp.basis if own else "",
                    "basis_note": exp.basis_note if own else "",
                    "detail": detail,
                }
            )
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    df.attrs["seconds"] = time.perf_counter() - start
    df.attrs["seed"] = lab.seed
    df.attrs["spread"] = lab.spread
    df.attrs["only"] = only if only is None or isinstance(only, str) else ",".join(only)
    if on_progress is not None:
        on_progress(len(chosen), len(chosen))
    return df


def _check_spread(spread: float) -> float:
    if not 0.0 <= spread <= 0.5:
        raise EmpathicaInputError(f"spread must be between 0 and 0.5, got {spread}")
    return float(spread)


def failed_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Counted rows that fail: an article claim on the article profiles or a finding on the
    evidence ones, predicted or fitted (definitional rows are shown, not counted)."""
    return df[df["counted"] & (df["verdict"] == "fail")]


def basis_counts(df: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Per basis (predicted, fitted, definitional): (rows, passing rows), own-family rows only."""
    out = {}
    for basis in BASES:
        sub = df[df["basis"] == basis]
        out[basis] = (len(sub), int((sub["verdict"] == "pass").sum()))
    return out


def summary_line(df: pd.DataFrame, fragile: str | None = None) -> str:
    """One line: predicted rows first (the headline), then fitted, definitional (shown, not
    counted), the fragile count of the stored robustness pass and the pending rows.
    ``fragile``: that part as text; by default read from the stored robustness result."""
    if fragile is None:
        from empathica.validation.robustness import fragile_note

        fragile = fragile_note(df)
    counts = basis_counts(df)
    (n_pred, ok_pred), (n_fit, ok_fit), (n_def, _) = (counts[b] for b in BASES)
    n_pending = int((df["verdict"] == "pending").sum())
    return (
        f"predicted: {ok_pred} of {n_pred} pass; fitted: {ok_fit} of {n_fit}; "
        f"definitional (not counted): {n_def}; {fragile}; {n_pending} pending"
    )


def _num(x, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{x:+.{digits}f}"


def _cell(row: pd.Series | None) -> str:
    if row is None:
        return "n/a"
    verdict = row["verdict"] if row["counted"] or row["verdict"] == "pending" else f"({row['verdict']})"
    if row["value"] is None or (isinstance(row["value"], float) and math.isnan(row["value"])):
        return verdict
    return f"{_num(row['value'])} [{_num(row['ci_low'])}, {_num(row['ci_high'])}] {verdict}"


def _replication(rows: list[pd.Series]) -> str:
    for r in rows:
        if r is not None and r["replication"] is not None and not pd.isna(r["replication"]) and r["counted"]:
            return f"{r['replication']:.0%} at {r['paper_n']}"
    return "-"


def wide(df: pd.DataFrame) -> pd.DataFrame:
    """One line per experiment: both families side by side."""
    out = []
    for key, grp in df.groupby("key", sort=False):
        by_family = {r["profile_family"]: r for _, r in grp.iterrows()}
        first = grp.iloc[0]
        out.append(
            {
                "id": first["id"],
                "key": key,
                "claim": first["claim"],
                "source": first["source"],
                "metric": first["metric"],
                "expected": " / ".join(dict.fromkeys(grp["expected"])),
                "basis": next((b for b in grp["basis"] if b), "-"),
                "article": _cell(by_family.get("article")),
                "evidence": _cell(by_family.get("evidence")),
                "replication at paper N": _replication(list(by_family.values())),
            }
        )
    return pd.DataFrame(out)


def markdown(df: pd.DataFrame) -> str:
    """The report as Markdown: the table, the conflict rows, and notes."""
    w = wide(df)
    lines = [
        "| id | claim | source | metric | expected | basis | article profiles | evidence profiles "
        "| replication at paper N |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for _, r in w.iterrows():
        cells = [
            r["key"],
            r["claim"],
            r["source"],
            r["metric"],
            r["expected"],
            r["basis"],
            r["article"],
            r["evidence"],
            r["replication at paper N"],
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    notes = [
        "",
        summary_line(df) + ".",
        "Values: Hedges g, r, shares or differences as named in the metric, with the 95% interval. "
        "A verdict in parentheses is information (the other family, a conflict row C1/C2, or a "
        "definitional row); only article claims on the article profiles and findings on the evidence "
        "profiles count, when they are predicted or fitted.",
        "Basis (of the row where it counts): predicted, no value was chosen for it and the equations "
        "do not force it; fitted, a trait or constant was chosen with its target; definitional, true "
        "by construction (docs/validation.md, 'What each row is').",
        "Replication at paper N: share of simulated studies with the paper's group sizes that find the "
        "effect (p < .05 in the expected direction; for a null finding: no significant difference).",
    ]
    details = ["", "Details per row:", ""]
    for _, r in df.iterrows():
        if r["detail"]:
            details.append(f"- {r['key']} ({r['profile_family']}): {r['detail']}")
        if r["basis_note"]:
            details.append(f"- {r['key']} is {r['basis']}: {r['basis_note']}")
    return "\n".join(lines + notes + details) + "\n"


def write(df: pd.DataFrame, out: str | Path, force: bool = False) -> list[Path]:
    """validation.md, validation.json (a list of rows), validation.csv and manifest.json as
    folder ``out``: it appears only when complete, and replaces earlier results only with
    ``force=True`` (``empathica.io.rundir``)."""
    import empathica
    from empathica.io.rundir import RunDirectory

    manifest = {
        "command": "validate",
        "empathica_version": empathica.__version__,
        "parameters": {
            "seed": df.attrs.get("seed"),
            "only": df.attrs.get("only"),
            "spread": df.attrs.get("spread"),
        },
        "rows": len(df),
    }
    records = json.loads(df.to_json(orient="records"))
    with RunDirectory(out, force=force, manifest=manifest) as run:
        run.write_text("validation.md", markdown(df))
        run.write_text("validation.json", json.dumps(records, indent=1, ensure_ascii=False) + "\n")
        run.write_text("validation.csv", df.to_csv(index=False))
    return [run.target / n for n in ("validation.md", "validation.json", "validation.csv")]


def short_rows(df: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Per claim id: (id, article verdict, evidence verdict). A verdict in parentheses is
    information (not the family the id counts on); ``*``: some rows of the id pending."""
    out = []
    for ident, grp in df.groupby("id", sort=False):

        def verdict(family: str, grp=grp) -> str:
            sub = grp[grp["profile_family"] == family]
            if sub.empty:
                return "-"
            if (sub["verdict"] == "pending").all():
                return "pending"
            worst = "fail" if (sub["verdict"] == "fail").any() else "pass"
            if (sub["verdict"] == "pending").any():
                worst += "*"
            return worst if sub["counted"].any() else f"({worst})"

        out.append((str(ident), verdict("article"), verdict("evidence")))
    return out


def short_table(df: pd.DataFrame) -> str:
    """Compact per-id verdicts, one line per claim id."""
    lines = ["claim  article   evidence"]
    lines += [f"{i:<6} {a:<9} {e}" for i, a, e in short_rows(df)]
    lines.append("(x): information only; *: some rows of the id pending")
    return "\n".join(lines)
