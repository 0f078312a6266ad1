"""The CSV reader: comment and blank lines, the delimiter, structure errors, line numbers.

A CSV diary may hold ``#`` comment lines and blank lines (skipped unless inside a
quoted field), may be semicolon- or tab-separated, and every problem must name the
line of the file where the record starts: :class:`_Lines` indexes the lines once,
with array operations over the bytes, for all of that.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from empathica.recognize.diary.arrow import _arrow_frame
from empathica.recognize.diary.columns import LABEL_COLUMNS
from empathica.recognize.diary.errors import DiaryError, Locator, _show
from empathica.recognize.diary.raw import _Raw, _utf8_bytes


class _Lines:
    """The lines of a text file, and which of them are comments or blank.

    The comment rule, the same for every reading of a CSV file: a line is skipped
    when it starts outside a quoted field and its first non-blank character is
    ``#`` or it has none. Whether a line starts inside a quoted field is the
    parity of the ``"`` characters before it (RFC 4180: an escaped ``""`` counts
    twice), not counting those on skipped lines. Lines end at ``\\n``, ``\\r\\n``
    or a lone ``\\r``. Everything is computed with array operations over the
    bytes; only comment lines with an odd number of quotes need a step each.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        n = len(data)
        arr = np.frombuffer(data, dtype=np.uint8)
        brk = arr == 10
        if b"\r" in data:
            cr = arr == 13
            cr[:-1] &= ~brk[1:]  # the \r of \r\n does not end a line by itself
            brk |= cr
        ends = np.flatnonzero(brk)
        starts = np.concatenate((np.zeros(1, dtype=np.int64), ends + 1))
        if n == 0 or starts[-1] >= n:
            starts = starts[:-1]  # the file ends with a line break
        self.starts = starts
        self.stops = np.append(starts[1:], n).astype(np.int64)
        count = len(starts)

        # Lines that look like comments or blank lines (first non-blank byte).
        if count:
            first = arr[starts]
        else:
            first = np.zeros(0, dtype=np.uint8)
        like = (first == 35) | (first == 10) | (first == 13)
        indented = np.flatnonzero((first == 32) | (first == 9))
        if len(indented):
            pos = starts[indented].copy()
            stop = self.stops[indented]
            active = np.arange(len(indented))
            for _ in range(64):  # step over leading blanks, one byte per step
                p = pos[active]
                inside = p < stop[active]
                c = arr[np.minimum(p, n - 1)]
                more = inside & ((c == 32) | (c == 9))
                active = active[more]
                if not len(active):
                    break
                pos[active] += 1
            for a in active:  # lines indented by more than 64 blanks
                rest = data[pos[a] : stop[a]].lstrip(b" \t")
                pos[a] = stop[a] - len(rest)
            c = arr[np.minimum(pos, n - 1)]
            like[indented] = (pos >= stop) | (c == 35) | (c == 10) | (c == 13)

        self._like = like
        # Without comment-like lines nothing is skipped, whatever the quotes: their
        # state is then worked out only if it is asked for (to locate a problem).
        self.skip = like & ~self.in_quote if like.any() else like

    @functools.cached_property
    def _quote_state(self) -> tuple[np.ndarray, np.ndarray]:
        """Whether each line starts inside a quoted field, and its number of quotes mod 2."""
        count = len(self.starts)
        if b'"' not in self.data or not count:
            return np.zeros(count, dtype=bool), np.zeros(count, dtype=np.int64)
        arr = np.frombuffer(self.data, dtype=np.uint8)
        # Quotes per line, mod 2, from the running parity of quotes over the bytes.
        parity = np.bitwise_xor.accumulate((arr == 34).view(np.uint8))
        before_line = np.zeros(count, dtype=np.uint8)
        before_line[1:] = parity[self.starts[1:] - 1]
        quotes = (parity[self.stops - 1] ^ before_line).astype(np.int64)
        del parity
        base = (np.cumsum(quotes, dtype=np.int64) - quotes) & 1  # quotes before each line, mod 2
        toggles = np.zeros(count, dtype=np.int64)
        candidates = np.flatnonzero(self._like)
        flips = 0
        for k in candidates[quotes[candidates] == 1]:
            if (base[k] ^ (flips & 1)) == 0:  # a comment: its quotes do not count
                flips += 1
                if k + 1 < count:
                    toggles[k + 1] += 1
        return ((base ^ (np.cumsum(toggles) & 1)) & 1).astype(bool), quotes

    @property
    def in_quote(self) -> np.ndarray:
        return self._quote_state[0]

    @property
    def quotes(self) -> np.ndarray:
        return self._quote_state[1]

    @functools.cached_property
    def text(self) -> str:
        return self.data.decode("utf-8")

    def record_text(self, k: int) -> str:
        """The text of the record that starts on line k (with any quoted line breaks)."""
        line = self.data[self.starts[k] : self.stops[k]]
        if line.count(b'"') % 2 == 0:
            return line.decode("utf-8")
        starts = np.flatnonzero(~self.skip & ~self.in_quote)
        later = starts[starts > k]
        stop = int(self.starts[later[0]]) if len(later) else len(self.data)
        return self.data[self.starts[k] : stop].decode("utf-8")

    def first_kept(self) -> int | None:
        kept = np.flatnonzero(~self.skip)
        return int(kept[0]) if len(kept) else None

    def line_bytes(self, k: int) -> bytes:
        return self.data[self.starts[k] : self.stops[k]].rstrip(b"\r\n")

    def kept_bytes(self) -> bytes:
        """The file without its skipped lines."""
        skipped = np.flatnonzero(self.skip)
        if not len(skipped):
            return self.data
        breaks = np.flatnonzero(np.diff(skipped) != 1)
        run_first = skipped[np.concatenate(([0], breaks + 1))]
        run_last = skipped[np.concatenate((breaks, [len(skipped) - 1]))]
        view = memoryview(self.data)
        pieces = []
        pos = 0
        for a, b in zip(run_first, run_last, strict=True):
            pieces.append(view[pos : self.starts[a]])
            pos = int(self.stops[b])
        pieces.append(view[pos:])
        return b"".join(pieces)

    def record_lines(self) -> np.ndarray:
        """1-based numbers of the lines where a record (header or row) starts."""
        return np.flatnonzero(~self.skip & ~self.in_quote) + 1

    def unclosed_quote_line(self) -> int | None:
        """The line of a quote that opens a field never closed, if the quotes do not pair up."""
        kept_quotes = int(self.quotes[~self.skip].sum(dtype=np.int64))
        if kept_quotes % 2 == 0:
            return None
        starts = np.flatnonzero(~self.skip & ~self.in_quote)
        return int(starts[-1]) + 1 if len(starts) else None


