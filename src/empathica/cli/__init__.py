"""Command line: thin shells over the Python API (``empathica --help``).

Each command module registers its commands on ``app``; ``common`` holds what they
share (one-line errors and exit codes, interrupts, a closed pipe, escaped output,
tables that fit the terminal).
"""

from __future__ import annotations

import typer

from empathica.cli import recognize, simulate, validate
from empathica.cli.common import install_signal_handlers

app = typer.Typer(
    name="empathica",
    help="Empathica: an executable model of empathy in personality pathology. "
    "A model of a theory, not a diagnostic tool.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
for _module in (simulate, recognize, validate):
    _module.register(app)


def main() -> None:
    install_signal_handlers()
    app()


__all__ = ["app", "main"]
