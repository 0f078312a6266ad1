"""Command ``validate``: a thin shell over ``empathica.validation.run_validation`` and, with
``--robustness``, over ``empathica.validation.robustness``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from empathica.cli.common import echo_wrapped, fail, friendly, progress, warn
from empathica.io.terminal import cell, console, visible

VALIDATE_HELP = (
    "Run every claim of the article (A1-A19) and every published finding (L1-L11) as a virtual "
    "experiment on the article and the evidence profiles; print the table and, with --out, write it "
    "as Markdown, JSON and CSV. Exit 1 when a counted row fails: an article claim on the article "
    "profiles or a finding on the evidence profiles, predicted or fitted (definitional rows are shown, "
    "not counted). With --robustness, re-run every counted row over five seeds, two trait spreads and "
    "each mechanism constant moved by 20%, and list the rows whose verdict flips."
)

#: Columns of the terminal table, widest terminals first: (column, max width, needed terminal width).
_COLUMNS = (
    ("key", None, 0),
    ("expected", 30, 0),
    ("article", None, 0),
    ("evidence", None, 0),
    ("basis", None, 100),
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
    robustness: Annotated[
        bool,
        typer.Option(
            "--robustness",
            help="re-run the counted rows over seeds, spreads and every constant +-20%; list fragile rows",
        ),
    ] = False,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="with --robustness (a full pass): store it, so that the default report shows the "
            "fragile count",
        ),
    ] = False,
    workers: Annotated[
        int, typer.Option(metavar="N", min=1, help="processes running --robustness variations side by side")
    ] = 2,
    posterior: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="measure the evidence rows under a calibration's posterior (empathica calibrate --out): "
            "predictive intervals, verdicts, held-out rows counted",
        ),
    ] = None,
    draws: Annotated[
        int, typer.Option(metavar="N", min=2, max=2000, help="posterior draws (--posterior)")
    ] = 20,
) -> None:
    """Validate the model: claims and findings as virtual experiments with verdicts."""
    from empathica.io.rundir import check_target
    from empathica.model.streams import check_seed
    from empathica.validation.report import failed_rows, parse_only, run_validation, summary_line, wide, write

    parse_only(only)
    check_seed(seed)
    if save and not robustness:
        fail("--save stores a robustness pass: use it with --robustness")
    if save and only:
        fail("--save stores the full robustness pass: run --robustness --save without --only")
    if out is not None:
        check_target(out, force=force)  # refuse before the run, not after it
    if robustness:
        _robustness(only, seed, workers, out, force, save, json_out)
        return
    if posterior is not None:
        if only or robustness:
            fail("--posterior measures every evidence row: use it without --only and --robustness")
        _posterior(posterior, draws, seed, out, force, json_out)
        return
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
        echo_wrapped(f"{summary_line(df)} ({df.attrs['seconds']:.1f} s)", indent=2)
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


def _posterior(folder: Path, draws: int, seed: int, out: Path | None, force: bool, json_out: bool) -> None:
    from empathica.cli.common import print_frame
    from empathica.validation.posterior import headline, posterior_validation

    with progress() as bar:
        task = bar.add_task("posterior draws", total=draws)
        df = posterior_validation(
            folder, draws=draws, seed=seed, on_progress=lambda d, t: bar.update(task, completed=d, total=t)
        )
    if json_out:
        sys.stdout.write(df.to_json(orient="records", indent=1) + "\n")
    else:
        shown = df.assign(
            interval=[
                f"{m:+.2f} [{lo:+.2f}, {hi:+.2f}]"
                for m, lo, hi in zip(df["median"], df["q05"], df["q95"], strict=True)
            ],
            set=df["set"].replace("", "-"),
        )[["key", "set", "basis", "interval", "share_pass", "verdict"]]
        print_frame(
            shown.rename(columns={"interval": "posterior median [90%]", "share_pass": "share passing"}),
            "evidence rows under the calibration's posterior",
            digits=2,
        )
        echo_wrapped(headline(df), indent=2)
    if out is not None:
        from empathica.io.rundir import RunDirectory

        manifest = {
            "command": "validate --posterior",
            "parameters": {"calibration": str(folder), "draws": draws, "seed": seed},
        }
        with RunDirectory(out, force=force, manifest=manifest) as run:
            run.write_text("posterior_validation.csv", df.to_csv(index=False))
        typer.echo(f"wrote {visible(out)}")
    failing = df[(df["verdict"] == "fail") & (df["set"] == "test")]
    if len(failing):
        typer.echo("held-out rows failing: " + ", ".join(failing["key"]), err=True)
        raise typer.Exit(1)


def _robustness(
    only: str | None, seed: int, workers: int, out: Path | None, force: bool, save: bool, json_out: bool
) -> None:
    from empathica.validation import robustness as rob

    with progress() as bar:
        task = bar.add_task("robustness: variations", total=None)
        df = rob.robustness(
            only=only,
            seed=seed,
            workers=workers,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    rows = rob.fragile_rows(df)
    paths = rob.write(df, out, force=force) if out is not None else []
    stored = rob.save(df) if save else None
    if json_out:
        import json

        from empathica.io.terminal import json_text

        records = json.loads(rows.to_json(orient="records"))
        sys.stdout.write(json_text(json.dumps(records, indent=1, ensure_ascii=False)) + "\n")
    else:
        _print_fragile(rows)
        counted = rows[rows["counted"]]
        n_def = int((rows["fragile"] & ~rows["counted"]).sum())
        echo_wrapped(
            f"robustness: {df.attrs['variations']} variations of {_rows(len(rows))}; fragile: "
            f"{int(counted['fragile'].sum())} of {len(counted)} counted rows"
            + (f", {n_def} definitional (not counted)" if n_def else "")
            + f" ({df.attrs['seconds']:.0f} s)",
            indent=2,
        )
        for label, message in df.attrs["errors"].items():
            warn(f"variation {label} failed to run: {message}")
        if paths:
            typer.echo("wrote " + ", ".join(visible(p) for p in paths))
        if stored is not None:
            typer.echo(f"stored as {visible(stored)}")
    failing = rows[rows["counted"] & (rows["baseline_verdict"] == "fail")]
    if len(failing):
        typer.echo("failing at baseline: " + ", ".join(failing["key"]), err=True)
        raise typer.Exit(1)


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _print_fragile(rows) -> None:
    from rich.table import Table

    out = console()
    fragile = rows[rows["fragile"]]
    if fragile.empty:
        out.print(f"No verdict flips under any variation ({_rows(len(rows))} re-run).")
        return
    table = Table(title="Fragile rows: verdicts that flip under a variation", title_justify="left")
    table.add_column("key", no_wrap=True)
    table.add_column("basis", no_wrap=True)
    table.add_column("baseline", no_wrap=True)
    table.add_column("flipped by (verdict then)")
    for _, r in fragile.iterrows():
        basis = r["basis"] if r["counted"] else f"({r['basis']})"
        table.add_row(
            cell(r["key"]), cell(basis), _verdict_cell(r["baseline_verdict"]), cell(r["flipped_by"])
        )
    out.print(table)
    out.print("[dim]basis in parentheses: definitional, shown but not counted.[/dim]")


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
        "family, a conflict row, or a definitional row: true by construction); only article claims "
        "on article profiles and findings on evidence profiles count, when predicted or fitted."
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
