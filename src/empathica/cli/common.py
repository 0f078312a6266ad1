"""What every command shares: one-line errors, interrupts, a closed pipe, safe output, tables.

Heavy imports (numpy, pandas, the model) happen inside the commands, so that
``empathica --help`` stays fast.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Any

import typer

from empathica.errors import Interrupted
from empathica.io.terminal import cell, console, visible

#: Exit codes: 2 for bad input or unwritable results; 128 + signal number when stopped.
EXIT_INPUT = 2


def fail(message: str, code: int = EXIT_INPUT) -> None:
    """Print ``error: message`` on stderr (every line made visible) and exit with ``code``."""
    lines = str(message).split("\n")
    text = "\n".join(visible(line) for line in lines)
    typer.echo(f"error: {text}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    typer.echo(f"warning: {visible(message)}", err=True)


def _stop_message(signum: int, where: str) -> str:
    name = signal.Signals(signum).name
    return f"interrupted ({name}){where}"


def friendly(func: Callable) -> Callable:
    """Run a command: its problems become one line on stderr and an exit code, never a traceback.

    EmpathicaError -> its message, exit 2; Ctrl-C / SIGTERM / SIGHUP -> "interrupted",
    exit 128 + signal (unfinished results were already removed on the way out); a
    closed stdout (``| head``) -> quiet exit 0.
    """

    @wraps(func)
    def wrapper(*args, **kwargs):
        from empathica.errors import EmpathicaError

        try:
            return func(*args, **kwargs)
        except EmpathicaError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt as exc:
            fail(_stop_message(signal.SIGINT, _interrupt_context(exc)), 128 + signal.SIGINT)
        except Interrupted as exc:
            fail(_stop_message(exc.signum, _interrupt_context(exc)), 128 + exc.signum)
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None

    return wrapper


@contextmanager
def while_writing(out: str) -> Iterator[None]:
    """If the command is stopped inside the block, say that results at ``out`` are intact
    (the results folder is swapped in only at the very end of the block)."""
    try:
        yield
    except (KeyboardInterrupt, Interrupted) as exc:
        exc.add_note(
            f": the run did not complete, so nothing was written to {out} and any earlier results "
            "there are untouched"
        )
        raise


def _interrupt_context(exc: BaseException) -> str:
    notes = getattr(exc, "__notes__", None)
    return notes[-1] if notes else ""


def _silence_stdout() -> None:
    """After the reader of stdout went away: send the rest (and the final flush) nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


def install_signal_handlers() -> None:
    """Ctrl-C, SIGTERM and SIGHUP raise ``Interrupted`` in the main thread, wherever it is
    (also while the arguments are parsed): unfinished outputs are removed on the way out,
    and the command ends with one line and exit code 128 + signal."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        try:
            signal.signal(sig, _raise_interrupted)
        except (ValueError, OSError):  # not the main thread, or not supported here
            pass


# ----------------------------------------------------------------- parsing helpers

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def parse_number(text: str, what: str) -> float:
    """A plain decimal number (``0.5``, ``.5``, ``1e-2``); not ``0_5``, ``nan`` or ``inf``."""
    from empathica.errors import EmpathicaInputError

    if not _DECIMAL.fullmatch(text.strip()):
        raise EmpathicaInputError(f"bad {what}: {text!r} is not a number (write e.g. 0.5)")
    return float(text)


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
        out.setdefault(profile if dot else "*", {})[trait] = parse_number(value, f"--trait {item!r}")
    return out


# --------------------------------------------------------------------- output


class _NoProgress:
    """Stands in for a progress bar where none is shown (not a terminal)."""

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def add_task(self, *args, **kwargs) -> int:
        return 0

    def advance(self, *args, **kwargs) -> None:
        return None

    def update(self, *args, **kwargs) -> None:
        return None


def progress(stderr: bool = True):
    """A transient progress bar on stderr, only when it is a terminal (nothing is printed
    otherwise, so piped output and error messages stay clean)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    where = console(stderr=stderr)
    if not where.is_terminal:
        return _NoProgress()
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        console=where,
    )


def echo_wrapped(text: str, indent: int = 0) -> None:
    """A long line of ours wrapped to the terminal's width (continuation lines indented)."""
    import textwrap

    width = max(40, console().width)
    typer.echo(textwrap.fill(text, width=width, subsequent_indent=" " * indent, break_on_hyphens=False))


def column_groups(widths: Sequence[int], first: int, available: int, gap: int = 3) -> list[list[int]]:
    """Split data columns (their widths) into groups that fit ``available`` characters beside a
    first column of width ``first``: a wide table is stacked instead of cut."""
    groups: list[list[int]] = [[]]
    used = first + gap + 1  # a rich table: borders and padding of the first column
    for i, w in enumerate(widths):
        if groups[-1] and used + w + gap > available:
            groups.append([])
            used = first + gap + 1
        groups[-1].append(i)
        used += w + gap
    return groups


def _lines(text: str):
    """A header of several lines of data: each line escaped, the line breaks kept."""
    from rich.text import Text

    return Text("\n").join(cell(line) for line in text.split("\n"))


def command_line() -> str:
    """The command as the user typed it (for manifests)."""
    import shlex

    return shlex.join(["empathica", *sys.argv[1:]])


def print_stacked(
    title: str,
    first_header: str,
    row_labels: Sequence[str],
    headers: Sequence[str],
    columns: Sequence[Sequence[str]],
    out=None,
) -> None:
    """A table with one column per entry of ``headers``, stacked in as many parts as needed to
    fit the terminal. Every cell is data: shown literally."""
    from rich.table import Table

    out = out or console()
    first = max(len(first_header), *(len(r) for r in row_labels))
    widths = [
        max(max((len(part) for part in h.split("\n")), default=0), *(len(v) for v in col))
        for h, col in zip(headers, columns, strict=True)
    ]
    groups = column_groups(widths, first, out.width)
    for k, group in enumerate(groups):
        part = f" ({k + 1}/{len(groups)})" if len(groups) > 1 else ""
        table = Table(title=cell(title + part), title_justify="left")
        table.add_column(cell(first_header), no_wrap=True)
        for i in group:
            table.add_column(_lines(headers[i]), justify="right")
        for r, label in enumerate(row_labels):
            table.add_row(cell(label), *(cell(columns[i][r]) for i in group))
        out.print(table)


def _number(v: float, digits: int) -> str:
    return "-" if v != v else f"{v:.{digits}f}"  # NaN: not applicable (e.g. no drop-out in a control arm)


def print_frame(df, title: str = "", digits: int = 3) -> None:
    """A DataFrame as a table that fits the terminal: its leading text columns label the rows,
    the other columns are stacked in parts as the width needs (cells escaped)."""
    labels = []
    for col in df.columns:
        if df[col].dtype.kind in "fiub" and col not in ("week",):
            break
        labels.append(col)
    labels = labels or [df.columns[0]]
    values = [c for c in df.columns if c not in labels]
    rows = [" / ".join(str(v) for v in r) for r in df[labels].itertuples(index=False)]
    columns = [
        [_number(v, digits) if isinstance(v, float) else str(v) for v in df[c].tolist()] for c in values
    ]
    headers = [str(c).replace("_", "\n") for c in values]
    print_stacked(title, " / ".join(labels), rows, headers, columns)
