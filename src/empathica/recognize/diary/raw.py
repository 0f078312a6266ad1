"""What every reader returns (a raw table and its row locator) and the text-encoding rules.

A reader turns the bytes of one format into a :class:`_Raw` table, not yet
validated. The text formats (CSV, JSON lines) share the checks here: a UTF-16 file
is read as UTF-8, a byte-order mark is dropped, bytes that are not UTF-8 are an
error naming the line.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from empathica.recognize.diary.errors import DiaryError, Locator


class _Raw(NamedTuple):
    """A table as read from a file, before validation."""

    frame: pd.DataFrame
    locate: Locator
    notes: list[str]
    decimal_comma: bool = False


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
