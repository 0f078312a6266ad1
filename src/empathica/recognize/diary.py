"""Reading and validating an interaction diary.

A diary is a table of episodes with the observable columns of
:data:`empathica.model.schema.OBSERVABLE_COLUMNS`, kept by hand or written by the
simulator. It can be a CSV file, a JSON-lines file (one object per line) or a
Parquet file.

Only four columns are required, the minimum the practical test of claim A14 needs:

* ``actor`` - who could respond (an integer id or a name),
* ``responded`` - did they respond to the need at all,
* ``audience`` - was anyone else watching (or going to hear about it),
* ``benefit`` - did the actor stand to gain something by responding.

Every other observable column is optional. A missing optional column is left
out of the analysis (the recognizer says so in its notes). Hidden simulator
columns (``true_*``) are accepted and ignored; other unknown columns are ignored
with a note. A column with an empty header whose cells are all empty (trailing
``,,,`` left by a spreadsheet) is dropped.

Values:

* booleans: ``true/false``, ``yes/no``, ``y/n``, ``1/0`` (any case);
* ``t``: an integer day number or a date ``YYYY-MM-DD`` (dates become day
  numbers counted from the earliest date; the dates are kept in a ``date`` column);
* ``actor``, ``target``, ``dyad``: integers or names, kept exactly: ids become
  integers only when every id is an integer written plainly (``7``, not ``007``)
  that fits 64 bits, otherwise they stay text;
* ``intensity``, ``accuracy``, ``warmth``: numbers from 0 to 1;
* empty cells mean "not applicable / not known" and are allowed only where the
  column help says so (``accuracy`` and ``warmth`` without a response,
  ``followed_through`` without a promise, ``boundary_respected`` without a
  request, and the descriptive columns ``dyad``, ``target``, ``need``,
  ``intensity``).

In a CSV file, lines whose first non-blank character is ``#`` are comments and
are skipped, and so are empty lines; the template written by
``empathica diary-template`` uses this for its annotations. A line inside a
quoted field is never a comment. The delimiter is a comma; a header line with no
comma but with semicolons (or tabs) is read as semicolon- (or tab-) separated,
as spreadsheet programs write in many locales, and then a decimal comma
(``0,7``) is read as a decimal point. Spreadsheet files themselves (``.xlsx``,
``.xls``, ``.ods``) are refused with advice to save them as CSV.

Every problem is reported as a :class:`DiaryError` naming the file, the line
(CSV and JSON lines: the line number in the file; Parquet: the 1-based row) and
the column. The first line of the message is the first problem; the next ones
(up to ten in all) follow on indented lines, grouped by column. The input file
is only ever opened for reading, and only if it is a regular file of at most
:data:`MAX_DIARY_BYTES` (``read_diary(..., max_bytes=...)``).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from empathica.errors import EmpathicaInputError
from empathica.io import read_input_bytes
from empathica.io.rundir import check_finished_output
from empathica.model.schema import (
    COLUMN_HELP,
    CONTEXT_FLAGS,
    HIDDEN_COLUMNS,
    NEED_TYPES,
    OBSERVABLE_COLUMNS,
)

#: Columns a diary must have.
REQUIRED_COLUMNS: tuple[str, ...] = ("actor", "responded", "audience", "benefit")

#: Columns a diary may leave out (left out of the analysis, with a note).
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(c for c in OBSERVABLE_COLUMNS if c not in REQUIRED_COLUMNS)

#: Columns whose cells may be empty (not applicable or not known).
NULLABLE_COLUMNS: frozenset[str] = frozenset(
    {
        "dyad",
        "target",
        "need",
        "intensity",
        "accuracy",
        "warmth",
        "followed_through",
        "boundary_respected",
    }
)

BOOL_COLUMNS: tuple[str, ...] = (*CONTEXT_FLAGS, "responded", "committed")
NULLABLE_BOOL_COLUMNS: tuple[str, ...] = ("followed_through", "boundary_respected")
UNIT_COLUMNS: tuple[str, ...] = ("intensity", "accuracy", "warmth")
LABEL_COLUMNS: tuple[str, ...] = ("dyad", "actor", "target")

#: Default size limit of a diary file, in bytes (``read_diary(..., max_bytes=...)``).
MAX_DIARY_BYTES = 1 << 30

SUFFIXES = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}

#: Spreadsheet files, recognised by suffix or by their first bytes (zip, OLE2).
SPREADSHEET_SUFFIXES = frozenset(
    {".xlsx", ".xlsm", ".xlsb", ".xltx", ".xltm", ".xls", ".xlt", ".ods", ".ots", ".fods", ".numbers"}
)
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")

_TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "1.0"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "0.0"})
_EMPTY_WORDS = frozenset({"", "na", "n/a", "nan", "null", "none", "-"})

_MAX_SHOWN = 40  # characters of an offending value shown in a message
_MAX_PROBLEMS = 10  # problems listed in one message
_EXACT_LIMIT = 2**53  # from here on a float is not an exact integer (2**53 + 1 reads as 2**53)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_DECIMAL_COMMA = re.compile(r"[+-]?(?:[0-9]+,[0-9]*|,[0-9]+)")
_NESTED_MESSAGE = "is a list/object, not a single value"


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


# --------------------------------------------------------------------------- helpers


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


def _has_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class _Text:
    """The cells of a column as stripped strings, computed once per distinct value.

    ``row(i)`` is the text of row i ('' for an empty cell); ``spread(values)`` maps
    one value per distinct cell text back to the rows. ``raw`` holds the distinct
    values as they were (for exact numbers). Cells that hold a list or object, or
    text with a lone surrogate, are reported here and then count as empty (the
    column parsers do not report them again).
    """

    def __init__(self, series: pd.Series, name: str, problems: _Problems) -> None:
        try:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
        except TypeError:  # unhashable cells: lists or objects
            values = series.to_numpy(dtype=object)
            nested = np.fromiter((_is_container(v) for v in values), dtype=bool, count=len(values))
            problems.add(name, nested, lambda i: _NESTED_MESSAGE, show=lambda i: "a list/object")
            values = values.copy()
            values[nested] = None
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
        self.codes = np.asarray(codes)
        raw = np.asarray(uniques, dtype=object)
        cleaned = [_clean(v) for v in raw]
        u_nested = np.array([isinstance(v, _CONTAINERS) for v in raw], dtype=bool)
        if u_nested.any():
            problems.add(
                name, self.spread(u_nested), lambda i: _NESTED_MESSAGE, show=lambda i: "a list/object"
            )
        u_surrogate = np.array([_has_surrogate(u) for u in cleaned], dtype=bool)
        if u_surrogate.any():
            bad_text = np.array(cleaned, dtype=object)
            problems.add(
                name,
                self.spread(u_surrogate),
                lambda i: (
                    f"{_show(bad_text[self.codes[i]])} contains an invalid character (a lone surrogate)"
                ),
                show=lambda i: _show(bad_text[self.codes[i]]),
            )
        for k in np.flatnonzero(u_nested | u_surrogate):
            cleaned[k] = ""
        self.raw = np.array([*raw, None], dtype=object)
        self.uniques = np.array([*cleaned, ""], dtype=object)  # code -1 -> ''

    def row(self, i: int) -> str:
        return self.uniques[self.codes[i]]

    def spread(self, per_unique: np.ndarray) -> np.ndarray:
        return np.asarray(per_unique)[self.codes]

    def lower(self) -> np.ndarray:
        return np.array([u.lower() for u in self.uniques], dtype=object)

    def show(self, i: int) -> str:
        return _show(self.row(i))


def _clean(v: object) -> str:
    if v is None or v is pd.NA or v is pd.NaT or isinstance(v, _Nested):
        return ""
    if isinstance(v, float) and np.isnan(v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, bytes):
        try:
            return v.decode("utf-8").strip()
        except UnicodeDecodeError:
            return repr(v)
    try:
        return str(v).strip()
    except (ValueError, TypeError):  # e.g. an integer with too many digits to print
        return f"<{type(v).__name__}>"


class _Check(NamedTuple):
    column: str
    rows: np.ndarray  # the first offending rows (0-based), at most _MAX_PROBLEMS
    count: int  # all offending rows
    describe: Callable[[int], str]
    show: Callable[[int], str] | None


class _Problems:
    """Collects the offending rows of every check; reports the first several together."""

    def __init__(self) -> None:
        self.checks: list[_Check] = []
        self._bad: dict[str, np.ndarray] = {}

    def add(
        self,
        column: str,
        bad: np.ndarray,
        describe: Callable[[int], str],
        show: Callable[[int], str] | None = None,
    ) -> None:
        """Record the rows where ``bad``; ``describe(i)`` is the message for row i and
        ``show(i)`` the cell as shown when the same check is listed again."""
        bad = np.asarray(bad, dtype=bool)
        if not bad.any():
            return
        prev = self._bad.get(column)
        self._bad[column] = bad.copy() if prev is None else (prev | bad)
        rows = np.flatnonzero(bad)
        self.checks.append(_Check(column, rows[:_MAX_PROBLEMS], len(rows), describe, show))

    def add_empty(self, column: str, missing: np.ndarray, describe: Callable[[int], str]) -> None:
        """Empty cells, leaving out those already reported for this column."""
        missing = np.asarray(missing, dtype=bool)
        prev = self._bad.get(column)
        if prev is not None:
            missing = missing & ~prev
        self.add(column, missing, describe, show=lambda i: "empty")

    def bad(self, column: str, n: int) -> np.ndarray:
        """Rows already reported for this column."""
        prev = self._bad.get(column)
        return np.zeros(n, dtype=bool) if prev is None else prev

    def raise_all(self, source: str, locate: Locator) -> None:
        if not self.checks:
            return
        # Earliest row first; on one row, the first check made (columns in diary order).
        found = sorted((int(r), k) for k, check in enumerate(self.checks) for r in check.rows)
        shown = found[:_MAX_PROBLEMS]
        total = sum(check.count for check in self.checks)
        row, k = shown[0]
        first = self.checks[k]
        where, line = locate(row)
        lines = [f"{source}, {where}, column '{first.column}': {first.describe(row)}"]
        introduced = {k}
        groups: dict[str, list[tuple[int, int]]] = {first.column: []}
        for r, kk in shown[1:]:
            groups.setdefault(self.checks[kk].column, []).append((r, kk))
        for column, items in groups.items():
            if not items:
                continue
            parts: list[str] = []
            for r, kk in items:
                check = self.checks[kk]
                here = locate(r)[0]
                if kk in introduced:
                    shown_value = check.show(r) if check.show is not None else None
                    parts.append(
                        (", " if parts else "") + (f"{here} ({shown_value})" if shown_value else here)
                    )
                else:
                    introduced.add(kk)
                    parts.append(("; " if parts else "") + f"{here}: {check.describe(r)}")
            also = "also " if column == first.column else ""
            lines.append(f"  column '{column}': {also}{''.join(parts)}")
        if total > len(shown):
            more = total - len(shown)
            lines.append(f"  ... and {more} more problem{'s' if more != 1 else ''}")
        raise DiaryError("\n".join(lines), source=source, row=row + 1, line=line, column=first.column)


# ------------------------------------------------------------------ column parsers


def _is_plain_numeric(dtype) -> bool:
    return (
        pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_bool_dtype(dtype)
        and not pd.api.types.is_complex_dtype(dtype)
    )


def _parse_bool(name: str, series: pd.Series, problems: _Problems, nullable: bool) -> pd.Series:
    dtype = series.dtype
    n = len(series)
    if pd.api.types.is_bool_dtype(dtype) and not isinstance(dtype, pd.BooleanDtype):
        values = series.to_numpy(dtype=bool)
        missing = np.zeros(n, dtype=bool)
    elif isinstance(dtype, pd.BooleanDtype):
        missing = np.asarray(series.isna())
        values = series.to_numpy(dtype=bool, na_value=False)
    elif _is_plain_numeric(dtype):
        x = series.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(x)
        bad = ~missing & (x != 0) & (x != 1)
        problems.add(
            name, bad, lambda i: f"{_show(x[i])} is not true/false (use 1 or 0)", show=lambda i: _show(x[i])
        )
        values = x == 1
        missing = missing | bad
    else:
        text = _Text(series, name, problems)
        low = text.lower()
        u_true = np.isin(low, list(_TRUE_WORDS))
        u_false = np.isin(low, list(_FALSE_WORDS))
        u_missing = np.isin(low, list(_EMPTY_WORDS))
        bad = text.spread(~(u_true | u_false | u_missing))
        problems.add(
            name,
            bad,
            lambda i: f"{text.show(i)} is not true/false (use true/false, yes/no or 1/0)",
            show=text.show,
        )
        values = text.spread(u_true)
        missing = text.spread(u_missing) | bad
    if not nullable:
        problems.add_empty(name, missing, lambda i: "the cell is empty; write true or false")
        return pd.Series(values & ~missing, index=series.index, name=name)
    return pd.Series(pd.arrays.BooleanArray(values & ~missing, missing), index=series.index, name=name)


def _parse_number(
    name: str,
    series: pd.Series,
    problems: _Problems,
    decimal_comma: bool = False,
    used: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray, Callable[[int], str]]:
    """Float values, a missing mask and a function showing a row's cell.

    With ``decimal_comma`` (a semicolon-separated file), ``0,7`` is read as 0.7 and
    the column name is appended to ``used``; otherwise such a cell is reported with
    a hint about the decimal separator.
    """
    dtype = series.dtype
    if _is_plain_numeric(dtype):
        x = series.to_numpy(dtype=float, na_value=np.nan)
        return x, np.isnan(x), lambda i: _show(x[i])
    text = _Text(series, name, problems)
    low = text.lower()
    u_missing = np.isin(low, list(_EMPTY_WORDS))
    u_x = pd.to_numeric(
        pd.Series(np.where(u_missing, "nan", text.uniques), dtype=object), errors="coerce"
    ).to_numpy(dtype=float, na_value=np.nan, copy=True)
    u_bad = ~u_missing & ~np.isfinite(u_x)
    u_comma = np.zeros(len(u_x), dtype=bool)
    if u_bad.any():
        for k in np.flatnonzero(u_bad):
            u_comma[k] = _DECIMAL_COMMA.fullmatch(text.uniques[k]) is not None
        if decimal_comma and u_comma.any():
            for k in np.flatnonzero(u_comma):
                u_x[k] = float(text.uniques[k].replace(",", "."))
            u_bad &= ~u_comma
            if used is not None:
                used.append(name)
    hint = u_comma & u_bad
    bad = text.spread(u_bad)
    problems.add(
        name,
        bad,
        lambda i: (
            f"{text.show(i)} is not a number"
            + (" (use a dot as the decimal separator)" if hint[text.codes[i]] else "")
        ),
        show=text.show,
    )
    x = text.spread(np.where(u_bad, np.nan, u_x)).astype(float)
    return x, text.spread(u_missing) | bad, text.show


def _parse_unit(
    name: str, series: pd.Series, problems: _Problems, decimal_comma: bool = False, used: list | None = None
) -> pd.Series:
    x, missing, show = _parse_number(name, series, problems, decimal_comma, used)
    with np.errstate(invalid="ignore"):
        bad = ~missing & ((x < 0) | (x > 1))
    problems.add(name, bad, lambda i: f"{show(i)} is outside the range 0 to 1", show=show)
    x = np.where(bad, np.nan, x)
    return pd.Series(x, index=series.index, name=name, dtype=float)


def _parse_int(
    name: str, series: pd.Series, problems: _Problems, decimal_comma: bool = False, used: list | None = None
) -> pd.Series:
    x, missing, show = _parse_number(name, series, problems, decimal_comma, used)
    with np.errstate(invalid="ignore"):
        big = ~missing & ~(np.abs(x) < _EXACT_LIMIT)
        bad = ~missing & ~big & (x != np.round(x))
    problems.add(name, big, lambda i: f"{show(i)} is too large for a whole number here", show=show)
    problems.add(name, bad, lambda i: f"{show(i)} is not a whole number", show=show)
    problems.add_empty(name, missing, lambda i: "the cell is empty; every episode needs a value here")
    x = np.where(bad | big | missing, 0, x)
    return pd.Series(x.astype(np.int64), index=series.index, name=name)


def _label_series(
    name: str,
    values: np.ndarray,
    missing: np.ndarray,
    index: pd.Index,
    problems: _Problems,
    nullable: bool,
) -> pd.Series:
    """Integer ids; empty cells are an error where the column needs a value."""
    if not nullable:
        problems.add_empty(name, missing, lambda i: "the cell is empty; write who it was")
        return pd.Series(values, index=index, name=name)
    if missing.any():
        return pd.Series(pd.arrays.IntegerArray(values, missing), index=index, name=name)
    return pd.Series(values, index=index, name=name)


def _too_large_id(shown: str) -> str:
    return f"{shown} is too large to be an exact id; store ids as text or as integers"


def _not_whole_id(shown: str) -> str:
    return f"{shown} is not a whole number; ids are whole numbers or names"


def _parse_label(name: str, series: pd.Series, problems: _Problems, nullable: bool) -> pd.Series:
    """Ids kept exactly: integers when every id is one (fitting 64 bits), else text."""
    dtype = series.dtype
    index = series.index
    if pd.api.types.is_integer_dtype(dtype):
        missing = np.asarray(series.isna(), dtype=bool)
        if pd.api.types.is_unsigned_integer_dtype(dtype) and (~missing).any():
            top = series.max()
            if int(top) > _INT64_MAX:  # ids beyond 64-bit signed integers: keep them as text
                return _parse_label(name, series.astype(object), problems, nullable)
        values = series.to_numpy(dtype=np.int64, na_value=0)
        return _label_series(name, values, missing, index, problems, nullable)
    if _is_plain_numeric(dtype):
        x = series.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(x)
        with np.errstate(invalid="ignore"):
            big = ~missing & ~(np.abs(x) < _EXACT_LIMIT)
            frac = ~missing & ~big & (x != np.floor(x))
        problems.add(name, big, lambda i: _too_large_id(_show(x[i])), show=lambda i: _show(x[i]))
        problems.add(name, frac, lambda i: _not_whole_id(_show(x[i])), show=lambda i: _show(x[i]))
        values = np.where(missing | big | frac, 0, x).astype(np.int64)
        return _label_series(name, values, missing | big | frac, index, problems, nullable)

    text = _Text(series, name, problems)
    m = len(text.uniques)
    u_missing = np.array([u == "" for u in text.uniques], dtype=bool)
    u_big = np.zeros(m, dtype=bool)
    u_frac = np.zeros(m, dtype=bool)
    as_int: list[int | None] = [None] * m
    as_text: list[str] = list(text.uniques)
    for k in range(m):
        if u_missing[k]:
            continue
        raw = text.raw[k]
        if isinstance(raw, (bool, np.bool_)):
            continue
        if isinstance(raw, (int, np.integer)):
            as_int[k] = int(raw)
            as_text[k] = text.uniques[k]
        elif isinstance(raw, (float, np.floating)):
            v = float(raw)
            if not abs(v) < _EXACT_LIMIT:
                u_big[k] = True
            elif v != np.floor(v):
                u_frac[k] = True
            else:
                as_int[k] = int(v)
                as_text[k] = str(int(v))
        elif _is_int_text(text.uniques[k]):
            try:
                v = int(text.uniques[k])
            except ValueError:  # too many digits, or digits int() does not read
                continue
            if str(v) == text.uniques[k]:
                as_int[k] = v
    shown = [_show(r) for r in text.raw]
    problems.add(
        name,
        text.spread(u_big),
        lambda i: _too_large_id(shown[text.codes[i]]),
        show=lambda i: shown[text.codes[i]],
    )
    problems.add(
        name,
        text.spread(u_frac),
        lambda i: _not_whole_id(shown[text.codes[i]]),
        show=lambda i: shown[text.codes[i]],
    )
    u_empty = u_missing | u_big | u_frac
    present = ~u_empty
    missing = text.spread(u_empty)
    ints_ok = present.any() and all(
        as_int[k] is not None and _INT64_MIN <= as_int[k] <= _INT64_MAX for k in np.flatnonzero(present)
    )
    if ints_ok:
        u_values = np.array([v if v is not None else 0 for v in as_int], dtype=np.int64)
        return _label_series(name, text.spread(u_values), missing, index, problems, nullable)
    if not nullable:
        problems.add_empty(name, missing, lambda i: "the cell is empty; write who it was")
    values = text.spread(
        np.array([None if e else t for t, e in zip(as_text, u_empty, strict=True)], dtype=object)
    )
    return pd.Series(pd.array(values, dtype="str"), index=index, name=name)


def _parse_need(series: pd.Series, problems: _Problems) -> pd.Series:
    text = _Text(series, "need", problems)
    low = np.array([u.replace(" ", "_") for u in text.lower()], dtype=object)
    u_missing = np.isin(low, list(_EMPTY_WORDS))
    u_bad = ~u_missing & ~np.isin(low, list(NEED_TYPES))
    problems.add(
        "need",
        text.spread(u_bad),
        lambda i: f"{text.show(i)} is not a kind of need (one of {', '.join(NEED_TYPES)})",
        show=text.show,
    )
    values = text.spread(np.where(u_missing | u_bad, None, low))
    return pd.Series(pd.array(values, dtype="str"), index=series.index, name="need")


def _to_dates(values: pd.Series) -> pd.Series:
    """ISO dates (NaT where a value is not one); mixed time zones are brought to UTC."""
    try:
        dates = pd.to_datetime(values, errors="coerce", format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        try:
            dates = pd.to_datetime(values, errors="coerce", format="ISO8601", utc=True)
        except (ValueError, TypeError, OverflowError):
            return pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    return dates


def _parse_time(
    series: pd.Series, problems: _Problems, decimal_comma: bool = False, used: list | None = None
) -> tuple[pd.Series, pd.Series | None]:
    """Day numbers, and the dates when the diary gives dates."""
    dtype = series.dtype
    idx = series.index
    if pd.api.types.is_datetime64_any_dtype(dtype):
        dates = pd.Series(pd.to_datetime(series, errors="coerce"), index=idx)
        problems.add_empty(
            "t", np.asarray(dates.isna()), lambda i: "the cell is empty; write a day number or a date"
        )
    elif _is_plain_numeric(dtype):
        return _parse_int("t", series, problems, decimal_comma, used), None
    else:
        text = _Text(series, "t", problems)
        u_int = np.array([_is_int_text(u) for u in text.uniques], dtype=bool)
        u_empty = np.array([u == "" for u in text.uniques], dtype=bool)
        empty = text.spread(u_empty)
        looks_int = text.spread(u_int)
        u_dates = _to_dates(pd.Series(np.where(u_empty | u_int, None, text.uniques), dtype=object))
        u_date = np.asarray(u_dates.notna())
        is_date = text.spread(u_date)
        n_int, n_date = int(looks_int.sum()), int(is_date.sum())
        u_bad = ~u_empty & ~u_int & ~u_date
        if n_date == 0 or n_int > n_date:
            # A column of day numbers (perhaps with some bad cells).
            problems.add(
                "t",
                text.spread(u_bad),
                lambda i: f"{text.show(i)} is neither a day number nor a date (YYYY-MM-DD)",
                show=text.show,
            )
            if n_date:
                problems.add(
                    "t",
                    is_date,
                    lambda i: (
                        f"{text.show(i)} is a date but other rows give day numbers; "
                        "use one kind of value for t"
                    ),
                    show=text.show,
                )
            return _parse_int(
                "t",
                pd.Series(np.where(looks_int, text.spread(text.uniques), ""), index=idx, dtype=object),
                problems,
            ), None
        if n_int:
            problems.add(
                "t",
                looks_int,
                lambda i: (
                    f"{text.show(i)} is a day number but other rows give dates; use one kind of value for t"
                ),
                show=text.show,
            )
        problems.add(
            "t",
            text.spread(u_bad),
            lambda i: f"{text.show(i)} is neither a day number nor a date (YYYY-MM-DD)",
            show=text.show,
        )
        problems.add_empty("t", empty, lambda i: "the cell is empty; write a day number or a date")
        dates = pd.Series(
            u_dates.to_numpy()[np.where(text.codes < 0, len(text.uniques) - 1, text.codes)], index=idx
        )
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    day = dates.dt.normalize()
    first = day.min()
    if pd.isna(first):
        days = np.zeros(len(series), dtype=np.int64)
    else:
        days = ((day - first).dt.days).fillna(0).to_numpy(dtype=np.int64)
    return pd.Series(days, index=idx, name="t"), pd.Series(day.to_numpy(), index=idx, name="date")


def _is_int_text(s: str) -> bool:
    t = s[1:] if s[:1] in "+-" else s
    return t.isdigit()


# ---------------------------------------------------------------- table validation


def _default_locate(i: int) -> tuple[str, int | None]:
    return f"row {i + 1}", None


def _first_filled(series: pd.Series) -> int | None:
    """The first row of a column with a non-blank cell, or None when all are blank."""
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # lists or objects: cells with content
        filled = np.asarray(series.notna(), dtype=bool)
    else:
        u_filled = np.array(
            [_clean(u) != "" for u in np.asarray(uniques, dtype=object)] + [False], dtype=bool
        )
        filled = u_filled[np.asarray(codes)]
    hits = np.flatnonzero(filled)
    return int(hits[0]) if len(hits) else None


def validate_episodes(
    table: pd.DataFrame,
    source: str = "the episode table",
    locate: Locator | None = None,
    *,
    decimal_comma: bool = False,
) -> pd.DataFrame:
    """Check a raw episode table and return it with normalised types.

    ``locate`` turns a 0-based data row into the words naming it ("line 7") and
    the line number; by default rows are named "row N" (1-based). With
    ``decimal_comma`` numbers may be written ``0,7`` (semicolon-separated files).

    Rows identical to the template's example rows are counted in
    ``attrs["diary_template_rows"]`` (with a note): they are not real episodes.
    """
    result = _validate(table, source, locate or _default_locate, decimal_comma)
    count = _count_template_rows(result)
    result.attrs["diary_template_rows"] = count
    if count:
        rows = f"{count} rows are" if count != 1 else "1 row is"
        result.attrs["diary_notes"].append(
            f"{rows} the template's example rows: replace them with your own episodes"
        )
    return result


def _validate(table: pd.DataFrame, source: str, locate: Locator, decimal_comma: bool) -> pd.DataFrame:
    notes: list[str] = []
    keep: list[int] = []
    names: list[str] = []
    seen: set[str] = set()
    for pos, col in enumerate(table.columns):
        key = _clean(col).lower()
        if key == "":
            first = _first_filled(table.iloc[:, pos])
            if first is None:
                continue  # an unnamed, empty column (trailing delimiters)
            where, line = locate(first)
            value = table.iloc[first, pos]
            raise DiaryError(
                f"{source}, {where}: column {pos + 1} has no name in the header but holds "
                f"{_show(value) if not _is_container(value) else 'a list/object'}; "
                "name it in the header or delete it",
                source=source,
                row=first + 1,
                line=line,
            )
        if key in seen:
            raise DiaryError(
                f"{source}: column '{_name(key)}' appears twice in the header", source=source, column=key
            )
        seen.add(key)
        keep.append(pos)
        names.append(key)
    table = table.iloc[:, keep].set_axis(names, axis=1)

    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        listed = ", ".join(f"'{c}'" for c in missing)
        raise DiaryError(
            f"{source}: missing required column{'s' if len(missing) > 1 else ''} {listed} "
            f"(a diary needs at least: {', '.join(REQUIRED_COLUMNS)}; "
            f"columns found: {', '.join(_name(c) for c in table.columns) or 'none'})",
            source=source,
            column=missing[0],
        )
    if len(table) == 0:
        raise DiaryError(f"{source}: the diary has a header but no episodes", source=source)

    unknown = [
        c
        for c in table.columns
        if c not in OBSERVABLE_COLUMNS
        and c not in HIDDEN_COLUMNS
        and not str(c).startswith("true_")
        and c != "date"
    ]
    if unknown:
        notes.append(
            f"columns not used by the recognizer and ignored: {', '.join(_name(c) for c in unknown)}"
        )

    table = table.reset_index(drop=True)
    problems = _Problems()
    out: dict[str, pd.Series] = {}
    date: pd.Series | None = None
    comma_used: list[str] = []
    for col in OBSERVABLE_COLUMNS:
        if col not in table.columns:
            continue
        s = table[col]
        if col == "episode":
            out[col] = _parse_int(col, s, problems, decimal_comma, comma_used)
        elif col == "t":
            out[col], date = _parse_time(s, problems, decimal_comma, comma_used)
        elif col in LABEL_COLUMNS:
            out[col] = _parse_label(col, s, problems, nullable=col in NULLABLE_COLUMNS)
        elif col == "need":
            out[col] = _parse_need(s, problems)
        elif col in UNIT_COLUMNS:
            out[col] = _parse_unit(col, s, problems, decimal_comma, comma_used)
        elif col in BOOL_COLUMNS:
            out[col] = _parse_bool(col, s, problems, nullable=False)
        elif col in NULLABLE_BOOL_COLUMNS:
            out[col] = _parse_bool(col, s, problems, nullable=True)

    # Cell problems first: cross-column checks only make sense on readable cells.
    problems.raise_all(source, locate)
    if comma_used:
        notes.append(f"numbers with a decimal comma (0,7) were read as decimals in: {', '.join(comma_used)}")

    n = len(table)
    # Duplicate episode ids.
    if "episode" in out:
        ids = out["episode"].to_numpy()
        dup = pd.Series(ids).duplicated().to_numpy()
        if dup.any():
            first_of = pd.Series(np.arange(n)).groupby(ids).transform("min").to_numpy()

            def _dup(i: int) -> str:
                where, _ = locate(int(first_of[i]))
                return f"episode id {ids[i]} is used twice (first on {where})"

            problems.add("episode", dup, _dup, show=lambda i: f"episode {ids[i]}")

    # Cross-column consistency: "empty if not applicable".
    responded = out["responded"].to_numpy()
    for col in ("accuracy", "warmth"):
        if col in out:
            bad = ~responded & ~np.isnan(out[col].to_numpy())
            problems.add(col, bad, lambda i: "is filled in but responded is false; leave it empty")
    if "committed" in out:
        committed = out["committed"].to_numpy()
        problems.add(
            "committed",
            committed & ~responded,
            lambda i: "is true but responded is false; a promise of help counts as a response",
        )
        if "followed_through" in out:
            bad = ~committed & out["followed_through"].notna().to_numpy()
            problems.add(
                "followed_through",
                bad,
                lambda i: "is filled in but committed is false; leave it empty when nothing was promised",
            )
    if "boundary_asked" in out and "boundary_respected" in out:
        bad = ~out["boundary_asked"].to_numpy() & out["boundary_respected"].notna().to_numpy()
        problems.add(
            "boundary_respected",
            bad,
            lambda i: "is filled in but boundary_asked is false; leave it empty when no boundary was asked",
        )

    problems.raise_all(source, locate)

    if "episode" not in out:
        out["episode"] = pd.Series(np.arange(1, n + 1, dtype=np.int64))
        notes.append("no 'episode' column: episodes are numbered in file order from 1")
    if "committed" not in out and "followed_through" in out:
        out["committed"] = pd.Series(out["followed_through"].notna().to_numpy())
        notes.append("no 'committed' column: a promise is assumed wherever followed_through is filled")
    if "boundary_asked" not in out and "boundary_respected" in out:
        out["boundary_asked"] = pd.Series(out["boundary_respected"].notna().to_numpy())
        notes.append(
            "no 'boundary_asked' column: a boundary request is assumed wherever boundary_respected is filled"
        )

    cols = [c for c in OBSERVABLE_COLUMNS if c in out]
    result = pd.DataFrame({c: out[c].reset_index(drop=True) for c in cols})
    if date is not None:
        result["date"] = date.reset_index(drop=True)
        first = date.min()
        notes.append(f"t was given as dates: day 0 is {first.date().isoformat()}")
    result.attrs["diary_notes"] = notes
    result.attrs["diary_source"] = source
    result.attrs["diary_validated"] = True
    return result


# ----------------------------------------------------------------------- file reading


class _Raw(NamedTuple):
    """A table as read from a file, before validation."""

    frame: pd.DataFrame
    locate: Locator
    notes: list[str]
    decimal_comma: bool = False


def _spreadsheet_error(source: str) -> DiaryError:
    return DiaryError(
        f"{source}: this is a spreadsheet file (Excel .xlsx/.xls or OpenDocument .ods), not a CSV file. "
        "Excel/spreadsheet files are not read: in your spreadsheet program choose Save As / Download as "
        "'CSV UTF-8 (comma delimited)' and pass that file",
        source=source,
    )


def _detect_format(path: Path, head: bytes) -> str:
    if head.startswith(b"PAR1"):
        return "parquet"
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt:
        return fmt
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return "jsonl"
    return "csv"


class _Lines:
    """The lines of a text file, and which of them are comments or blank.

    The comment rule, the same for every reading of a CSV file: a line is skipped
    when it starts outside a quoted field and its first non-blank character is
    ``#`` or it has none. Whether a line starts inside a quoted field is the
    parity of the ``"`` characters before it (RFC 4180: an escaped ``""`` counts
    twice), not counting those on skipped lines. Lines end at ``\\n``, ``\\r\\n``
    or a lone ``\\r``. Everything is computed with array operations over the
    bytes; only comment lines with an odd number of quotes need a step each.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        n = len(data)
        arr = np.frombuffer(data, dtype=np.uint8)
        brk = arr == 10
        if b"\r" in data:
            cr = arr == 13
            cr[:-1] &= ~brk[1:]  # the \r of \r\n does not end a line by itself
            brk |= cr
        ends = np.flatnonzero(brk)
        starts = np.concatenate((np.zeros(1, dtype=np.int64), ends + 1))
        if n == 0 or starts[-1] >= n:
            starts = starts[:-1]  # the file ends with a line break
        self.starts = starts
        self.stops = np.append(starts[1:], n).astype(np.int64)
        count = len(starts)

        # Lines that look like comments or blank lines (first non-blank byte).
        if count:
            first = arr[starts]
        else:
            first = np.zeros(0, dtype=np.uint8)
        like = (first == 35) | (first == 10) | (first == 13)
        indented = np.flatnonzero((first == 32) | (first == 9))
        if len(indented):
            pos = starts[indented].copy()
            stop = self.stops[indented]
            active = np.arange(len(indented))
            for _ in range(64):  # step over leading blanks, one byte per step
                p = pos[active]
                inside = p < stop[active]
                c = arr[np.minimum(p, n - 1)]
                more = inside & ((c == 32) | (c == 9))
                active = active[more]
                if not len(active):
                    break
                pos[active] += 1
            for a in active:  # lines indented by more than 64 blanks
                rest = data[pos[a] : stop[a]].lstrip(b" \t")
                pos[a] = stop[a] - len(rest)
            c = arr[np.minimum(pos, n - 1)]
            like[indented] = (pos >= stop) | (c == 35) | (c == 10) | (c == 13)

        self._like = like
        # Without comment-like lines nothing is skipped, whatever the quotes: their
        # state is then worked out only if it is asked for (to locate a problem).
        self.skip = like & ~self.in_quote if like.any() else like

    @functools.cached_property
    def _quote_state(self) -> tuple[np.ndarray, np.ndarray]:
        """Whether each line starts inside a quoted field, and its number of quotes mod 2."""
        count = len(self.starts)
        if b'"' not in self.data or not count:
            return np.zeros(count, dtype=bool), np.zeros(count, dtype=np.int64)
        arr = np.frombuffer(self.data, dtype=np.uint8)
        # Quotes per line, mod 2, from the running parity of quotes over the bytes.
        parity = np.bitwise_xor.accumulate((arr == 34).view(np.uint8))
        before_line = np.zeros(count, dtype=np.uint8)
        before_line[1:] = parity[self.starts[1:] - 1]
        quotes = (parity[self.stops - 1] ^ before_line).astype(np.int64)
        del parity
        base = (np.cumsum(quotes, dtype=np.int64) - quotes) & 1  # quotes before each line, mod 2
        toggles = np.zeros(count, dtype=np.int64)
        candidates = np.flatnonzero(self._like)
        flips = 0
        for k in candidates[quotes[candidates] == 1]:
            if (base[k] ^ (flips & 1)) == 0:  # a comment: its quotes do not count
                flips += 1
                if k + 1 < count:
                    toggles[k + 1] += 1
        return ((base ^ (np.cumsum(toggles) & 1)) & 1).astype(bool), quotes

    @property
    def in_quote(self) -> np.ndarray:
        return self._quote_state[0]

    @property
    def quotes(self) -> np.ndarray:
        return self._quote_state[1]

    @functools.cached_property
    def text(self) -> str:
        return self.data.decode("utf-8")

    def record_text(self, k: int) -> str:
        """The text of the record that starts on line k (with any quoted line breaks)."""
        line = self.data[self.starts[k] : self.stops[k]]
        if line.count(b'"') % 2 == 0:
            return line.decode("utf-8")
        starts = np.flatnonzero(~self.skip & ~self.in_quote)
        later = starts[starts > k]
        stop = int(self.starts[later[0]]) if len(later) else len(self.data)
        return self.data[self.starts[k] : stop].decode("utf-8")

    def first_kept(self) -> int | None:
        kept = np.flatnonzero(~self.skip)
        return int(kept[0]) if len(kept) else None

    def line_bytes(self, k: int) -> bytes:
        return self.data[self.starts[k] : self.stops[k]].rstrip(b"\r\n")

    def kept_bytes(self) -> bytes:
        """The file without its skipped lines."""
        skipped = np.flatnonzero(self.skip)
        if not len(skipped):
            return self.data
        breaks = np.flatnonzero(np.diff(skipped) != 1)
        run_first = skipped[np.concatenate(([0], breaks + 1))]
        run_last = skipped[np.concatenate((breaks, [len(skipped) - 1]))]
        view = memoryview(self.data)
        pieces = []
        pos = 0
        for a, b in zip(run_first, run_last, strict=True):
            pieces.append(view[pos : self.starts[a]])
            pos = int(self.stops[b])
        pieces.append(view[pos:])
        return b"".join(pieces)

    def record_lines(self) -> np.ndarray:
        """1-based numbers of the lines where a record (header or row) starts."""
        return np.flatnonzero(~self.skip & ~self.in_quote) + 1

    def unclosed_quote_line(self) -> int | None:
        """The line of a quote that opens a field never closed, if the quotes do not pair up."""
        kept_quotes = int(self.quotes[~self.skip].sum(dtype=np.int64))
        if kept_quotes % 2 == 0:
            return None
        starts = np.flatnonzero(~self.skip & ~self.in_quote)
        return int(starts[-1]) + 1 if len(starts) else None


