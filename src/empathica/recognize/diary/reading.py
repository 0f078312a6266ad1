"""Reading a diary file: size and type checks, the format, the reader, then validation.

:func:`read_diary` opens only a regular file within the size limit, refuses
spreadsheet and compressed files with advice, decides the format from the first
bytes and the suffix, and hands the bytes to the CSV, JSON-lines or Parquet reader
before :func:`~empathica.recognize.diary.checks.validate_episodes`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from empathica.errors import EmpathicaInputError
from empathica.io import read_input_bytes
from empathica.io.rundir import check_finished_output
from empathica.recognize.diary.arrow import _read_parquet
from empathica.recognize.diary.checks import validate_episodes
from empathica.recognize.diary.csv_reader import _read_csv
from empathica.recognize.diary.errors import DiaryError
from empathica.recognize.diary.json_reader import _read_jsonl
from empathica.recognize.diary.raw import _text_encoding

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
