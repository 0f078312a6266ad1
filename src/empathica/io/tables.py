"""Chunked writing of tidy tables (Parquet by default, CSV on request), one file at a time.

A table is written under ``NAME.part`` and renamed to its final name only when it
is closed after the last chunk, so a file under a final name is always complete.
"""

from __future__ import annotations

import os
from pathlib import Path

from empathica.errors import EmpathicaInputError

FORMATS = ("parquet", "csv")
PART_SUFFIX = ".part"


def _parquet_options(schema) -> dict:
    """Options that make writing logs fast and files small (measured; docs/performance.md):
    dictionary-encode only categorical columns (a dictionary on high-entropy floats is
    wasted work), delta-encode integer columns (ids and days are sorted or nearly so: a
    few bits per row), keep min/max statistics only for integer columns (ids and days,
    which queries filter on), and write large data pages (4 MiB: fewer page headers)."""
    import pyarrow as pa

    cats = [f.name for f in schema if pa.types.is_dictionary(f.type)]
    ints = [f.name for f in schema if pa.types.is_integer(f.type)]
    return {
        "use_dictionary": cats,
        "write_statistics": ints,
        "column_encoding": dict.fromkeys(ints, "DELTA_BINARY_PACKED"),
        "data_page_size": 4 << 20,
    }


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


def _plain_schema(schema):
    """CSV has no categories: dictionary columns are written as their text."""
    import pyarrow as pa

    return pa.schema([pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f for f in schema])


def _plain(table):
    import pyarrow as pa

    if any(pa.types.is_dictionary(t) for t in table.schema.types):
        return table.cast(_plain_schema(table.schema))
    return table


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
        self.rows = 0

    def write(self, data) -> None:
        """Append a chunk: an Arrow table (fast) or a DataFrame."""
        import pyarrow as pa

        table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
        if self._schema is not None and table.schema != self._schema:
            table = table.cast(self._schema)
        if self.fmt == "csv":
            import pyarrow.csv as pc

            if self._writer is None:
                self._schema = table.schema
                self._writer = pc.CSVWriter(self.part, _plain_schema(table.schema))
            self._writer.write_table(_plain(table))
        else:
            import pyarrow.parquet as pq

            if self._writer is None:
                self._schema = table.schema
                self._writer = pq.ParquetWriter(self.part, self._schema, **_parquet_options(self._schema))
            self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> Path:
        """Finish the file and give it its final name."""
        if self._writer is None:
            raise EmpathicaInputError("nothing to write")
        self._writer.close()
        self._writer = None
        fsync_path(self.part)
        os.replace(self.part, self.path)
        return self.path

    def abort(self) -> None:
        """Close and remove the unfinished file (its final name is never written)."""
        if self._writer is not None:
            try:
                self._writer.close()
            except OSError:
                pass
        self._writer = None
        self.part.unlink(missing_ok=True)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
