"""The command-line app: every command module registers its commands on ``app``."""

from __future__ import annotations

import typer

from empathica.cli import calibrate, recognize, report, simulate, sweep, trial, validate

app = typer.Typer(
    name="empathica",
    help="Empathica: an executable model of empathy in personality pathology. "
    "A model of a theory, not a diagnostic tool.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
for _module in (simulate, recognize, validate, report, sweep, trial, calibrate):
    _module.register(app)


__all__ = ["app"]
