"""DiaryError, the row locator, and how a message shows a cell value or a column name.

Every part of the diary reader reports problems the same way: a :class:`DiaryError`
naming file, line or row, and column, with offending values shown short and quoted.
The readers, the cell parsers and the checks all share these pieces, so they sit
below them all.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from empathica.errors import EmpathicaInputError

_MAX_SHOWN = 40  # characters of an offending value shown in a message


class DiaryError(EmpathicaInputError):
    """A diary that cannot be read as it is: the message names file, line or row, and column."""

    def __init__(
        self,
        message: str,
        *,
        source: str = "",
        row: int | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.source = source
        self.row = row  # 1-based data row (episode row as the user counts them)
        self.line = line  # line in the file, where the format has lines
        self.column = column


Locator = Callable[[int], tuple[str, "int | None"]]


def _default_locate(i: int) -> tuple[str, int | None]:
    return f"row {i + 1}", None


def _show(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return "an empty cell"
    if isinstance(value, float) and np.isnan(value):
        return "an empty cell"
    if isinstance(value, _Nested):
        return "a list/object"
    try:
        text = str(value)
    except (ValueError, TypeError):  # e.g. an integer with too many digits to print
        text = f"<{type(value).__name__}>"
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    return repr(text) if isinstance(value, str) or not text.isprintable() else text


def _name(column: object) -> str:
    """A column name from a file, as shown in a message: plain if harmless, else quoted."""
    text = str(column)
    if text and text.isprintable() and len(text) <= _MAX_SHOWN and not any(c in text for c in "'\",;"):
        return text
    return _show(text)


class _Nested:
    """Stands for a cell holding a list, an object or a map (never a single value)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "a list/object"


_NESTED = _Nested()
_CONTAINERS = (dict, list, tuple, set, frozenset, np.ndarray, _Nested)


def _is_container(value: object) -> bool:
    if isinstance(value, _CONTAINERS):
        return True
    try:
        hash(value)
    except TypeError:
        return True
    return False
