"""Reading and validating an interaction diary.

A diary is a table of episodes with the observable columns of
:data:`empathica.schema.OBSERVABLE_COLUMNS`, kept by hand or written by the
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
with a note.

Values:

* booleans: ``true/false``, ``yes/no``, ``y/n``, ``1/0`` (any case);
* ``t``: an integer day number or a date ``YYYY-MM-DD`` (dates become day
  numbers counted from the earliest date; the dates are kept in a ``date`` column);
* ``actor``, ``target``, ``dyad``: integers or names;
* ``intensity``, ``accuracy``, ``warmth``: numbers from 0 to 1;
* empty cells mean "not applicable / not known" and are allowed only where the
  column help says so (``accuracy`` and ``warmth`` without a response,
  ``followed_through`` without a promise, ``boundary_respected`` without a
  request, and the descriptive columns ``dyad``, ``target``, ``need``,
  ``intensity``).

In a CSV file, lines whose first non-blank character is ``#`` are comments and
are skipped, and so are empty lines; the template written by
``empathica diary-template`` uses this for its annotations.

Every problem is reported as a :class:`DiaryError` naming the file, the line
(CSV and JSON lines: the line number in the file; Parquet: the 1-based row) and
the column. The input file is only ever opened for reading.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from empathica.errors import EmpathicaInputError
from empathica.schema import (
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

SUFFIXES = {
    ".csv": "csv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}

_TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "1.0"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "0.0"})
_EMPTY_WORDS = frozenset({"", "na", "n/a", "nan", "null", "none", "-"})

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


# --------------------------------------------------------------------------- helpers


def _show(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "an empty cell"
    if value is pd.NA or value is pd.NaT:
        return "an empty cell"
    text = str(value)
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    return repr(text) if isinstance(value, str) else text


class _Text:
    """The cells of a column as stripped strings, computed once per distinct value.

    ``row(i)`` is the text of row i ('' for an empty cell); ``spread(values)`` maps
    one value per distinct cell text back to the rows.
    """

    def __init__(self, series: pd.Series) -> None:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        self.codes = np.asarray(codes)
        cleaned = [_clean(v) for v in np.asarray(uniques, dtype=object)]
        self.uniques = np.array([*cleaned, ""], dtype=object)  # code -1 -> ''

    def row(self, i: int) -> str:
        return self.uniques[self.codes[i]]

    def spread(self, per_unique: np.ndarray) -> np.ndarray:
        return np.asarray(per_unique)[self.codes]

    def lower(self) -> np.ndarray:
        return np.array([u.lower() for u in self.uniques], dtype=object)


def _clean(v: object) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    return str(v).strip()


class _Problems:
    """Collects the first offending row per check; reports the earliest one."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str, str, int]] = []  # (row, column, message, count)
        self.masks: list[tuple[str, np.ndarray]] = []

    def add(self, column: str, bad: np.ndarray, describe: Callable[[int], str]) -> None:
        bad = np.asarray(bad, dtype=bool)
        if not bad.any():
            return
        self.masks.append((column, bad))
        idx = np.flatnonzero(bad)
        first = int(idx[0])
        self.items.append((first, column, describe(first), len(idx)))

    def raise_first(self, source: str, locate: Callable[[int], tuple[str, int | None]]) -> None:
        if not self.items:
            return
        # Earliest row first; on one row, the first check made (columns in diary order).
        row, column, message, count = min(self.items, key=lambda it: it[0])
        where, line = locate(row)
        more = sum(c for _, _, _, c in self.items) - 1
        tail = f" ({more} more problem{'s' if more != 1 else ''} in the file)" if more else ""
        raise DiaryError(
            f"{source}, {where}, column '{column}': {message}{tail}",
            source=source,
            row=row + 1,
            line=line,
            column=column,
        )


# ------------------------------------------------------------------ column parsers


def _is_plain_numeric(dtype) -> bool:
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


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
        problems.add(name, bad, lambda i: f"{_show(x[i])} is not true/false (use 1 or 0)")
        values = x == 1
        missing = missing | bad
    else:
        text = _Text(series)
        low = text.lower()
        u_true = np.isin(low, list(_TRUE_WORDS))
        u_false = np.isin(low, list(_FALSE_WORDS))
        u_missing = np.isin(low, list(_EMPTY_WORDS))
        bad = text.spread(~(u_true | u_false | u_missing))
        problems.add(
            name,
            bad,
            lambda i: f"{_show(text.row(i))} is not true/false (use true/false, yes/no or 1/0)",
        )
        values = text.spread(u_true)
        missing = text.spread(u_missing) | bad
    if not nullable:
        problems.add(
            name, missing & ~_bad_rows(problems, name, n), lambda i: "the cell is empty; write true or false"
        )
        return pd.Series(values & ~missing, index=series.index, name=name)
    return pd.Series(pd.arrays.BooleanArray(values & ~missing, missing), index=series.index, name=name)


