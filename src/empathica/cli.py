"""Command line: a thin shell over the Python API (``empathica --help``)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="empathica",
    help="Empathica: an executable model of empathy in personality pathology. "
    "A model of a theory, not a diagnostic tool.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def friendly(func: Callable) -> Callable:
    """Turn input errors into one line on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        from empathica.errors import EmpathicaInputError

        try:
            return func(*args, **kwargs)
        except EmpathicaInputError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted")

    return wrapper


def parse_traits(items: list[str]) -> dict[str, dict[str, float]]:
    """``["bpd.emotion_regulation=0.4", "impulsivity=0.2"]`` -> overrides by profile."""
    from empathica.errors import EmpathicaInputError

    out: dict[str, dict[str, float]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        profile, dot, trait = key.rpartition(".")
        if not sep or not trait:
            raise EmpathicaInputError(
                f"bad --trait {item!r}: write PROFILE.TRAIT=VALUE (or TRAIT=VALUE for all)"
            )
        try:
            number = float(value)
        except ValueError:
            raise EmpathicaInputError(f"bad --trait {item!r}: {value!r} is not a number") from None
        out.setdefault(profile if dot else "*", {})[trait] = number
    return out


def _progress():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    )


def _print_summary(summary, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from empathica.summary import SUMMARY_COLUMNS

    # Side by side: one column per (pairing, responder), one row per measure.
    table = Table(title=title)
    table.add_column("measure", no_wrap=True)
    for _, row in summary.iterrows():
        table.add_column(f"{row['responder']} responds\nin {row['pair']}", justify="right")
    for col in summary.columns[2:]:
        table.add_row(col, *[_fmt(v) for v in summary[col]])
    Console(width=max(100, 24 + 16 * len(summary))).print(table)
    legend = "; ".join(f"{k}: {v}" for k, v in SUMMARY_COLUMNS.items() if k in summary.columns[2:])
    Console(width=100).print(f"[dim]{legend}[/dim]")


def _fmt(value) -> str:
    if isinstance(value, float):
        return "-" if value != value else f"{value:.3f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def _run(out, pairs, dyads, days, seed, fmt, title, **kwargs):
    from empathica.simulation import make_layout, simulate_to_files

    n_total = make_layout(pairs, dyads, kwargs.get("overrides"), kwargs.get("extra_profiles")).n_dyads
    with _progress() as progress:
        task = progress.add_task("simulating dyad-days", total=n_total * days)
        report = simulate_to_files(
            out, pairs, dyads, days, seed, fmt, on_day=lambda n: progress.advance(task, n), **kwargs
        )
    _print_summary(report.summary, title)
    typer.echo(
        f"{report.n_episodes:,} episodes, {report.n_dyads:,} dyads x {days} days in "
        f"{report.seconds:.1f} s ({report.agent_episodes_per_second:,.0f} agent-episodes/s)"
    )
    typer.echo("wrote " + ", ".join(str(p) for p in report.paths))
    return report


@app.command()
@friendly
def simulate(
    pair: Annotated[
        list[str] | None,
        typer.Option(help="pairing PROFILE:PROFILE; repeat for several [default: secure:secure]"),
    ] = None,
    dyads: Annotated[int, typer.Option(help="dyads per pairing")] = 100,
    days: Annotated[int, typer.Option(help="days to simulate (one step = one day)")] = 365,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    out: Annotated[Path, typer.Option(help="output directory")] = Path("empathica-run"),
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv")] = "parquet",
    spread: Annotated[float, typer.Option(help="within-profile trait SD (0-1 scale)")] = 0.10,
    trait: Annotated[
        list[str] | None, typer.Option(help="override a trait mean: PROFILE.TRAIT=VALUE or TRAIT=VALUE")
    ] = None,
    profiles: Annotated[Path | None, typer.Option(help="TOML file with extra profiles")] = None,
    record_every: Annotated[int, typer.Option(help="trajectory row every N days")] = 1,
    chunk_size: Annotated[int, typer.Option(help="dyads per chunk (memory bound)")] = 65536,
) -> None:
    """Simulate dyads and write episodes and trajectories."""
    from empathica.profiles import load_profile_file

    extra = load_profile_file(profiles) if profiles else None
    title = "Simulated patterns by pairing and responder"
    _run(
        out,
        pair or ["secure:secure"],
        dyads,
        days,
        seed,
        fmt,
        title,
        spread=spread,
        overrides=parse_traits(trait or []),
        extra_profiles=extra,
        record_every=record_every,
        chunk_size=chunk_size,
    )


@app.command("profiles")
@friendly
def profiles_cmd(
    name: Annotated[str | None, typer.Argument(help="show one profile with sources")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="also read this TOML file")] = None,
) -> None:
    """List the profiles (trait means), or one profile with each value's source."""
    from rich.console import Console
    from rich.table import Table

    from empathica.profiles import builtin_profiles, load_profile_file, resolve_profile
    from empathica.traits import TRAIT_NAMES

    known = {**builtin_profiles(), **(load_profile_file(file) if file else {})}
    console = Console(width=200)
    if name is not None:
        prof = resolve_profile(name, known)
        table = Table(title=f"{prof.name} ({prof.family}): {prof.description}")
        table.add_column("trait")
        table.add_column("mean", justify="right")
        table.add_column("source")
        for t in TRAIT_NAMES:
            table.add_row(t, f"{prof.traits[t].value:.2f}", prof.traits[t].source)
        console.print(table)
        if prof.calibration:
            console.print(prof.calibration)
        return
    table = Table(title="Profiles (trait means on a 0-1 scale; population mean 0.5, SD 0.15)")
    table.add_column("trait")
    for prof in known.values():
        table.add_column(f"{prof.name}\n({prof.family})", justify="right")
    for t in TRAIT_NAMES:
        table.add_row(t, *[f"{p.traits[t].value:.2f}" for p in known.values()])
    console.print(table)
    console.print("Sources: `empathica profiles NAME`.")


@app.command()
@friendly
def demo(
    dyads: Annotated[int, typer.Option(help="dyads per pairing")] = 500,
    days: Annotated[int, typer.Option(help="days")] = 365,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    out: Annotated[Path, typer.Option(help="output directory")] = Path("empathica-demo"),
    validation: Annotated[bool, typer.Option(help="end with the short validation table")] = True,
) -> None:
    """The main job: four pairings for a year, side by side with the theory's predictions."""
    from empathica.demo import DEMO_PAIRS, checks

    report = _run(out, DEMO_PAIRS, dyads, days, seed, "parquet", "What the theory predicts, simulated")
    typer.echo("")
    for ok, text in checks(report.summary):
        typer.echo(("  [holds] " if ok else "  [fails] ") + text)
    if validation:
        from empathica.demo import validation_digest
        from empathica.validation import run_validation

        typer.echo("")
        typer.echo(validation_digest(run_validation(seed=seed)))


def _register_commands() -> None:
    from empathica import commands_recognize, commands_validate

    commands_recognize.register(app)
    commands_validate.register(app)


_register_commands()


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # e.g. `empathica profiles | head`
        sys.exit(0)


if __name__ == "__main__":
    main()