def _csv_records(text: str, skip: np.ndarray, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of each CSV record, leaving out the lines ``skip`` marks
    (:class:`_Lines`: comments and blank lines)."""
    starts: list[int] = []
    limit = len(skip)

    def lines():
        for number, line in enumerate(io.StringIO(text, newline=""), start=1):
            if number <= limit and skip[number - 1]:
                continue
            starts.append(number)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    consumed = 0
    for fields in reader:
        first = starts[consumed]
        consumed = len(starts)
        yield first, fields


def _csv_locator(lines: _Lines, delimiter: str, n_rows: int) -> Locator:
    """Data row -> the line where its record starts, worked out when first asked."""
    found: list[list[int]] = []

    def record_lines() -> list[int]:
        if not found:
            records = lines.record_lines()
            if len(records) == n_rows + 1:
                # Every record starts on a line outside quotes: straight from the line index.
                found.append(records.tolist())
            else:
                # Quotes the parser reads differently (a quote inside a field): count records.
                numbers: list[int] = []
                try:
                    for number, _ in _csv_records(lines.text, lines.skip, delimiter):
                        numbers.append(number)
                except csv.Error:
                    pass
                found.append(numbers)
        return found[0]

    def locate(i: int) -> tuple[str, int | None]:
        numbers = record_lines()  # numbers[0] is the header line
        if 0 <= i and i + 1 < len(numbers):
            line = numbers[i + 1]
            return f"line {line}", line
        return f"data row {i + 1}", None

    return locate


def _utf8_bytes(data: bytes, source: str, advice: str) -> bytes:
    """The file's bytes without a byte-order mark, checked to be UTF-8 text; a clear error
    if they are not or the file is empty."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.isascii():  # ASCII is UTF-8 already (a fast check)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise DiaryError(
                f"{source}, line {line}: the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); {advice}",
                source=source,
                line=line,
            ) from None
    if not data or data.isspace():
        raise DiaryError(f"{source}: the file is empty", source=source)
    return data