def _bad_rows(problems: _Problems, name: str, n: int) -> np.ndarray:
    """Rows already reported for this column (not reported again as empty)."""
    out = np.zeros(n, dtype=bool)
    for mask_name, mask in problems.masks:
        if mask_name == name:
            out |= mask
    return out


def _parse_number(
    name: str, series: pd.Series, problems: _Problems
) -> tuple[np.ndarray, np.ndarray, Callable[[int], str]]:
    """Float values, a missing mask and a function showing a row's cell."""
    dtype = series.dtype
    if _is_plain_numeric(dtype):
        x = series.to_numpy(dtype=float, na_value=np.nan)
        return x, np.isnan(x), lambda i: _show(x[i])
    text = _Text(series)
    low = text.lower()
    u_missing = np.isin(low, list(_EMPTY_WORDS))
    u_x = pd.to_numeric(
        pd.Series(np.where(u_missing, "nan", text.uniques), dtype=object), errors="coerce"
    ).to_numpy(dtype=float, na_value=np.nan)
    u_bad = ~u_missing & ~np.isfinite(u_x)
    bad = text.spread(u_bad)
    problems.add(name, bad, lambda i: f"{_show(text.row(i))} is not a number")
    x = text.spread(np.where(u_bad, np.nan, u_x)).astype(float)
    return x, text.spread(u_missing) | bad, lambda i: _show(text.row(i))


def _parse_unit(name: str, series: pd.Series, problems: _Problems) -> pd.Series:
    x, missing, show = _parse_number(name, series, problems)
    with np.errstate(invalid="ignore"):
        bad = ~missing & ((x < 0) | (x > 1))
    problems.add(name, bad, lambda i: f"{show(i)} is outside the range 0 to 1")
    x = np.where(bad, np.nan, x)
    return pd.Series(x, index=series.index, name=name, dtype=float)


def _parse_int(name: str, series: pd.Series, problems: _Problems) -> pd.Series:
    n = len(series)
    x, missing, show = _parse_number(name, series, problems)
    with np.errstate(invalid="ignore"):
        bad = ~missing & ((np.abs(x) > 2.0**53) | (x != np.round(x)))
    problems.add(name, bad, lambda i: f"{show(i)} is not a whole number")
    problems.add(
        name,
        missing & ~_bad_rows(problems, name, n),
        lambda i: "the cell is empty; every episode needs a value here",
    )
    x = np.where(bad | missing, 0, x)
    return pd.Series(x.astype(np.int64), index=series.index, name=name)


def _parse_label(name: str, series: pd.Series, problems: _Problems, nullable: bool) -> pd.Series:
    dtype = series.dtype
    if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_extension_array_dtype(dtype):
        return series.astype(np.int64).rename(name)
    if _is_plain_numeric(dtype):
        x = series.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(x)
        if np.all(missing | (x == np.round(x))):
            if not nullable:
                problems.add(name, missing, lambda i: "the cell is empty; write who it was")
                return pd.Series(np.where(missing, 0, x).astype(np.int64), index=series.index, name=name)
            return pd.Series(
                pd.array(np.where(missing, None, x), dtype="Int64"), index=series.index, name=name
            )
    text = _Text(series)
    u_missing = np.array([u == "" for u in text.uniques], dtype=bool)
    missing = text.spread(u_missing)
    if not nullable:
        problems.add(name, missing, lambda i: "the cell is empty; write who it was")
    # Integers written as text stay integers when every value is one.
    present = ~u_missing
    if not missing.any():
        try:
            as_int = np.array(
                [int(u) if p else 0 for u, p in zip(text.uniques, present, strict=True)], dtype=np.int64
            )
        except (ValueError, OverflowError):
            pass
        else:
            same = all(str(v) == u for v, u, p in zip(as_int, text.uniques, present, strict=True) if p)
            if same:
                return pd.Series(text.spread(as_int), index=series.index, name=name)
    values = text.spread(np.where(u_missing, None, text.uniques))
    return pd.Series(pd.array(values, dtype="str"), index=series.index, name=name)