def _csv_records(text: str, skip: np.ndarray, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of each CSV record, leaving out the lines ``skip`` marks
    (:class:`_Lines`: comments and blank lines)."""
    starts: list[int] = []
    limit = len(skip)

    def lines():
        for number, line in enumerate(io.StringIO(text, newline=""), start=1):
            if number <= limit and skip[number - 1]:
                continue
            starts.append(number)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    consumed = 0
    for fields in reader:
        first = starts[consumed]
        consumed = len(starts)
        yield first, fields


def _csv_locator(lines: _Lines, delimiter: str, n_rows: int) -> Locator:
    """Data row -> the line where its record starts, worked out when first asked."""
    found: list[list[int]] = []

    def record_lines() -> list[int]:
        if not found:
            records = lines.record_lines()
            if len(records) == n_rows + 1:
                # Every record starts on a line outside quotes: straight from the line index.
                found.append(records.tolist())
            else:
                # Quotes the parser reads differently (a quote inside a field): count records.
                numbers: list[int] = []
                try:
                    for number, _ in _csv_records(lines.text, lines.skip, delimiter):
                        numbers.append(number)
                except csv.Error:
                    pass
                found.append(numbers)
        return found[0]

    def locate(i: int) -> tuple[str, int | None]:
        numbers = record_lines()  # numbers[0] is the header line
        if 0 <= i and i + 1 < len(numbers):
            line = numbers[i + 1]
            return f"line {line}", line
        return f"data row {i + 1}", None

    return locate


def _delimiter(header: bytes) -> tuple[str, str | None]:
    """The delimiter, from the header line: a comma, unless the header has none but has
    semicolons or tabs."""
    if b"," in header:
        return ",", None
    semicolons, tabs = header.count(b";"), header.count(b"\t")
    if semicolons == 0 and tabs == 0:
        return ",", None
    if semicolons >= tabs:
        return ";", "read as semicolon-separated (the header line has semicolons and no commas)"
    return "\t", "read as tab-separated (the header line has tabs and no commas)"


def _read_csv(path: Path, data: bytes, source: str) -> _Raw:
    import pyarrow as pa
    import pyarrow.csv as pv

    data = _utf8_bytes(data, source, "save it as UTF-8 CSV")
    lines = _Lines(data)
    header = lines.first_kept()
    if header is None:
        raise DiaryError(f"{source}: the file has only comments, no header and no episodes", source=source)
    delimiter, note = _delimiter(lines.line_bytes(header))
    notes = [note] if note else []
    body = lines.kept_bytes()

    # Ids are read as text so that they stay exact (no rounding through floats).
    try:
        fields = next(csv.reader(io.StringIO(lines.record_text(header), newline=""), delimiter=delimiter))
    except (StopIteration, csv.Error):
        fields = []
    column_types = {f: pa.string() for f in fields if f.strip().lower() in LABEL_COLUMNS}

    bad_rows: list[object] = []

    def on_invalid(row: object) -> str:
        bad_rows.append(row)
        return "skip"

    def read(types: dict) -> pa.Table:
        return pv.read_csv(
            io.BytesIO(body),
            parse_options=pv.ParseOptions(
                delimiter=delimiter, invalid_row_handler=on_invalid, newlines_in_values=True
            ),
            convert_options=pv.ConvertOptions(
                column_types=types,
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )

    try:
        table = read(column_types)
    except (pa.ArrowException, ValueError) as exc:
        _csv_structure_error(lines, delimiter, source)
        reason = " ".join(str(exc).split())[:200]
        raise DiaryError(f"{source}: not a readable CSV file ({_show(reason)})", source=source) from None
    if bad_rows:
        _csv_structure_error(lines, delimiter, source)
    locate = _csv_locator(lines, delimiter, table.num_rows)
    frame = _arrow_frame(table, source, locate)
    return _Raw(frame, locate, notes, decimal_comma=delimiter != ",")


def _csv_structure_error(lines: _Lines, delimiter: str, source: str) -> None:
    """Find the first record whose field count differs from the header, or a quote that
    is never closed, and raise."""
    header: list[str] | None = None
    opened = lines.unclosed_quote_line()

    def unclosed() -> DiaryError:
        return DiaryError(
            f'{source}, line {opened}: a quote (") opens a field that is never closed',
            source=source,
            line=opened,
        )

    try:
        for line, fields in _csv_records(lines.text, lines.skip, delimiter):
            if header is None:
                header = fields
                named = [h.strip().lower() for h in header if h.strip()]
                if len(set(named)) != len(named):
                    return  # reported by validate_episodes
                continue
            if len(fields) != len(header):
                if opened is not None and line >= opened:
                    raise unclosed()
                raise DiaryError(
                    f"{source}, line {line}: the row has {len(fields)} field"
                    f"{'s' if len(fields) != 1 else ''} but the header has {len(header)} columns",
                    source=source,
                    line=line,
                )
    except csv.Error as exc:
        if opened is not None:
            raise unclosed() from None
        reason = " ".join(str(exc).split())[:200]
        raise DiaryError(f"{source}: not a readable CSV file ({_show(reason)})", source=source) from None
    if opened is not None:
        raise unclosed()
