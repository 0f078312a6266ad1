"""Running the registry and reporting it: tidy rows, the side-by-side table, files.

``run_validation`` returns one row per (experiment, profile family) it ran on.
A row *counts* when the family is the experiment's own (article claims on the article
profiles, literature findings on the evidence profiles); the other family's verdict
and the conflict rows (C1, C2) are information. The run fails (``failed_rows``) when a
counted row fails.
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
from empathica.validation.registry import BRIEF_IDS, CONFLICT_IDS, experiments, known_ids

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
) -> pd.DataFrame:
    """Run the virtual experiments; one tidy row per experiment and profile family.

    only: ids (``"A4"``) or keys (``"A4"``, ``"L3.reasoning"``) to run, as a list or a
    comma-separated string; None runs everything. Deterministic for a given seed.
    on_progress(done, total) is called after each experiment.
    """
    from empathica.model.streams import check_seed

    chosen = experiments(parse_only(only))
    lab = Lab(seed=check_seed(seed))
    rows = []
    start = time.perf_counter()
    for done, exp in enumerate(chosen, start=1):
        if on_progress is not None:
            on_progress(done - 1, len(chosen))
        for family in exp.runs_on:
            expectation = exp.expectation(family)
            est = exp.run(lab, family) if exp.run is not None else None
            if est is None and not exp.pending:
                continue  # the family has no group for this experiment (n/a)
            if exp.pending:
                verdict = "pending"
            else:
                verdict = "pass" if expectation.check(est) else "fail"
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
                    "counted": family == exp.family and not exp.pending,
                    "detail": detail,
                }
            )
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    df.attrs["seconds"] = time.perf_counter() - start
    df.attrs["seed"] = seed
    df.attrs["only"] = only if only is None or isinstance(only, str) else ",".join(only)
    if on_progress is not None:
        on_progress(len(chosen), len(chosen))
    return df


def failed_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Counted rows that fail: an article claim on the article profiles or a finding on the evidence ones."""
    return df[df["counted"] & (df["verdict"] == "fail")]


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
        "| id | claim | source | metric | expected | article profiles | evidence profiles "
        "| replication at paper N |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for _, r in w.iterrows():
        cells = [
            r["key"],
            r["claim"],
            r["source"],
            r["metric"],
            r["expected"],
            r["article"],
            r["evidence"],
            r["replication at paper N"],
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    counted = df[df["counted"]]
    n_pass = int((counted["verdict"] == "pass").sum())
    n_pending = int((df["verdict"] == "pending").sum())
    notes = [
        "",
        f"Counted rows: {len(counted)}, passing: {n_pass}, failing: {len(failed_rows(df))}; "
        f"pending: {n_pending}.",
        "Values: Hedges g, r, shares or differences as named in the metric, with the 95% interval. "
        "A verdict in parentheses is information (the other family, or a conflict row C1/C2); only "
        "article claims on the article profiles and findings on the evidence profiles count.",
        "Replication at paper N: share of simulated studies with the paper's group sizes that find the "
        "effect (p < .05 in the expected direction; for a null finding: no significant difference).",
    ]
    details = ["", "Details per row:", ""]
    for _, r in df.iterrows():
        if r["detail"]:
            details.append(f"- {r['key']} ({r['profile_family']}): {r['detail']}")
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
        "parameters": {"seed": df.attrs.get("seed"), "only": df.attrs.get("only")},
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
