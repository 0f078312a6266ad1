"""Commands ``simulate``, ``demo`` and ``profiles``: thin shells over ``empathica.simulation``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from empathica.cli.common import (
    command_line,
    echo_wrapped,
    friendly,
    parse_traits,
    print_stacked,
    progress,
    while_writing,
)
from empathica.io.terminal import cell, console, markup, visible

OUT_HELP = "output folder (created; must not hold results unless --force)"
FORCE_HELP = "replace earlier results in the output folder"


def _fmt(value) -> str:
    if isinstance(value, float):
        return "-" if value != value else f"{value:.3f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def print_summary(summary, title: str) -> None:
    """The summary table, one column per (pairing, responder), stacked to fit the terminal."""
    from empathica.summary import SUMMARY_COLUMNS

    out = console()
    measures = list(summary.columns[2:])
    headers = [f"{r['responder']} responds\nin {r['pair']}" for _, r in summary.iterrows()]
    columns = [[_fmt(summary[m].iloc[i]) for m in measures] for i in range(len(summary))]
    print_stacked(title, "measure", measures, headers, columns, out=out)
    for name in measures:
        if name in SUMMARY_COLUMNS:
            out.print(f"[dim]{name}: {markup(SUMMARY_COLUMNS[name])}[/dim]")


def _load_profiles(path: Path | None):
    from empathica.model.profiles import load_profile_file

    return load_profile_file(path) if path else None


def _run(out, pairs, dyads, days, seed, fmt, title, force, keep="auto", **kwargs):
    from empathica.outputs import simulate_to_files
    from empathica.simulation import make_layout

    n_total = make_layout(pairs, dyads, kwargs.get("overrides"), kwargs.get("extra_profiles")).n_dyads
    with while_writing(str(out)), progress() as bar:
        task = bar.add_task("simulating dyad-days", total=n_total * days)
        report = simulate_to_files(
            out,
            pairs,
            dyads,
            days,
            seed,
            fmt,
            on_day=lambda n: bar.advance(task, n),
            force=force,
            command=command_line(),
            keep=keep,
            **kwargs,
        )
    print_summary(report.summary, title)
    typer.echo(
        f"{report.n_episodes:,} episodes, {report.n_dyads:,} dyads x {days} days in "
        f"{report.seconds:.1f} s ({report.agent_episodes_per_second:,.0f} agent-episodes/s)"
    )
    typer.echo("wrote " + ", ".join(visible(p) for p in report.paths))
    if "episodes" not in report.kept:
        from empathica.io.rundir import human_bytes
        from empathica.outputs import estimate_output_bytes

        full = estimate_output_bytes(report.n_dyads, days, fmt, kwargs.get("record_every", 1))
        echo_wrapped(
            f"kept: {', '.join(report.kept)} (the full log would take up to about "
            f"{human_bytes(full)}: pass --keep episodes,trajectories to keep it)"
        )
    return report


@friendly
def simulate(
    pair: Annotated[
        list[str] | None,
        typer.Option(
            metavar="A:B", help="pairing PROFILE:PROFILE; repeat for several [default: secure:secure]"
        ),
    ] = None,
    dyads: Annotated[int, typer.Option(metavar="N", help="dyads per pairing")] = 100,
    days: Annotated[int, typer.Option(metavar="N", help="days to simulate (one step = one day)")] = 365,
    seed: Annotated[int, typer.Option(metavar="N", help="random seed (a non-negative integer)")] = 0,
    out: Annotated[Path, typer.Option(metavar="DIR", help=OUT_HELP)] = Path("empathica-run"),
    force: Annotated[bool, typer.Option("--force", help=FORCE_HELP)] = False,
    fmt: Annotated[str, typer.Option("--format", metavar="FMT", help="parquet or csv")] = "parquet",
    keep: Annotated[
        str,
        typer.Option(
            metavar="WHAT",
            help="outputs to keep: episodes, trajectories, summary (comma-separated; the summary "
            "table is always written), or auto: everything up to about 2 GB, else the summary",
        ),
    ] = "auto",
    spread: Annotated[float, typer.Option(metavar="SD", help="within-profile trait SD (0-1 scale)")] = 0.15,
    trait: Annotated[
        list[str] | None,
        typer.Option(metavar="P.T=V", help="override a trait mean: PROFILE.TRAIT=VALUE or TRAIT=VALUE"),
    ] = None,
    profiles: Annotated[
        Path | None, typer.Option(metavar="FILE", help="TOML file with profiles of your own")
    ] = None,
    record_every: Annotated[int, typer.Option(metavar="N", help="trajectory row every N days")] = 1,
    chunk_size: Annotated[int, typer.Option(metavar="N", help="dyads per chunk (memory bound)")] = 65536,
) -> None:
    """Simulate dyads and write episodes and trajectories (Parquet or CSV) with a manifest."""
    _run(
        out,
        pair or ["secure:secure"],
        dyads,
        days,
        seed,
        fmt,
        "Simulated patterns by pairing and responder",
        force,
        keep=keep,
        spread=spread,
        overrides=parse_traits(trait or []),
        extra_profiles=_load_profiles(profiles),
        record_every=record_every,
        chunk_size=chunk_size,
    )


@friendly
def demo(
    dyads: Annotated[int, typer.Option(metavar="N", help="dyads per pairing")] = 500,
    days: Annotated[int, typer.Option(metavar="N", help="days")] = 365,
    seed: Annotated[int, typer.Option(metavar="N", help="random seed (a non-negative integer)")] = 0,
    out: Annotated[
        Path | None, typer.Option(metavar="DIR", help="also write the runs' episodes and trajectories here")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=FORCE_HELP)] = False,
    validation: Annotated[bool, typer.Option(help="end with the short validation table")] = True,
) -> None:
    """The main job: four pairings for a year, side by side with the theory's predictions."""
    from empathica.demo import DEMO_PAIRS, checks

    title = "What the theory predicts, simulated"
    if out is not None:
        report = _run(out, DEMO_PAIRS, dyads, days, seed, "parquet", title, force)
        summary = report.summary
    else:
        from empathica.simulation import simulate_counts

        with progress() as bar:
            bar.add_task("simulating four pairings", total=None)
            summary = simulate_counts(DEMO_PAIRS, dyads, days, seed).summary
        print_summary(summary, title)
    typer.echo("")
    for ok, text in checks(summary):
        echo_wrapped(("  [holds] " if ok else "  [fails] ") + text, indent=10)
    if validation:
        from empathica.demo import validation_digest
        from empathica.validation import run_validation

        typer.echo("")
        with progress() as bar:
            task = bar.add_task("virtual experiments", total=None)
            table = run_validation(
                seed=seed, on_progress=lambda done, total: bar.update(task, completed=done, total=total)
            )
        typer.echo(validation_digest(table, width=console().width))


