"""Validation of a raw episode table: column names, every cell, the cross-column rules.

:func:`validate_episodes` takes a table as a reader (or a caller) produced it and
returns it typed, or raises one DiaryError listing the problems: unnamed or repeated
columns, missing required columns, cells the parsers cannot read, repeated episode
ids and cells filled in where they do not apply. It also counts rows that are still
the template's example rows.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from empathica.model.schema import HIDDEN_COLUMNS, OBSERVABLE_COLUMNS
from empathica.recognize.diary.cells import (
    _clean,
    _parse_bool,
    _parse_int,
    _parse_label,
    _parse_need,
    _parse_time,
    _parse_unit,
)
from empathica.recognize.diary.columns import (
    BOOL_COLUMNS,
    LABEL_COLUMNS,
    NULLABLE_BOOL_COLUMNS,
    NULLABLE_COLUMNS,
    REQUIRED_COLUMNS,
    UNIT_COLUMNS,
)
from empathica.recognize.diary.errors import DiaryError, Locator, _default_locate, _is_container, _name, _show
from empathica.recognize.diary.problems import _Problems
from empathica.recognize.diary.template import _TEMPLATE_ROWS


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
