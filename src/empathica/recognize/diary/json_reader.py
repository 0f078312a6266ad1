"""The JSON readers: JSON lines (one object per line) and a JSON array of objects.

A fast reader (pyarrow) takes flat files whose ids it keeps exact; every other file
goes through Python's json line by line, which keeps integers exact and names the
line of any problem.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from empathica.recognize.diary.arrow import _arrow_frame
from empathica.recognize.diary.cells import _EXACT_LIMIT
from empathica.recognize.diary.columns import LABEL_COLUMNS
from empathica.recognize.diary.errors import DiaryError
from empathica.recognize.diary.raw import _Raw, _utf8_bytes


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
