"""Commands ``sweep``, ``runs``, ``sensitivity``, ``episodes``: thin shells over ``empathica.sweep``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from empathica.cli.common import echo_wrapped, fail, friendly
from empathica.io.terminal import cell, console, visible

STORE = typer.Option(metavar="DIR", help="the run store (Parquet results and a DuckDB catalog)")
DEFAULT_STORE = Path("empathica-runs")


def _frame(df, title: str = "", limit: int = 200) -> None:
    from rich.table import Table

    out = console()
    table = Table(title=title or None, title_justify="left")
    for col in df.columns:
        table.add_column(cell(col), overflow="fold")
    for row in df.head(limit).itertuples(index=False):
        table.add_row(*(cell(f"{v:.4g}" if isinstance(v, float) else v) for v in row))
    out.print(table)
    if len(df) > limit:
        typer.echo(f"({len(df) - limit} more rows; narrow the query or use --json)")


@friendly
def sweep(
    spec: Annotated[Path, typer.Argument(metavar="SPEC.toml", help="the sweep spec (docs/scale.md)")],
    store: Annotated[Path, STORE] = DEFAULT_STORE,
    workers: Annotated[int, typer.Option(metavar="N", min=1, max=512, help="local Dask workers")] = 2,
    scheduler: Annotated[
        str | None, typer.Option(metavar="ADDRESS", help="an existing Dask scheduler, e.g. tcp://host:8786")
    ] = None,
) -> None:
    """Run a sweep (or continue an interrupted one) on Dask; results go to the run store."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from empathica.sweep import load_spec, run_sweep

    sp = load_spec(spec)
    out = console(stderr=True)
    bar = Progress(
        TextColumn("[bold]runs"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeRemainingColumn(),
        transient=True,
        console=out,
        disable=not out.is_terminal,
    )
    with bar:
        task = bar.add_task("runs", total=None, failed=0)
        rep = run_sweep(
            sp,
            store,
            workers=workers,
            scheduler=scheduler,
            on_progress=lambda done, failed, total: bar.update(
                task, completed=done + failed, total=total, failed=failed
            ),
        )
    echo_wrapped(
        f"sweep {rep.sweep_id} ({visible(sp.name)}): {rep.done} of {rep.n_runs} runs done, "
        f"{rep.failed} failed; "
        f"ran {rep.ran_now} now in {rep.seconds:.1f} s ({rep.runs_per_second:.1f} runs/s on {rep.workers} "
        f"worker(s), {rep.batch_size} runs per task)"
        + (f"; {rep.repaired} stored runs the catalog had missed were recovered" if rep.repaired else ""),
    )
    typer.echo(
        f"store: {visible(store)}; next: empathica sensitivity {rep.sweep_id} --store {visible(store)}"
    )
    if rep.failed:
        raise typer.Exit(1)


@friendly
def runs(
    store: Annotated[Path, STORE] = DEFAULT_STORE,
    sql: Annotated[
        str | None,
        typer.Option(metavar="QUERY", help="SQL over tables sweeps, runs and the view results (DuckDB)"),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print rows as JSON")] = False,
) -> None:
    """List the sweeps of a run store, or query it."""
    from empathica.sweep import RunStore

    with RunStore(store, read_only=True) as st:
        df = st.sql(sql) if sql else st.sweeps()
    if json_out:
        from empathica.io.terminal import json_text

        typer.echo(json_text(df.to_json(orient="records", date_format="iso")))
    else:
        _frame(df)


@friendly
def sensitivity(
    sweep_id: Annotated[str, typer.Argument(metavar="SWEEP_ID")],
    store: Annotated[Path, STORE] = DEFAULT_STORE,
    metric: Annotated[
        str | None, typer.Option(metavar="NAME", help="output metric (default: the first)")
    ] = None,
    pair: Annotated[str | None, typer.Option(metavar="A:B", help="pairing (default: the first)")] = None,
    responder: Annotated[
        str | None, typer.Option(metavar="PROFILE", help="responder (default: the first)")
    ] = None,
    html: Annotated[Path | None, typer.Option(metavar="FILE", help="also write a report page")] = None,
    png: Annotated[Path | None, typer.Option(metavar="FILE", help="also write the figure as PNG")] = None,
    force: Annotated[bool, typer.Option("--force", help="replace an existing report")] = False,
) -> None:
    """Sobol, Morris or FAST indices of a stored sweep, with 95% intervals."""
    from empathica.sweep import RunStore
    from empathica.sweep.sensitivity import RESOLVED, analyze, figure, save_png

    with RunStore(store, read_only=True) as st:
        table = analyze(st, sweep_id, metric, pair, responder)
    a = table.attrs
    _frame(
        table,
        f"Sensitivity of {a['metric']} ({a['pair']}, {a['responder']} responds; {a['method']}, n {a['n']})",
    )
    wide = table[~table["resolved"]]
    if len(wide):
        echo_wrapped(
            f"warning: intervals wider than {RESOLVED:.0%} of the index for "
            f"{', '.join(map(str, wide['parameter']))}: "
            f"a base sample of about {int(wide['n_needed'].max())} would resolve them (now {a['n']})."
        )
    if png is not None:
        if png.exists() and not force:
            fail(f"{png} exists; use --force to replace it")
        save_png(table, png)
        typer.echo(f"wrote {visible(png)}")
    if html is not None:
        from empathica.report import Report, write_html
        from empathica.report.html import Section, page

        fig = figure(table)
        text = page("Empathica: sensitivity", f"sweep {sweep_id}", [Section("Indices", [], [fig], [table])])
        typer.echo(
            f"wrote {visible(write_html(Report('sensitivity', text, {'sensitivity': fig}), html, force))}"
        )


@friendly
def episodes(
    run_id: Annotated[
        str, typer.Argument(metavar="RUN_ID", help="a run of the store (empathica runs --sql ...)")
    ],
    dyads: Annotated[str, typer.Option(metavar="IDS", help="dyad ids, comma-separated, e.g. 17,42")],
    store: Annotated[Path, STORE] = DEFAULT_STORE,
    out: Annotated[
        Path | None, typer.Option(metavar="FILE", help="write Parquet instead of printing")
    ] = None,
) -> None:
    """Regenerate a stored run's episode log for some dyads (bit-identical to the full run)."""
    from empathica.sweep import RunStore
    from empathica.sweep.episodes import regenerate_episodes

    try:
        ids = [int(x) for x in dyads.split(",") if x.strip()]
    except ValueError:
        fail(f"--dyads {dyads!r}: write dyad ids separated by commas, e.g. 17,42")
    with RunStore(store, read_only=True) as st:
        df = regenerate_episodes(st, run_id, ids)
    if out is not None:
        df.to_parquet(out, index=False)
        typer.echo(f"wrote {visible(out)} ({len(df)} episodes)")
    else:
        _frame(
            df[["t", "dyad", "actor", "target", "need", "audience", "benefit", "responded", "true_motive"]],
            limit=50,
        )


def register(app: typer.Typer) -> None:
    app.command("sweep", help="Run a parameter sweep on Dask (resumable; results in a run store).")(sweep)
    app.command("runs", help="List or query (--sql) the sweeps and runs of a run store.")(runs)
    app.command("sensitivity", help="Sensitivity indices (Sobol, Morris, FAST) of a stored sweep.")(
        sensitivity
    )
    app.command("episodes", help="Regenerate a stored run's episode log for chosen dyads.")(episodes)
