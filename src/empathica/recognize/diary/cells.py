"""Per-column cell parsers: a raw column of a diary to typed values, every bad cell recorded.

Each parser reads one kind of column (true/false, a number, a number from 0 to 1, a
whole number, an id, a kind of need, a day number or a date) from whatever a reader
produced (text, numbers, booleans, nested values), and records every cell it cannot
read with the collector of :mod:`empathica.recognize.diary.problems`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from empathica.model.schema import NEED_TYPES
from empathica.recognize.diary.errors import _CONTAINERS, _is_container, _Nested, _show
from empathica.recognize.diary.problems import _Problems

_TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "1.0"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "0.0"})
_EMPTY_WORDS = frozenset({"", "na", "n/a", "nan", "null", "none", "-"})

_EXACT_LIMIT = 2**53  # from here on a float is not an exact integer (2**53 + 1 reads as 2**53)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_DECIMAL_COMMA = re.compile(r"[+-]?(?:[0-9]+,[0-9]*|,[0-9]+)")
_NESTED_MESSAGE = "is a list/object, not a single value"


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
