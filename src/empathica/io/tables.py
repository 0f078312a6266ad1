"""Chunked writing of tidy tables (Parquet by default, CSV on request), one file at a time.

A table is written under ``NAME.part`` and renamed to its final name only when it
is closed after the last chunk, so a file under a final name is always complete.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from empathica.errors import EmpathicaInputError

FORMATS = ("parquet", "csv")
PART_SUFFIX = ".part"


def _parquet_options(schema) -> dict:
    """Dictionary-encode only categorical columns and keep statistics only for
    non-float columns: float columns are high-entropy, so trying a dictionary and
    computing min/max for them cost about half the writing time and gain nothing."""
    import pyarrow as pa

    cats = [f.name for f in schema if pa.types.is_dictionary(f.type)]
    stats = [f.name for f in schema if not pa.types.is_floating(f.type)]
    return {"use_dictionary": cats, "write_statistics": stats}


def fsync_path(path: Path) -> None:
    """Flush a file (or a folder's entries) to the disk, so a complete file stays complete."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise EmpathicaInputError(f"unknown format {fmt!r}: use parquet or csv")
    return fmt


class TableWriter:
    """Append DataFrames chunk by chunk to one Parquet or CSV file.

    ``close()`` (or leaving the ``with`` block normally) renames ``NAME.part`` to
    ``NAME``; ``abort()`` (or leaving it with an exception) removes the partial file.
    """

    def __init__(self, stem: Path, fmt: str = "parquet"):
        self.fmt = check_format(fmt)
        self.path = Path(stem).with_suffix("." + fmt)
        self.part = self.path.with_name(self.path.name + PART_SUFFIX)
        self._writer = None
        self._schema = None
        self._csv = None
        self.rows = 0

    def write(self, df: pd.DataFrame) -> None:
        if self.fmt == "csv":
            if self._csv is None:
                self._csv = open(self.part, "w", encoding="utf-8", newline="")  # noqa: SIM115
            df.to_csv(self._csv, header=not self.rows, index=False)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df, preserve_index=False, schema=self._schema)
            if self._writer is None:
                self._schema = table.schema
                self._writer = pq.ParquetWriter(self.part, self._schema, **_parquet_options(self._schema))
            self._writer.write_table(table)
        self.rows += len(df)

    def close(self) -> Path:
        """Finish the file and give it its final name."""
        if self._writer is None and self._csv is None:
            raise EmpathicaInputError("nothing to write")
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._csv is not None:
            self._csv.close()
            self._csv = None
        fsync_path(self.part)
        os.replace(self.part, self.path)
        return self.path

    def abort(self) -> None:
        """Close and remove the unfinished file (its final name is never written)."""
        for closer in (self._writer, self._csv):
            if closer is not None:
                try:
                    closer.close()
                except OSError:
                    pass
        self._writer = self._csv = None
        self.part.unlink(missing_ok=True)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