def _parse_need(series: pd.Series, problems: _Problems) -> pd.Series:
    text = _Text(series)
    low = np.array([u.replace(" ", "_") for u in text.lower()], dtype=object)
    u_missing = np.isin(low, list(_EMPTY_WORDS))
    u_bad = ~u_missing & ~np.isin(low, list(NEED_TYPES))
    problems.add(
        "need",
        text.spread(u_bad),
        lambda i: f"{_show(text.row(i))} is not a kind of need (one of {', '.join(NEED_TYPES)})",
    )
    values = text.spread(np.where(u_missing | u_bad, None, low))
    return pd.Series(pd.array(values, dtype="str"), index=series.index, name="need")


def _parse_time(series: pd.Series, problems: _Problems) -> tuple[pd.Series, pd.Series | None]:
    """Day numbers, and the dates when the diary gives dates."""
    dtype = series.dtype
    idx = series.index
    if pd.api.types.is_datetime64_any_dtype(dtype):
        dates = pd.Series(pd.to_datetime(series, errors="coerce"), index=idx)
        problems.add(
            "t", np.asarray(dates.isna()), lambda i: "the cell is empty; write a day number or a date"
        )
    elif _is_plain_numeric(dtype):
        return _parse_int("t", series, problems), None
    else:
        text = _Text(series)
        u_int = np.array([_is_int_text(u) for u in text.uniques], dtype=bool)
        u_empty = np.array([u == "" for u in text.uniques], dtype=bool)
        empty = text.spread(u_empty)
        looks_int = text.spread(u_int)
        u_dates = pd.to_datetime(
            pd.Series(np.where(u_empty | u_int, None, text.uniques), dtype=object),
            errors="coerce",
            format="ISO8601",
        )
        if getattr(u_dates.dt, "tz", None) is not None:
            u_dates = u_dates.dt.tz_localize(None)
        u_date = np.asarray(u_dates.notna())
        is_date = text.spread(u_date)
        n_int, n_date = int(looks_int.sum()), int(is_date.sum())
        u_bad = ~u_empty & ~u_int & ~u_date
        if n_date == 0 or n_int > n_date:
            # A column of day numbers (perhaps with some bad cells).
            problems.add(
                "t",
                text.spread(u_bad),
                lambda i: f"{_show(text.row(i))} is neither a day number nor a date (YYYY-MM-DD)",
            )
            if n_date:
                problems.add(
                    "t",
                    is_date,
                    lambda i: (
                        f"{_show(text.row(i))} is a date but other rows give day numbers; "
                        "use one kind of value for t"
                    ),
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
                    f"{_show(text.row(i))} is a day number but other rows give dates; "
                    "use one kind of value for t"
                ),
            )
        problems.add(
            "t",
            text.spread(u_bad),
            lambda i: f"{_show(text.row(i))} is neither a day number nor a date (YYYY-MM-DD)",
        )
        problems.add("t", empty, lambda i: "the cell is empty; write a day number or a date")
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


