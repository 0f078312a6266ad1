"""Commands ``recognize`` and ``diary-template``: thin shells over ``empathica.recognize``.

Everything shown from a diary (names, file paths, reasons) is data: it is escaped
(``empathica.io.terminal``), so a diary can neither style nor command the terminal.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from empathica.cli.common import fail, friendly, progress, warn
from empathica.io.terminal import cell, console, markup, visible

RECOGNIZE_HELP = (
    "Look for patterns of genuine care vs strategic (conditional) empathy in an interaction "
    "diary (CSV, JSON lines or Parquet), per actor, with 90% credible intervals. "
    "Describes recorded behaviour; it is not a diagnosis."
)
TEMPLATE_HELP = (
    "Write an annotated diary template (CSV with '#' comment lines) to PATH, "
    "or print it when PATH is omitted."
)

_TABLE_LIMIT = 40  # actors printed in the summary table
_EVIDENCE_ACTORS = 8  # actors whose evidence is printed

_MORE_INDICES = (
    ("withdrawal_under_threat", "withdrawal under threat"),
    ("consistency", "consistency"),
    ("accuracy", "accuracy"),
    ("follow_through", "follow-through"),
    ("boundary_unobserved", "boundary unobserved"),
)
_VERDICT_STYLE = {"conditional": "bold red", "genuine": "bold green", "uncertain": "yellow"}


@friendly
def recognize(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Diary file: .csv, .jsonl or .parquet.")],
    json_out: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
    actor: Annotated[
        list[str] | None,
        typer.Option("--actor", "-a", metavar="NAME", help="Report only this actor (repeatable)."),
    ] = None,
    evidence: Annotated[
        int, typer.Option("--evidence", min=0, max=50, metavar="N", help="Evidence episodes per actor.")
    ] = 5,
    no_pool: Annotated[
        bool, typer.Option("--no-pool", help="Analyse each actor on its own (uniform prior, no pooling).")
    ] = False,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, metavar="N", help="Refuse diary files larger than this.")
    ] = 1 << 30,
) -> None:
    from empathica.recognize import recognize as run
    from empathica.recognize.diary import read_diary

    with progress() as bar:
        task = bar.add_task("reading the diary", total=2)
        episodes = read_diary(file, max_bytes=max_bytes)
        bar.update(task, completed=1, description="analysing")
        result = run(episodes, actors=actor or None, pool=not no_pool, evidence_per_actor=evidence)
        bar.update(task, completed=2)
    template_rows = int(episodes.attrs.get("diary_template_rows", 0) or 0)
    if template_rows:
        warn(
            f"{file}: {template_rows} row{'s are' if template_rows != 1 else ' is'} the template's "
            "example rows; replace them with your own episodes"
        )
    if json_out:
        import json

        from empathica.io.terminal import json_text

        payload = result.to_dict()
        payload["file"] = str(file)
        sys.stdout.write(json_text(json.dumps(payload, ensure_ascii=False, allow_nan=False)) + "\n")
        return
    _print_result(result, str(file))


def _interval(row: Any, name: str) -> str:
    mean, lo, hi = row[f"{name}_mean"], row[f"{name}_lo"], row[f"{name}_hi"]
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "-"
    return f"{mean:.2f} [{lo:.2f}, {hi:.2f}]"


def _when(t: Any) -> str:
    """`` (t=...)`` for an evidence line, or nothing when the diary has no time."""
    import pandas as pd

    if t is None or (not isinstance(t, str) and pd.isna(t)):
        return ""
    if hasattr(t, "date"):
        t = t.date()
    return f" (t={visible(t)})"


def _print_result(result: Any, source: str) -> None:
    from rich.table import Table

    out = console()
    actors = result.actors
    s = result.settings
    out.print(f"[bold]Recognize[/bold] {markup(source)}: patterns in recorded behaviour, not a diagnosis.")
    shown = actors.head(_TABLE_LIMIT)
    counts = "n_unpaid" in shown.columns
    main: list[tuple[str, str | None]] = [("episodes", None)]
    if counts:
        main += [("unpaid / paid", None)]
    main += [("P(mostly conditional)", None), ("verdict", None), ("conditionality", "conditionality")]
    more = [(label, name) for name, label in _MORE_INDICES]
    groups = [main + more] if out.width >= 170 else [main, more]
    for columns in groups:
        table = Table(header_style="bold")
        table.add_column("actor", overflow="fold")
        for label, _ in columns:
            table.add_column(label, justify="left" if label == "verdict" else "right")
        for _, row in shown.iterrows():
            cells: list[Any] = [cell(row["actor"])]
            for label, name in columns:
                if label == "episodes":
                    cells.append(str(int(row["n_episodes"])))
                elif label == "unpaid / paid":
                    cells.append(f"{int(row['n_unpaid'])} / {int(row['n_paid'])}")
                elif label == "verdict":
                    cells.append(f"[{_VERDICT_STYLE[row['verdict']]}]{row['verdict']}[/]")
                elif name is None:
                    cells.append(f"{row['p_conditional']:.2f}")
                else:
                    cells.append(_interval(row, name))
            table.add_row(*cells)
        out.print(table)
    if len(actors) > len(shown):
        out.print(f"... and {len(actors) - len(shown)} more actors: use --json for all, or --actor NAME.")
    rule = ""
    if "min_unpaid" in s:
        rule = (
            f" No verdict from a thin record: a verdict needs at least {s['min_unpaid']} unpaid and "
            f"{s['min_paid']} paid moments (unpaid: nobody watching and nothing to gain)."
        )
    out.print(
        "Indices: posterior mean [90% credible interval]. "
        f"Verdict: 'conditional' when P >= {s['conditional_at']}, 'genuine' when "
        f"P <= {s['genuine_at']} and care is recorded in unpaid moments, each only when the "
        f"record moves the odds at least {s['min_bayes_factor']:g}-fold; otherwise 'uncertain'."
        + rule
        + f" 'Mostly conditional' = more than {s['delta']:.0%} of the care shown when someone "
        "watches or there is something to gain is missing when neither holds."
    )
    for _, row in shown.iterrows():
        if row["note"]:
            out.print(f"[yellow]{markup(row['actor'])}[/]: {markup(row['note'])}")

    ev = result.evidence
    if len(ev) and len(shown) <= _EVIDENCE_ACTORS:
        out.print()
        out.print("[bold]Episodes that weigh most[/bold] (log-odds shift of P):")
        for name, group in ev.groupby("actor", sort=False):
            out.print(f"[bold]{markup(name)}[/bold]")
            for _, e in group.iterrows():
                similar = f" (+{int(e['similar'])} similar)" if e["similar"] else ""
                arrow = "[red]+[/]" if e["weight"] > 0 else "[green]-[/]"
                out.print(
                    f"  {arrow} episode {markup(e['episode'])}{markup(_when(e['t']))}: "
                    f"{markup(e['reason'])}{similar}  [dim]{e['weight']:+.2f}[/dim]"
                )
    if result.notes:
        out.print()
        out.print("[bold]Notes[/bold]")
        for note in result.notes:
            out.print(f"  - {markup(note)}")


@friendly
def diary_template(
    path: Annotated[
        Path | None, typer.Argument(metavar="[PATH]", help="Where to write the template (default: print it).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:

    from empathica.recognize.diary import diary_template as template

    text = template()
    if path is None or str(path) == "-":
        sys.stdout.write(text)
        return
    if path.exists() and not force:
        fail(f"{path} already exists; choose another name or pass --force to overwrite it")
    from empathica.errors import EmpathicaOutputError
    from empathica.io.files import write_file_atomic

    try:
        write_file_atomic(path, text, force=True)
    except EmpathicaOutputError as exc:
        fail(str(exc))
    typer.echo(
        f"wrote {visible(path)}: fill in one row per episode, then run: empathica recognize {visible(path)}"
    )


def register(app: typer.Typer) -> None:
    app.command("recognize", help=RECOGNIZE_HELP)(recognize)
    app.command("diary-template", help=TEMPLATE_HELP)(diary_template)
