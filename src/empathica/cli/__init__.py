"""Command line: thin shells over the Python API (``empathica --help``).

``app`` (in ``empathica.cli.application``) holds the commands; each command module
(``simulate``, ``recognize``, ``validate``) registers its own, and ``common`` holds
what they share: one-line errors and exit codes, interrupts, a closed pipe, escaped
output, tables that fit the terminal. This package itself stays light, so that
signal handlers are in place before anything heavy is imported.
"""

from __future__ import annotations

from typing import Any


def main() -> None:
    """The ``empathica`` command."""
    import signal
    import sys

    from empathica.cli.common import install_signal_handlers
    from empathica.errors import Interrupted

    install_signal_handlers()
    try:
        from empathica.cli.application import app

        app()
    except (KeyboardInterrupt, Interrupted) as exc:  # outside a command (start-up, parsing)
        signum = getattr(exc, "signum", signal.SIGINT)
        sys.stderr.write(f"error: interrupted ({signal.Signals(signum).name})\n")
        sys.exit(128 + signum)


def __getattr__(name: str) -> Any:
    if name == "app":
        from empathica.cli.application import app

        return app
    raise AttributeError(name)