def _delimiter(header: bytes) -> tuple[str, str | None]:
    """The delimiter, from the header line: a comma, unless the header has none but has
    semicolons or tabs."""
    if b"," in header:
        return ",", None
    semicolons, tabs = header.count(b";"), header.count(b"\t")
    if semicolons == 0 and tabs == 0:
        return ",", None
    if semicolons >= tabs:
        return ";", "read as semicolon-separated (the header line has semicolons and no commas)"
    return "\t", "read as tab-separated (the header line has tabs and no commas)"


def _read_csv(path: Path, data: bytes, source: str) -> _Raw:
    import pyarrow as pa
    import pyarrow.csv as pv

    data = _utf8_bytes(data, source, "save it as UTF-8 CSV")
    lines = _Lines(data)
    header = lines.first_kept()
    if header is None:
        raise DiaryError(f"{source}: the file has only comments, no header and no episodes", source=source)
    delimiter, note = _delimiter(lines.line_bytes(header))
    notes = [note] if note else []
    body = lines.kept_bytes()

    # Ids are read as text so that they stay exact (no rounding through floats).
    try:
        fields = next(csv.reader(io.StringIO(lines.record_text(header), newline=""), delimiter=delimiter))
    except (StopIteration, csv.Error):
        fields = []
    column_types = {f: pa.string() for f in fields if f.strip().lower() in LABEL_COLUMNS}

    bad_rows: list[object] = []

    def on_invalid(row: object) -> str:
        bad_rows.append(row)
        return "skip"

    def read(types: dict) -> pa.Table:
        return pv.read_csv(
            io.BytesIO(body),
            parse_options=pv.ParseOptions(
                delimiter=delimiter, invalid_row_handler=on_invalid, newlines_in_values=True
            ),
            convert_options=pv.ConvertOptions(
                column_types=types,
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )

    try:
        table = read(column_types)
    except (pa.ArrowException, ValueError) as exc:
        _csv_structure_error(lines, delimiter, source)
        reason = " ".join(str(exc).split())[:200]
        raise DiaryError(f"{source}: not a readable CSV file ({_show(reason)})", source=source) from None
    if bad_rows:
        _csv_structure_error(lines, delimiter, source)
    locate = _csv_locator(lines, delimiter, table.num_rows)
    frame = _arrow_frame(table, source, locate)
    return _Raw(frame, locate, notes, decimal_comma=delimiter != ",")


def _csv_structure_error(lines: _Lines, delimiter: str, source: str) -> None:
    """Find the first record whose field count differs from the header, or a quote that
    is never closed, and raise."""
    header: list[str] | None = None
    opened = lines.unclosed_quote_line()

    def unclosed() -> DiaryError:
        return DiaryError(
            f'{source}, line {opened}: a quote (") opens a field that is never closed',
            source=source,
            line=opened,
        )

    try:
        for line, fields in _csv_records(lines.text, lines.skip, delimiter):
            if header is None:
                header = fields
                named = [h.strip().lower() for h in header if h.strip()]
                if len(set(named)) != len(named):
                    return  # reported by validate_episodes
                continue
            if len(fields) != len(header):
                if opened is not None and line >= opened:
                    raise unclosed()
                raise DiaryError(
                    f"{source}, line {line}: the row has {len(fields)} field"
                    f"{'s' if len(fields) != 1 else ''} but the header has {len(header)} columns",
                    source=source,
                    line=line,
                )
    except csv.Error as exc:
        if opened is not None:
            raise unclosed() from None
        reason = " ".join(str(exc).split())[:200]
        raise DiaryError(f"{source}: not a readable CSV file ({_show(reason)})", source=source) from None
    if opened is not None:
        raise unclosed()


def _bool_mapper(arrow_type):
    import pyarrow as pa

    if arrow_type == pa.bool_():
        return pd.BooleanDtype()
    return None


def _nullable_int_mapper(arrow_type):
    import pyarrow as pa

    if pa.types.is_integer(arrow_type):
        return pd.api.types.pandas_dtype(str(arrow_type).replace("int", "Int").replace("uInt", "UInt"))
    return _bool_mapper(arrow_type)


def _arrow_frame(table, source: str, locate: Locator) -> pd.DataFrame:
    """A pyarrow table as a pandas frame, every column one the parsers can read.

    Lists, structs and maps become cells the validation reports ("is a list/object");
    integer columns with empty cells keep exact values (nullable integers); bytes
    must be UTF-8 text; columns the recognizer does not use are not converted.
    """
    import pyarrow as pa

    n = table.num_rows
    names = [str(c) for c in table.column_names]
    simple: list[int] = []
    special: dict[int, pd.Series] = {}
    for j, (name, col) in enumerate(zip(names, table.columns, strict=True)):
        key = name.strip().lower()
        typ = col.type
        if key != "" and key not in OBSERVABLE_COLUMNS:
            special[j] = pd.Series(np.full(n, None, dtype=object))  # ignored: not converted
            continue
        try:
            if isinstance(typ, pa.ExtensionType):
                col = pa.chunked_array([c.storage for c in col.chunks], type=typ.storage_type)
                typ = col.type
            if pa.types.is_dictionary(typ):
                col = col.cast(typ.value_type)
                typ = col.type
        except (pa.ArrowException, ValueError, TypeError):
            special[j] = _arrow_as_text(name, col, source, locate)
            continue
        if pa.types.is_nested(typ):
            valid = np.asarray(col.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
            cells = np.full(n, None, dtype=object)
            cells[valid] = _NESTED
            special[j] = pd.Series(cells)
        elif pa.types.is_binary(typ) or pa.types.is_large_binary(typ) or pa.types.is_fixed_size_binary(typ):
            special[j] = _arrow_as_text(name, col, source, locate)
        elif key in LABEL_COLUMNS and (pa.types.is_string(typ) or pa.types.is_large_string(typ)):
            ints = _arrow_exact_ints(col)
            if ints is None:
                simple.append(j)
            else:
                special[j] = _arrow_column(ints, _nullable_int_mapper, name, source, locate)
        elif pa.types.is_integer(typ) and col.null_count:
            special[j] = _arrow_column(col, _nullable_int_mapper, name, source, locate)
        elif (
            pa.types.is_boolean(typ)
            or pa.types.is_integer(typ)
            or pa.types.is_floating(typ)
            or pa.types.is_string(typ)
            or pa.types.is_large_string(typ)
            or pa.types.is_null(typ)
        ):
            simple.append(j)
        else:  # dates, times, decimals, durations...: converted one by one
            special[j] = _arrow_column(col, _bool_mapper, name, source, locate)
    # Converted under positional names: names in a file may repeat.
    table = table.rename_columns([f"c{j}" for j in range(len(names))])
    if not special:
        frame = table.to_pandas(types_mapper=_bool_mapper, ignore_metadata=True)
        frame.columns = names
        return frame
    columns: dict[int, pd.Series] = dict(special)
    if simple:
        sub = table.select(simple).to_pandas(types_mapper=_bool_mapper, ignore_metadata=True)
        for k, j in enumerate(simple):
            columns[j] = sub.iloc[:, k]
    frame = pd.DataFrame({j: columns[j].reset_index(drop=True) for j in range(len(names))})
    frame.columns = names
    return frame


def _arrow_exact_ints(col):
    """Ids written as text, as 64-bit integers when every one is an integer written plainly
    (the text of the integer again: ``7``, not ``007``, ``+7`` or `` 7``); else None.

    The same rule as the per-value check in ``_parse_label``, done by arrow in bulk.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if col.null_count == len(col):
        return None
    try:
        ints = pc.cast(col, pa.int64())
        same = pc.all(pc.equal(pc.cast(ints, col.type), col)).as_py()
    except (pa.ArrowException, ValueError, TypeError, OverflowError):
        return None
    return ints if same else None


def _arrow_column(col, mapper, name: str, source: str, locate: Locator) -> pd.Series:
    import pyarrow as pa

    try:
        return col.to_pandas(types_mapper=mapper)
    except (pa.ArrowException, ValueError, TypeError, OverflowError):
        return _arrow_as_text(name, col, source, locate)


def _arrow_as_text(name: str, col, source: str, locate: Locator) -> pd.Series:
    """A column as text; bytes that are not UTF-8 are an error naming the row."""
    import pyarrow as pa

    try:
        return col.cast(pa.string()).to_pandas()
    except (pa.ArrowException, ValueError, TypeError, OverflowError):
        pass
    values = col.to_pylist()
    for i, v in enumerate(values):
        if isinstance(v, bytes):
            try:
                v.decode("utf-8")
            except UnicodeDecodeError:
                where, line = locate(i)
                raise DiaryError(
                    f"{source}, {where}, column '{_name(name)}': "
                    "the cell holds bytes that are not UTF-8 text",
                    source=source,
                    row=i + 1,
                    line=line,
                    column=name,
                ) from None
    return pd.Series([_clean(v) if v is not None else None for v in values], dtype=object)


def _read_jsonl(path: Path, data: bytes, source: str) -> _Raw:
    data = _utf8_bytes(data, source, "save it as UTF-8 text")
    if data.lstrip(b" \t\r\n").startswith(b"["):
        return _read_json_array(data.decode("utf-8"), source)
    fast = _read_jsonl_fast(data, source)
    if fast is not None:
        return fast
    text = data.decode("utf-8")

    # The exact reader, line by line: Python's json keeps integers exact and
    # reports nesting it cannot follow.
    records: list[dict] = []
    numbers: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip(" \t\r"):
            continue
        try:
            obj = json.loads(line)
        except RecursionError:
            raise DiaryError(
                f"{source}, line {number}: the JSON is nested too deeply; "
                'each line must be one flat object ({"actor": ..., "responded": ...})',
                source=source,
                line=number,
            ) from None
        except ValueError as exc:  # JSONDecodeError, or a number with too many digits
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc).split(";")[0]
            raise DiaryError(
                f"{source}, line {number}: not a JSON object ({reason})",
                source=source,
                line=number,
            ) from None
        if not isinstance(obj, dict):
            raise DiaryError(
                f"{source}, line {number}: each line must be a JSON object "
                '({"actor": ..., "responded": ...})',
                source=source,
                line=number,
            )
        records.append(obj)
        numbers.append(number)
    frame = _records_frame(records)

    def locate(i: int) -> tuple[str, int | None]:
        if 0 <= i < len(numbers):
            return f"line {numbers[i]}", numbers[i]
        return f"row {i + 1}", None

    return _Raw(frame, locate, [])


def _records_frame(records: list[dict]) -> pd.DataFrame:
    """Records as a frame of Python values: exact integers, text as it was (even with
    lone surrogates), NaN or None for a missing key or a null."""
    return pd.DataFrame(records, dtype=object)


def _read_jsonl_fast(data: bytes, source: str) -> _Raw | None:
    """pyarrow's JSON reader, only for flat files (it fails badly on deep nesting) and
    only when it keeps ids exact; None when the exact reader must do it."""
    import pyarrow as pa

    if b"[" in data:
        return None
    arr = np.frombuffer(data, dtype=np.uint8)
    starts = np.concatenate((np.zeros(1, dtype=np.int64), np.flatnonzero(arr == 10) + 1))
    starts = starts[starts < len(arr)]
    objects = np.flatnonzero(arr[starts] == 123)  # lines that start with '{'
    if data.count(b"{") != len(objects):
        return None  # some '{' is not at the start of a line: perhaps nested
    try:
        import pyarrow.json as pj

        table = pj.read_json(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - any trouble: the exact reader says what is wrong
        return None
    if table.num_rows != len(objects):
        return None
    for name, col in zip(table.column_names, table.columns, strict=True):
        key = str(name).strip().lower()
        typ = col.type
        if key in LABEL_COLUMNS or key == "need":
            if pa.types.is_floating(typ) and key != "need" and _floats_are_exact(col):
                continue  # ids like 5.0: the validation checks they are whole numbers
            if not (pa.types.is_integer(typ) or pa.types.is_string(typ) or pa.types.is_null(typ)):
                return None  # e.g. integers too big for 64 bits, read as floats: the exact reader keeps them
    numbers = objects + 1

    def locate(i: int) -> tuple[str, int | None]:
        if 0 <= i < len(numbers):
            return f"line {numbers[i]}", int(numbers[i])
        return f"row {i + 1}", None

    try:
        frame = _arrow_frame(table, source, locate)
    except DiaryError:
        return None
    return _Raw(frame, locate, [])


def _floats_are_exact(col) -> bool:
    """Whether every number of a float column is below 2**53 in magnitude (where a float
    is the exact value of any whole number written in the file)."""
    import pyarrow.compute as pc

    if col.null_count == len(col):
        return True
    top = pc.max(pc.abs(col)).as_py()
    return top is not None and top < _EXACT_LIMIT


def _read_json_array(text: str, source: str) -> _Raw:
    """A JSON array of episode objects (rows are named 'record N')."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise DiaryError(f"{source}: the JSON is nested too deeply", source=source) from None
    except json.JSONDecodeError as exc:
        raise DiaryError(
            f"{source}, line {exc.lineno}: not valid JSON ({exc.msg})", source=source, line=exc.lineno
        ) from None
    except ValueError as exc:  # a number with too many digits
        raise DiaryError(f"{source}: not valid JSON ({str(exc).split(';')[0]})", source=source) from None
    if not isinstance(data, list) or not data:
        raise DiaryError(f"{source}: expected episodes, one JSON object per line", source=source)
    for i, obj in enumerate(data):
        if not isinstance(obj, dict):
            raise DiaryError(
                f"{source}, record {i + 1}: each episode must be a JSON object", source=source, row=i + 1
            )
    frame = _records_frame(data)

    def locate(i: int) -> tuple[str, int | None]:
        return f"record {i + 1}", None

    return _Raw(frame, locate, [])


def _read_parquet(path: Path, data: bytes, source: str) -> _Raw:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - a damaged file can fail in many ways
        reason = " ".join(str(exc).split())[:200]
        raise DiaryError(f"{source}: not a readable Parquet file ({_show(reason)})", source=source) from None
    if table.num_columns == 0:
        raise DiaryError(f"{source}: the file is empty", source=source)
    # Index columns pandas stored along with the data are not diary columns.
    try:
        index_columns = [
            c for c in (table.schema.pandas_metadata or {}).get("index_columns", []) if isinstance(c, str)
        ]
    except (ValueError, TypeError, AttributeError):
        index_columns = []
    if index_columns:
        table = table.drop_columns([c for c in index_columns if c in table.column_names])

    def locate(i: int) -> tuple[str, int | None]:
        return f"row {i + 1}", None

    return _Raw(_arrow_frame(table, source, locate), locate, [])


def _text_encoding(data: bytes, source: str) -> tuple[bytes, list[str]]:
    """UTF-16 text (a byte-order mark; "Unicode text" from spreadsheets) as UTF-8 bytes."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data, []
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        raise DiaryError(
            f"{source}: the file starts like UTF-16 text but is not; save it as UTF-8 CSV", source=source
        ) from None
    return text.encode("utf-8"), ["read as UTF-16 text"]


def read_diary(path: str | Path, *, max_bytes: int = MAX_DIARY_BYTES) -> pd.DataFrame:
    """Read and validate a diary (CSV, JSON lines or Parquet).

    Returns a DataFrame with the observable columns present in the file, typed:
    booleans as ``bool`` (``followed_through`` and ``boundary_respected`` as
    nullable ``boolean``), numbers as ``float`` with NaN for empty cells, ``t``
    as integer day numbers (plus ``date`` if dates were given), ``episode`` as
    integers (numbered from 1 if the column is missing). Notes about the reading
    are in ``df.attrs["diary_notes"]``; ``df.attrs["diary_template_rows"]`` counts
    rows that are still the template's examples.

    Raises :class:`DiaryError` (a ``ValueError``) naming file, line or row, and
    column for every problem. Only a regular file of at most ``max_bytes`` bytes
    is read; it is opened read-only and never changed.
    """
    path = Path(path)
    source = str(path)
    try:
        data = read_input_bytes(path, what="diary", max_bytes=max_bytes, error=DiaryError)
        check_finished_output(path)
    except EmpathicaInputError as exc:
        raise DiaryError(str(exc), source=source) from None
    if path.suffix.lower() in SPREADSHEET_SUFFIXES or data.startswith(_SPREADSHEET_MAGIC):
        raise _spreadsheet_error(source)
    if data.startswith(b"\x1f\x8b"):
        raise DiaryError(f"{source}: the file is compressed (gzip); decompress it first", source=source)
    data, notes = _text_encoding(data, source)
    if not data or data.isspace():
        raise DiaryError(f"{source}: the file is empty", source=source)

    fmt = _detect_format(path, data[:64])
    reader = {"csv": _read_csv, "jsonl": _read_jsonl, "parquet": _read_parquet}[fmt]
    raw = reader(path, data, source)
    result = validate_episodes(raw.frame, source=source, locate=raw.locate, decimal_comma=raw.decimal_comma)
    result.attrs["diary_notes"] = [*notes, *raw.notes, *result.attrs["diary_notes"]]
    result.attrs["diary_format"] = fmt
    return result


# ------------------------------------------------------------------ template rows


@functools.lru_cache(maxsize=1)
def _template_frame() -> pd.DataFrame:
    raw = pd.DataFrame([list(r) for r in _TEMPLATE_ROWS], columns=list(OBSERVABLE_COLUMNS), dtype=object)
    return _validate(raw, "the template", _default_locate, False)


_TEMPLATE_MIN_COLUMNS = 8  # fewer columns in common: too unspecific to call a row the template's


def _equal_cells(series: pd.Series, value: object) -> np.ndarray:
    """Where a parsed column equals one parsed template value (empty equals empty)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return np.asarray(series.isna(), dtype=bool)
    dtype = series.dtype
    if isinstance(value, str) and not (
        pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)
    ):
        return np.zeros(len(series), dtype=bool)
    if not isinstance(value, str) and pd.api.types.is_string_dtype(dtype):
        return np.zeros(len(series), dtype=bool)
    try:
        eq = series == value
        return np.asarray(eq.fillna(False), dtype=bool)
    except (TypeError, ValueError):
        return np.zeros(len(series), dtype=bool)


def _count_template_rows(result: pd.DataFrame) -> int:
    """How many rows are identical to one of the template's example rows (on the columns
    present; ``t`` itself is compared through ``date``, since day numbers count from the
    file's first date)."""
    template = _template_frame()
    columns = [c for c in result.columns if c != "t" and c in template.columns]
    if len(columns) < _TEMPLATE_MIN_COLUMNS or len(result) == 0:
        return 0
    columns.sort(key=lambda c: c != "actor")  # the most telling column first
    found = np.zeros(len(result), dtype=bool)
    for j in range(len(template)):
        same = np.ones(len(result), dtype=bool)
        for c in columns:
            same &= _equal_cells(result[c], template[c].iloc[j])
            if not same.any():
                break
        found |= same
    return int(found.sum())


# --------------------------------------------------------------------------- template

_TEMPLATE_ROWS = (
    # episode, t, dyad, actor, target, need, intensity, audience, benefit, threat,
    # boundary_asked, perspective_prompt, responded, accuracy, warmth, committed,
    # followed_through, boundary_respected
    (
        "1",
        "2025-03-01",
        "Sam & me",
        "Sam",
        "me",
        "sadness",
        "0.7",
        "false",
        "false",
        "false",
        "false",
        "false",
        "true",
        "0.8",
        "0.9",
        "true",
        "true",
        "",
    ),
    (
        "2",
        "2025-03-02",
        "Sam & me",
        "Sam",
        "me",
        "good_news",
        "0.5",
        "true",
        "false",
        "false",
        "false",
        "false",
        "true",
        "0.6",
        "0.7",
        "false",
        "",
        "",
    ),
    (
        "3",
        "2025-03-04",
        "Sam & me",
        "Sam",
        "me",
        "anger",
        "0.6",
        "false",
        "false",
        "true",
        "true",
        "false",
        "false",
        "",
        "",
        "false",
        "",
        "true",
    ),
)


def diary_template() -> str:
    """An annotated CSV template: '#' comment lines, the header, three example rows."""
    lines = [
        "# Empathica interaction diary (CSV). Lines starting with '#' are comments.",
        "# One row per episode: a moment when someone (the target) had a need and",
        "# someone else (the actor) could respond. Record EVERY such episode, the dull",
        "# and the flattering ones too, as soon as you can, not only the memorable ones:",
        "# a diary of remembered highlights measures memory, not behaviour.",
        "# Required columns: " + ", ".join(REQUIRED_COLUMNS) + ".",
        "# Optional columns may be deleted; they are then left out of the analysis.",
        "# Empty cell = not applicable or not known. true/false also as yes/no or 1/0.",
        "#",
    ]
    width = max(len(c) for c in OBSERVABLE_COLUMNS)
    for col in OBSERVABLE_COLUMNS:
        tag = "required" if col in REQUIRED_COLUMNS else "optional"
        lines.append(f"# {col:<{width}}  ({tag}) {COLUMN_HELP[col]}")
    lines += [
        "#",
        "# The three rows below are examples: replace them with your own episodes.",
        "# Then run: empathica recognize <this file>",
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(OBSERVABLE_COLUMNS)
    for row in _TEMPLATE_ROWS:
        writer.writerow(row)
    return "\n".join(lines) + "\n" + buf.getvalue()