def validate_episodes(
    table: pd.DataFrame,
    source: str = "the episode table",
    locate: Callable[[int], tuple[str, int | None]] | None = None,
) -> pd.DataFrame:
    """Check a raw episode table and return it with normalised types.

    ``locate`` turns a 0-based data row into the words naming it ("line 7") and
    the line number; by default rows are named "row N" (1-based).
    """
    if locate is None:

        def locate(i: int) -> tuple[str, int | None]:
            return f"row {i + 1}", None

    notes: list[str] = []
    rename: dict[str, str] = {}
    seen: dict[str, str] = {}
    for col in table.columns:
        key = str(col).strip().lower()
        if key in seen:
            raise DiaryError(
                f"{source}: column '{key}' appears twice in the header", source=source, column=key
            )
        seen[key] = str(col)
        rename[col] = key
    table = table.rename(columns=rename)

    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        raise DiaryError(
            f"{source}: missing required column{'s' if len(missing) > 1 else ''} {names} "
            f"(a diary needs at least: {', '.join(REQUIRED_COLUMNS)}; "
            f"columns found: {', '.join(map(str, table.columns)) or 'none'})",
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
        notes.append(f"columns not used by the recognizer and ignored: {', '.join(unknown)}")

    table = table.reset_index(drop=True)
    problems = _Problems()
    out: dict[str, pd.Series] = {}
    date: pd.Series | None = None
    for col in OBSERVABLE_COLUMNS:
        if col not in table.columns:
            continue
        s = table[col]
        if col == "episode":
            out[col] = _parse_int(col, s, problems)
        elif col == "t":
            out[col], date = _parse_time(s, problems)
        elif col in LABEL_COLUMNS:
            out[col] = _parse_label(col, s, problems, nullable=col in NULLABLE_COLUMNS)
        elif col == "need":
            out[col] = _parse_need(s, problems)
        elif col in UNIT_COLUMNS:
            out[col] = _parse_unit(col, s, problems)
        elif col in BOOL_COLUMNS:
            out[col] = _parse_bool(col, s, problems, nullable=False)
        elif col in NULLABLE_BOOL_COLUMNS:
            out[col] = _parse_bool(col, s, problems, nullable=True)

    # Cell problems first: cross-column checks only make sense on readable cells.
    problems.raise_first(source, locate)

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

            problems.add("episode", dup, _dup)

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

    problems.raise_first(source, locate)

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


def _detect_format(path: Path, head: bytes) -> str:
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt:
        return fmt
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "jsonl"
    return "csv"


def _is_comment(line: bytes) -> bool:
    return line.lstrip(b" \t").startswith(b"#")


def _csv_records(text: str):
    """(first line number, fields) of each CSV record, skipping comments and empty lines."""
    starts: list[int] = []

    def lines():
        for number, line in enumerate(io.StringIO(text, newline=""), start=1):
            stripped = line.strip("\r\n")
            if stripped == "" or stripped.lstrip(" \t").startswith("#"):
                continue
            starts.append(number)
            yield line

    reader = csv.reader(lines())
    consumed = 0
    for fields in reader:
        first = starts[consumed]
        consumed = len(starts)
        yield first, fields


def _csv_locator(text: str) -> Callable[[int], tuple[str, int | None]]:
    cache: list[int] = []

    def locate(i: int) -> tuple[str, int | None]:
        if not cache:
            for number, _ in _csv_records(text):
                cache.append(number)
        # cache[0] is the header line.
        if i + 1 < len(cache):
            line = cache[i + 1]
            return f"line {line}", line
        return f"data row {i + 1}", None

    return locate


def _utf8_text(data: bytes, source: str, advice: str) -> tuple[bytes, str]:
    """The file's bytes without a byte-order mark and its text; a clear error if it is not
    UTF-8 or is empty."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DiaryError(
            f"{source}, line {line}: the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); {advice}",
            source=source,
            line=line,
        ) from None
    if not text.strip():
        raise DiaryError(f"{source}: the file is empty", source=source)
    return data, text


def _read_csv(path: Path, data: bytes, source: str) -> tuple[pd.DataFrame, Callable]:
    import pyarrow as pa
    import pyarrow.csv as pv

    data, text = _utf8_text(data, source, "save it as UTF-8 CSV")

    # Comments: a leading block is cut off cheaply; comments further down are filtered.
    body = data
    if b"#" in data:
        lines = data.splitlines(keepends=True)
        if any(_is_comment(ln) for ln in lines):
            body = b"".join(ln for ln in lines if not _is_comment(ln))
    if not body.strip():
        raise DiaryError(f"{source}: the file has only comments, no header and no episodes", source=source)

    locate = _csv_locator(text)
    bad_rows: list[object] = []

    def on_invalid(row: object) -> str:
        bad_rows.append(row)
        return "skip"

    try:
        table = pv.read_csv(
            io.BytesIO(body),
            parse_options=pv.ParseOptions(invalid_row_handler=on_invalid, newlines_in_values=True),
            convert_options=pv.ConvertOptions(
                null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError) as exc:
        _csv_structure_error(text, source)
        reason = " ".join(str(exc).split())[:200]
        raise DiaryError(f"{source}: not a readable CSV file ({reason})", source=source) from None
    if bad_rows:
        _csv_structure_error(text, source)
    df = table.to_pandas(types_mapper=_types_mapper)
    return df, locate


def _csv_structure_error(text: str, source: str) -> None:
    """Find the first record whose field count differs from the header and raise."""
    header: list[str] | None = None
    try:
        for line, fields in _csv_records(text):
            if header is None:
                header = fields
                if len(set(h.strip().lower() for h in header)) != len(header):
                    return  # reported by validate_episodes
                continue
            if len(fields) != len(header):
                raise DiaryError(
                    f"{source}, line {line}: the row has {len(fields)} field"
                    f"{'s' if len(fields) != 1 else ''} but the header has {len(header)} columns",
                    source=source,
                    line=line,
                )
    except csv.Error as exc:
        reason = " ".join(str(exc).split())[:200]
        raise DiaryError(f"{source}: not a readable CSV file ({reason})", source=source) from None


def _types_mapper(arrow_type):
    import pyarrow as pa

    if arrow_type == pa.bool_():
        return pd.BooleanDtype()
    return None


def _read_jsonl(path: Path, data: bytes, source: str) -> tuple[pd.DataFrame, Callable]:
    data, text = _utf8_text(data, source, "save it as UTF-8 text")

    # Fast path: the whole file at once; the exact line-by-line reader on any trouble.
    df: pd.DataFrame | None = None
    try:
        import pyarrow.json as pj

        df = pj.read_json(io.BytesIO(data)).to_pandas(types_mapper=_types_mapper)
    except Exception:  # noqa: BLE001
        df = None
    line_numbers: list[int] = []

    def numbers() -> list[int]:
        if not line_numbers:
            line_numbers.extend(
                number for number, line in enumerate(text.splitlines(), start=1) if line.strip()
            )
        return line_numbers

    if df is None and text.lstrip().startswith("["):
        return _read_json_array(text, source)
    if df is None:
        lines = text.splitlines()
        records: list[dict] = []
        for number in numbers():
            try:
                obj = json.loads(lines[number - 1])
            except json.JSONDecodeError as exc:
                raise DiaryError(
                    f"{source}, line {number}: not a JSON object ({exc.msg})",
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
        df = pd.DataFrame.from_records(records)
        df = df.astype(object).where(df.notna(), None)

    def locate(i: int) -> tuple[str, int | None]:
        if i < len(numbers()):
            return f"line {line_numbers[i]}", line_numbers[i]
        return f"row {i + 1}", None

    return df, locate


def _read_json_array(text: str, source: str) -> tuple[pd.DataFrame, Callable]:
    """A JSON array of episode objects (rows are named 'record N')."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DiaryError(
            f"{source}, line {exc.lineno}: not valid JSON ({exc.msg})", source=source, line=exc.lineno
        ) from None
    if not isinstance(data, list) or not data:
        raise DiaryError(f"{source}: expected episodes, one JSON object per line", source=source)
    for i, obj in enumerate(data):
        if not isinstance(obj, dict):
            raise DiaryError(
                f"{source}, record {i + 1}: each episode must be a JSON object", source=source, row=i + 1
            )
    df = pd.DataFrame.from_records(data)
    df = df.astype(object).where(df.notna(), None)

    def locate(i: int) -> tuple[str, int | None]:
        return f"record {i + 1}", None

    return df, locate


