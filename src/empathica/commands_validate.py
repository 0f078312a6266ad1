"""Command ``empathica validate``: every claim and finding as a virtual experiment.

A thin shell over ``empathica.validation.run_validation``; heavy imports happen
inside the command so that ``empathica --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

VALIDATE_HELP = (
    "Run every claim of the article (A1-A19) and every published finding (L1-L11) as a virtual "
    "experiment on the article and the evidence profiles; print the table and write it as Markdown, "
    "JSON and CSV. Exit 1 when an article claim fails on the article profiles or a finding fails on "
    "the evidence profiles."
)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def validate_cmd(
    out: Annotated[Path, typer.Option(help="output directory for validation.md/.json/.csv")] = Path(
        "validation"
    ),
    only: Annotated[
        str | None, typer.Option(help="run a subset: ids or keys, comma-separated, e.g. A4,L5")
    ] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    json_out: Annotated[
        bool, typer.Option("--json", help="print the rows as JSON instead of the table")
    ] = False,
) -> None:
    """Validate the model: claims and findings as virtual experiments with verdicts."""
    from empathica.errors import EmpathicaInputError
    from empathica.simulation import prepare_out_dir
    from empathica.validation.report import failed_rows, parse_only, run_validation, wide, write

    try:
        parse_only(only)
        prepare_out_dir(out)  # fail before the run, not after it
        df = run_validation(only=only, seed=seed)
        paths = write(df, out)
    except EmpathicaInputError as exc:
        _fail(str(exc))
        return
    except KeyboardInterrupt:
        _fail("interrupted")
        return

    if json_out:
        sys.stdout.write(paths[1].read_text(encoding="utf-8"))
    else:
        _print_table(wide(df))
        counted = df[df["counted"]]
        typer.echo(
            f"{len(counted)} counted rows: {int((counted['verdict'] == 'pass').sum())} pass, "
            f"{len(failed_rows(df))} fail; {int((df['verdict'] == 'pending').sum())} pending "
            f"({df.attrs['seconds']:.1f} s)"
        )
        typer.echo("wrote " + ", ".join(str(p) for p in paths))
    failing = failed_rows(df)
    if len(failing):
        typer.echo(
            "failing: "
            + ", ".join(f"{k} ({f})" for k, f in zip(failing["key"], failing["profile_family"], strict=True)),
            err=True,
        )
        raise typer.Exit(1)


def _print_table(w) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Virtual experiments: claims (A), findings (L), conflicts (C)", show_lines=False)
    for col, kw in (
        ("id", {"no_wrap": True}),
        ("claim", {"max_width": 38}),
        ("source", {"max_width": 22}),
        ("metric", {"max_width": 38}),
        ("expected", {"max_width": 26}),
        ("article", {"no_wrap": True}),
        ("evidence", {"no_wrap": True}),
        ("replication at paper N", {"max_width": 16}),
    ):
        table.add_column(col, **kw)
    for _, r in w.iterrows():
        table.add_row(
            r["key"],
            r["claim"],
            r["source"],
            r["metric"],
            r["expected"],
            _color(r["article"]),
            _color(r["evidence"]),
            r["replication at paper N"],
        )
    Console(width=250).print(table)
    Console(width=120).print(
        "[dim]value [95% interval] verdict; a verdict in parentheses is information (the other "
        "family, or a conflict row); only article claims on article profiles and findings on "
        "evidence profiles count.[/dim]"
    )


def _color(cell: str) -> str:
    if cell.endswith(" pass"):
        return cell[:-5] + " [green]pass[/green]"
    if cell.endswith(" fail"):
        return cell[:-5] + " [bold red]fail[/bold red]"
    if cell.endswith("pending"):
        return cell.replace("pending", "[yellow]pending[/yellow]")
    return cell


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the CLI app."""
    app.command("validate", help=VALIDATE_HELP)(validate_cmd)
