"""Command ``validate``: a thin shell over ``empathica.validation.run_validation``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from empathica.cli.common import friendly, progress
from empathica.io.terminal import cell, console, visible

VALIDATE_HELP = (
    "Run every claim of the article (A1-A19) and every published finding (L1-L11) as a virtual "
    "experiment on the article and the evidence profiles; print the table and, with --out, write it "
    "as Markdown, JSON and CSV. Exit 1 when an article claim fails on the article profiles or a "
    "finding fails on the evidence profiles."
)

#: Columns of the terminal table, widest terminals first: (column, max width, needed terminal width).
_COLUMNS = (
    ("key", None, 0),
    ("expected", 30, 0),
    ("article", None, 0),
    ("evidence", None, 0),
    ("metric", 34, 150),
    ("claim", 34, 190),
    ("source", 22, 220),
    ("replication at paper N", 16, 240),
)


@friendly
def validate(
    out: Annotated[
        Path | None, typer.Option(metavar="DIR", help="write validation.md/.json/.csv into this new folder")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="replace earlier results in --out")] = False,
    only: Annotated[
        str | None, typer.Option(metavar="IDS", help="run a subset: ids or keys, comma-separated, e.g. A4,L5")
    ] = None,
    seed: Annotated[int, typer.Option(metavar="N", help="random seed (a non-negative integer)")] = 0,
    json_out: Annotated[
        bool, typer.Option("--json", help="print the rows as JSON instead of the table")
    ] = False,
) -> None:
    """Validate the model: claims and findings as virtual experiments with verdicts."""
    from empathica.io.rundir import check_target
    from empathica.model.streams import check_seed
    from empathica.validation.report import failed_rows, parse_only, run_validation, wide, write

    parse_only(only)
    check_seed(seed)
    if out is not None:
        check_target(out, force=force)  # refuse before the run, not after it
    with progress() as bar:
        task = bar.add_task("virtual experiments", total=None)
        df = run_validation(
            only=only,
            seed=seed,
            on_progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    paths = write(df, out, force=force) if out is not None else []
    if json_out:
        import json

        from empathica.io.terminal import json_text

        records = json.loads(df.to_json(orient="records"))
        sys.stdout.write(json_text(json.dumps(records, indent=1, ensure_ascii=False)) + "\n")
    else:
        _print_table(wide(df))
        counted = df[df["counted"]]
        typer.echo(
            f"{len(counted)} counted rows: {int((counted['verdict'] == 'pass').sum())} pass, "
            f"{len(failed_rows(df))} fail; {int((df['verdict'] == 'pending').sum())} pending "
            f"({df.attrs['seconds']:.1f} s)"
        )
        if paths:
            typer.echo("wrote " + ", ".join(visible(p) for p in paths))
    failing = failed_rows(df)
    if len(failing):
        typer.echo(
            "failing: "
            + ", ".join(f"{k} ({f})" for k, f in zip(failing["key"], failing["profile_family"], strict=True)),
            err=True,
        )
        raise typer.Exit(1)


def _print_table(w) -> None:
    from rich.table import Table

    out = console()
    shown = [(c, mw) for c, mw, need in _COLUMNS if out.width >= need]
    table = Table(title="Virtual experiments: claims (A), findings (L), conflicts (C)", title_justify="left")
    for col, max_width in shown:
        no_wrap = col in ("key", "article", "evidence")
        table.add_column(col, no_wrap=no_wrap, max_width=max_width)
    for _, r in w.iterrows():
        table.add_row(
            *(_verdict_cell(r[c]) if c in ("article", "evidence") else cell(r[c]) for c, _ in shown)
        )
    out.print(table)
    hidden = [c for c, _, need in _COLUMNS if out.width < need]
    out.print(
        "[dim]value [95% interval] verdict; a verdict in parentheses is information (the other "
        "family, or a conflict row); only article claims on article profiles and findings on "
        "evidence profiles count."
        + (f" Not shown at this width: {', '.join(hidden)} (see --out files or --json)." if hidden else "")
        + "[/dim]"
    )


def _verdict_cell(text: str):
    t = cell(text)
    for word, style in (("pass", "green"), ("fail", "bold red"), ("pending", "yellow")):
        t.highlight_words([word], style=style)
    return t


def register(app: typer.Typer) -> None:
    app.command("validate", help=VALIDATE_HELP)(validate)
