"""Commands ``empathica recognize`` and ``empathica diary-template``.

Heavy imports (pandas, numpy, the model) happen inside the commands so that
``empathica --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

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


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def recognize_cmd(
    file: Annotated[Path, typer.Argument(help="Diary file: .csv, .jsonl or .parquet.")],
    json_out: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
    actor: Annotated[
        list[str] | None,
        typer.Option("--actor", "-a", help="Report only this actor (repeatable)."),
    ] = None,
    evidence: Annotated[
        int, typer.Option("--evidence", min=0, max=50, help="Evidence episodes per actor.")
    ] = 5,
    no_pool: Annotated[
        bool,
        typer.Option("--no-pool", help="Analyse each actor on its own (uniform prior, no pooling)."),
    ] = False,
) -> None:
    from empathica.diary import DiaryError, read_diary
    from empathica.errors import EmpathicaInputError

    try:
        episodes = read_diary(file)
    except (DiaryError, EmpathicaInputError) as exc:
        _fail(str(exc))
        return
    from empathica.recognize import recognize

    try:
        result = recognize(episodes, actors=actor or None, pool=not no_pool, evidence_per_actor=evidence)
    except KeyError as exc:
        _fail(str(exc.args[0]) if exc.args else "unknown actor")
        return
    except EmpathicaInputError as exc:
        _fail(str(exc))
        return
    if json_out:
        import json

        payload = result.to_dict()
        payload["file"] = str(file)
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, allow_nan=False) + "\n")
        return
    _print_result(result, str(file))


def _interval(row: Any, name: str, pct: bool = False) -> str:
    import math

    mean, lo, hi = row[f"{name}_mean"], row[f"{name}_lo"], row[f"{name}_hi"]
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "-"
    return f"{mean:.2f} [{lo:.2f}, {hi:.2f}]"


_MORE_INDICES = (
    ("withdrawal_under_threat", "withdrawal under threat"),
    ("consistency", "consistency"),
    ("accuracy", "accuracy"),
    ("follow_through", "follow-through"),
    ("boundary_unobserved", "boundary unobserved"),
)

_VERDICT_STYLE = {"conditional": "bold red", "genuine": "bold green", "uncertain": "yellow"}


def _print_result(result: Any, source: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    actors = result.actors
    s = result.settings
    console.print(f"[bold]Recognize[/bold] {source}: patterns in recorded behaviour, not a diagnosis.")
    shown = actors.head(_TABLE_LIMIT)
    main = [
        ("episodes", None),
        ("P(mostly conditional)", None),
        ("verdict", None),
        ("conditionality", "conditionality"),
    ]
    more = [(label, name) for name, label in _MORE_INDICES]
    wide = console.width >= 150
    groups = [main + more] if wide else [main, more]
    for columns in groups:
        table = Table(header_style="bold")
        table.add_column("actor")
        for label, _ in columns:
            table.add_column(label, justify="right" if label != "verdict" else "left")
        for _, row in shown.iterrows():
            cells = [str(row["actor"])]
            for label, name in columns:
                if label == "episodes":
                    cells.append(str(int(row["n_episodes"])))
                elif label == "verdict":
                    verdict = row["verdict"]
                    cells.append(f"[{_VERDICT_STYLE[verdict]}]{verdict}[/]")
                elif name is None:
                    cells.append(f"{row['p_conditional']:.2f}")
                else:
                    cells.append(_interval(row, name))
            table.add_row(*cells)
        console.print(table)
    if len(actors) > len(shown):
        console.print(f"... and {len(actors) - len(shown)} more actors: use --json for all, or --actor NAME.")
    console.print(
        "Indices: posterior mean [90% credible interval]. "
        f"Verdict: 'conditional' when P >= {s['conditional_at']}, 'genuine' when "
        f"P <= {s['genuine_at']} and care is recorded in unpaid moments, each only when the "
        f"record moves the odds at least {s['min_bayes_factor']:g}-fold; otherwise 'uncertain'. "
        f"'Mostly conditional' = more than {s['delta']:.0%} of the care shown when someone "
        "watches or there is something to gain is missing when neither holds."
    )
    for _, row in shown.iterrows():
        if row["note"]:
            console.print(f"[yellow]{row['actor']}[/]: {row['note']}")

    ev = result.evidence
    if len(ev) and len(shown) <= _EVIDENCE_ACTORS:
        console.print()
        console.print("[bold]Episodes that weigh most[/bold] (log-odds shift of P):")
        for name, group in ev.groupby("actor", sort=False):
            console.print(f"[bold]{name}[/bold]")
            for _, e in group.iterrows():
                when = e["t"]
                if hasattr(when, "date"):
                    when = when.date()
                similar = f" (+{int(e['similar'])} similar)" if e["similar"] else ""
                arrow = "[red]+[/]" if e["weight"] > 0 else "[green]-[/]"
                console.print(
                    f"  {arrow} episode {e['episode']} (t={when}): {e['reason']}{similar}"
                    f"  [dim]{e['weight']:+.2f}[/dim]"
                )
    if result.notes:
        console.print()
        console.print("[bold]Notes[/bold]")
        for note in result.notes:
            console.print(f"  - {note}")


def diary_template_cmd(
    path: Annotated[
        Path | None, typer.Argument(help="Where to write the template (default: print it).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    from empathica.diary import diary_template

    text = diary_template()
    if path is None or str(path) == "-":
        sys.stdout.write(text)
        return
    if path.exists() and not force:
        _fail(f"{path} already exists; choose another name or pass --force to overwrite it")
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")
        return
    typer.echo(f"wrote {path}: fill in one row per episode, then run: empathica recognize {path}")


def register(app: typer.Typer) -> None:
    """Add ``recognize`` and ``diary-template`` to the command-line app."""
    app.command("recognize", help=RECOGNIZE_HELP)(recognize_cmd)
    app.command("diary-template", help=TEMPLATE_HELP)(diary_template_cmd)