def _read_parquet(path: Path, data: bytes, source: str) -> tuple[pd.DataFrame, Callable]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise DiaryError(f"{source}: not a readable Parquet file ({reason})", source=source) from None
    if table.num_columns == 0:
        raise DiaryError(f"{source}: the file is empty", source=source)
    df = table.to_pandas(types_mapper=_types_mapper)

    def locate(i: int) -> tuple[str, int | None]:
        return f"row {i + 1}", None

    return df, locate


def read_diary(path: str | Path) -> pd.DataFrame:
    """Read and validate a diary (CSV, JSON lines or Parquet).

    Returns a DataFrame with the observable columns present in the file, typed:
    booleans as ``bool`` (``followed_through`` and ``boundary_respected`` as
    nullable ``boolean``), numbers as ``float`` with NaN for empty cells, ``t``
    as integer day numbers (plus ``date`` if dates were given), ``episode`` as
    integers (numbered from 1 if the column is missing). Notes about the reading
    are in ``df.attrs["diary_notes"]``.

    Raises :class:`DiaryError` (a ``ValueError``) naming file, line or row, and
    column for every problem. The file is opened read-only and never changed.
    """
    path = Path(path)
    source = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise DiaryError(f"{source}: no such file", source=source) from None
    except IsADirectoryError:
        raise DiaryError(f"{source}: is a folder, not a diary file", source=source) from None
    except OSError as exc:
        raise DiaryError(f"{source}: cannot read the file ({exc.strerror})", source=source) from None
    if not data.strip():
        raise DiaryError(f"{source}: the file is empty", source=source)

    fmt = _detect_format(path, data[:64])
    reader = {"csv": _read_csv, "jsonl": _read_jsonl, "parquet": _read_parquet}[fmt]
    raw, locate = reader(path, data, source)
    result = validate_episodes(raw, source=source, locate=locate)
    result.attrs["diary_format"] = fmt
    return result


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
