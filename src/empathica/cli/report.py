"""Commands ``report`` and ``app``: thin shells over ``empathica.report`` and ``empathica.app``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from empathica.cli.common import fail, friendly, warn
from empathica.io.terminal import visible

REPORT_HELP = (
    "Write one self-contained HTML page (no network needed: every script and style inline) for a "
    "simulation run folder, a validation output folder, or a diary (--diary FILE); --png DIR also "
    "writes static figures."
)
APP_HELP = (
    "Start the interactive dashboard on this machine (127.0.0.1): simulate a dyad, run a virtual-lab "
    "study or a validation subset, load a diary. Nothing leaves the machine."
)


@friendly
def report(
    source: Annotated[
        Path | None, typer.Argument(metavar="[FOLDER]", help="a simulate or validate --out folder")
    ] = None,
    out: Annotated[Path, typer.Option(metavar="FILE", help="the HTML file to write")] = Path("report.html"),
    diary: Annotated[Path | None, typer.Option(metavar="FILE", help="report on a diary instead")] = None,
    png: Annotated[
        Path | None, typer.Option(metavar="DIR", help="also write PNG figures into this new folder")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="replace an existing report or PNG folder")] = False,
) -> None:
    """A report you can open in a browser, offline."""
    from empathica.report import build, write_html, write_png

    if out.exists() and not force:
        fail(f"{out} exists; use --force to replace it")
    rep = build(source=source, diary=diary)
    path = write_html(rep, out, force=force)
    typer.echo(f"wrote {visible(path)}")
    if png is not None:
        paths = write_png(rep, png, force=force)
        typer.echo("wrote " + ", ".join(visible(p) for p in paths))


@friendly
def app(
    port: Annotated[int, typer.Option(metavar="N", min=1, max=65535, help="port to listen on")] = 8765,
    host: Annotated[
        str, typer.Option(metavar="ADDRESS", help="address to bind (default loopback; others need --expose)")
    ] = "127.0.0.1",
    expose: Annotated[
        bool, typer.Option("--expose", help="allow an address other than loopback (others could connect)")
    ] = False,
) -> None:
    """The dashboard, served from this machine only."""
    from empathica.app import LOOPBACK, serve

    if host not in LOOPBACK:
        if not expose:
            fail(f"refusing to listen on {host}: the dashboard binds 127.0.0.1 unless you add --expose")
        warn(f"listening on {host}: anyone who can reach this address can use the dashboard and its data")
    typer.echo(f"Empathica dashboard on http://{visible(host)}:{port}/ (Ctrl-C to stop)")
    serve(host=host, port=port)


def register(app_: typer.Typer) -> None:
    app_.command("report", help=REPORT_HELP)(report)
    app_.command("app", help=APP_HELP)(app)
