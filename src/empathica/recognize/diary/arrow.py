"""pyarrow tables as pandas frames the cell parsers can read, and the Parquet reader.

The CSV reader, the fast JSON-lines reader and the Parquet reader all get a pyarrow
table; here it becomes a frame with exact integer ids, nested cells marked for the
checks and bytes checked to be UTF-8 text.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from empathica.model.schema import OBSERVABLE_COLUMNS
from empathica.recognize.diary.cells import _clean
from empathica.recognize.diary.columns import LABEL_COLUMNS
from empathica.recognize.diary.errors import _NESTED, DiaryError, Locator, _name, _show
from empathica.recognize.diary.raw import _Raw


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