@friendly
def profiles(
    name: Annotated[
        str | None, typer.Argument(metavar="[NAME]", help="show one profile with sources")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--profiles", "--file", metavar="FILE", help="also read profiles from this TOML file"),
    ] = None,
) -> None:
    """List the profiles (trait means), or one profile with each value's source."""
    from rich.table import Table

    from empathica.model.profiles import builtin_profiles, resolve_profile
    from empathica.model.traits import TRAIT_NAMES

    user = _load_profiles(file) or {}
    known = {**builtin_profiles(), **user}
    out = console()
    if name is not None:
        prof = resolve_profile(name, known)
        table = Table(title=cell(f"{prof.name} ({prof.family}): {prof.description}"), title_justify="left")
        table.add_column("trait", no_wrap=True)
        table.add_column("mean", justify="right")
        table.add_column("source")
        for t in TRAIT_NAMES:
            table.add_row(t, f"{prof.traits[t].value:.2f}", cell(prof.traits[t].source))
        out.print(table)
        if prof.calibration:
            out.print(cell(prof.calibration))
        return
    names = list(known)
    print_stacked(
        "Profiles (trait means on a 0-1 scale; population mean 0.5, SD 0.15)",
        "trait",
        list(TRAIT_NAMES),
        [f"{p.name}\n({p.family})" for p in known.values()],
        [[f"{known[n].traits[t].value:.2f}" for t in TRAIT_NAMES] for n in names],
        out=out,
    )
    out.print("Sources of every value: empathica profiles NAME")


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)
    app.command("profiles")(profiles)
    app.command("demo")(demo)
