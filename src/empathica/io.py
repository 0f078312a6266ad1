"""Chunked writing of tidy tables (Parquet by default, CSV on request)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from empathica.errors import EmpathicaInputError

FORMATS = ("parquet", "csv")


def _parquet_options(schema) -> dict:
    """Dictionary-encode only categorical columns and keep statistics only for
    non-float columns: float columns are high-entropy, so trying a dictionary and
    computing min/max for them cost about half the writing time and gain nothing."""
    import pyarrow as pa

    cats = [f.name for f in schema if pa.types.is_dictionary(f.type)]
    stats = [f.name for f in schema if not pa.types.is_floating(f.type)]
    return {"use_dictionary": cats, "write_statistics": stats}


class TableWriter:
    """Append DataFrames chunk by chunk to one Parquet or CSV file."""

    def __init__(self, stem: Path, fmt: str = "parquet"):
        if fmt not in FORMATS:
            raise EmpathicaInputError(f"unknown format {fmt!r}: use parquet or csv")
        self.path = stem.with_suffix("." + fmt)
        self.fmt = fmt
        self._writer = None
        self._schema = None
        self.rows = 0

    def write(self, df: pd.DataFrame) -> None:
        if self.fmt == "csv":
            df.to_csv(self.path, mode="a" if self.rows else "w", header=not self.rows, index=False)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df, preserve_index=False, schema=self._schema)
            if self._writer is None:
                self._schema = table.schema
                self._writer = pq.ParquetWriter(self.path, self._schema, **_parquet_options(self._schema))
            self._writer.write_table(table)
        self.rows += len(df)

    def close(self) -> Path:
        if self.fmt == "parquet" and self._writer is None:
            raise EmpathicaInputError("nothing to write")
        if self._writer is not None:
            self._writer.close()
        return self.path

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
