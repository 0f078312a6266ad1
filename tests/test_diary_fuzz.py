"""Fuzzing the diary reader: any file gives a typed frame or one DiaryError, never a crash.

Each test writes an adversarial diary (CSV, JSON lines, Parquet or raw bytes) and
checks that ``read_diary`` either returns a frame that ``recognize`` accepts
(or refuses with an input error) or raises :class:`DiaryError`; any other
exception fails. The file's bytes must be the same after reading.

Deep nesting stays below the depth at which pyarrow's JSON reader crashes the
process (that depth is tested in a subprocess in ``test_diary_hardening.py``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from empathica.errors import EmpathicaInputError
from empathica.model.schema import OBSERVABLE_COLUMNS
from empathica.recognize.diary import REQUIRED_COLUMNS, DiaryError, read_diary
from empathica.recognize.recognizer import recognize

SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}

# ------------------------------------------------------------------------ building blocks

_NASTY_TOKENS = [
    "",
    " ",
    "#",
    "# not a comment",
    '"',
    '""',
    '"quoted, with comma"',
    "a\nb",
    "\r",
    "\r\n",
    "\x00",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\u202eevil",
    "\u2028",
    "\ufeff",
    "\x7f",
    "true",
    "false",
    "yes",
    "0",
    "1",
    "-0",
    "0.5",
    "0,7",
    "1e400",
    "-1e400",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "None",
    "null",
    str(2**70),
    str(-(2**63)),
    str(2**63),
    "9007199254740993",
    "007",
    "+7",
    "2025-03-01",
    "2025-03-01T10:00+05:00",
    "9999-12-31",
    "0001-01-01",
    "sadness",
    "good news",
    "Sam",
    "x" * 300,
]

_alphabet = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Z", "Cc", "Cf"),
)
cell = st.one_of(st.sampled_from(_NASTY_TOKENS), st.text(alphabet=_alphabet, max_size=15))

_NAMES = [*OBSERVABLE_COLUMNS, *REQUIRED_COLUMNS, *REQUIRED_COLUMNS, "Actor", " actor ", "", "", "notes"]
_NAMES += ["true_motive", "date", "\x1b[2J", "\u202eactor", "a,b", 'q"uote', "#actor"]
header_names = st.lists(st.sampled_from(_NAMES), min_size=0, max_size=9)


@st.composite
def column_names(draw) -> list[str]:
    """Header names: usually the required columns plus some others, sometimes odd ones
    (duplicates, empty names, escape sequences)."""
    if draw(st.integers(0, 4)) == 0:
        return draw(header_names)
    extra = draw(
        st.lists(
            st.sampled_from([c for c in OBSERVABLE_COLUMNS if c not in REQUIRED_COLUMNS]),
            unique=True,
            max_size=6,
        )
    )
    odd = draw(st.lists(st.sampled_from(_NAMES), max_size=2)) if draw(st.integers(0, 3)) == 0 else []
    names = [*REQUIRED_COLUMNS, *extra, *odd]
    return draw(st.permutations(names))


_BOOL_TEXT = ["true", "false", "1", "0", "yes", "no", "TRUE", "n"]
_VALID_TEXT = {
    "episode": st.integers(1, 50).map(str),
    "t": st.one_of(st.integers(0, 30).map(str), st.sampled_from(["2025-03-01", "2025-03-04"])),
    "dyad": st.sampled_from(["0", "1", "Sam & me", ""]),
    "actor": st.sampled_from(["Sam", "Al", "1", "2", str(2**70), "007", "7"]),
    "target": st.sampled_from(["me", "", "3"]),
    "need": st.sampled_from(["sadness", "good_news", "anger", "", "physical pain"]),
    "intensity": st.sampled_from(["0.1", "0.5", "1", "", "0,5"]),
    "accuracy": st.sampled_from(["", "0.2", "0.9"]),
    "warmth": st.sampled_from(["", "0.3"]),
    "followed_through": st.sampled_from(["", "true", "false"]),
    "boundary_respected": st.sampled_from(["", "true", "false"]),
}


def valid_text(name: str):
    return _VALID_TEXT.get(name.strip().lower(), st.sampled_from(_BOOL_TEXT))


nastiness = st.sampled_from([0, 0, 40, 12, 4])  # one adversarial cell in about that many (0: none)


@st.composite
def text_row(draw, names: list[str], level: int = 6) -> list[str]:
    """One row: plausible values for each column, with adversarial cells now and then."""
    return [draw(cell) if level and draw(st.integers(0, level)) == 0 else draw(valid_text(n)) for n in names]


def check_file(path: Path, **kwargs) -> None:
    """read_diary gives a frame (which recognize accepts or refuses cleanly) or DiaryError."""
    before = path.read_bytes()
    try:
        frame = read_diary(path, **kwargs)
    except DiaryError as exc:
        message = str(exc)
        assert message, "an error must say something"
        first, *rest = message.split("\n")
        assert first.strip(), message
        assert all(line.startswith("  ") for line in rest), message
    else:
        assert isinstance(frame, pd.DataFrame)
        assert len(frame) > 0
        assert set(REQUIRED_COLUMNS) <= set(frame.columns)
        assert frame["responded"].dtype == bool
        for note in frame.attrs.get("diary_notes", []):
            note.encode("utf-8")  # printable: no lone surrogates
        try:
            recognize(frame)
        except EmpathicaInputError:
            pass
    assert path.read_bytes() == before, "the input file must never be modified"


def fresh_path(suffix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="diary-fuzz-"))
    return folder / f"fuzz{suffix}"


def cleanup(path: Path) -> None:
    try:
        path.unlink()
        os.rmdir(path.parent)
    except OSError:
        pass


def check_bytes(data: bytes, suffix: str, **kwargs) -> None:
    """``check_file`` on a fresh file holding ``data``."""
    path = fresh_path(suffix)
    try:
        path.write_bytes(data)
        check_file(path, **kwargs)
    finally:
        cleanup(path)


# ---------------------------------------------------------------------------------- CSV


@st.composite
def csv_bytes(draw) -> bytes:
    names = draw(column_names())
    rows = draw(st.lists(text_row(names, draw(nastiness)), max_size=8))
    if rows and draw(st.integers(0, 5)) == 0:  # a ragged row
        rows[draw(st.integers(0, len(rows) - 1))].append("extra")
    delimiter = draw(st.sampled_from([",", ",", ",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    quoting = draw(st.sampled_from(["writer", "writer", "raw"]))
    lines: list[str] = []
    if quoting == "writer":
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        lines = buf.getvalue().split("\n")
    else:
        lines = [delimiter.join(names), *(delimiter.join(r) for r in rows)]
    # Comments and blank lines anywhere (perhaps inside quoted fields).
    for pos, extra in draw(
        st.lists(
            st.tuples(st.integers(0, 20), st.sampled_from(["# comment", '# a "quote', "", "   ", "\t#x"])),
            max_size=4,
        )
    ):
        lines.insert(min(pos, len(lines)), extra)
    if newline == "mixed":
        ends = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines), max_size=len(lines)))
        text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    else:
        text = newline.join(lines)
    prefix = draw(st.sampled_from(["", "", "\ufeff", "# header comment\n"]))
    data = (prefix + text).encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 15)) == 0:
        data = draw(st.sampled_from([b"\xff\xfe", b"\xef\xbb\xbf", b"PK\x03\x04", b"\x1f\x8b"])) + data
    elif draw(st.integers(0, 15)) == 0:
        data = (prefix + text).encode("utf-16")  # "Unicode text" from a spreadsheet
    return data


@settings(max_examples=500, **SETTINGS)
@given(data=csv_bytes(), suffix=st.sampled_from([".csv", ".txt", ".tsv", ".dat"]))
def test_fuzz_csv(data: bytes, suffix: str) -> None:
    check_bytes(data, suffix)


# -------------------------------------------------------------------------- JSON lines

json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([2**70, -(2**63), 2**63, 2**53 + 1, 0, 1, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e300, 5e-324, 0.5, 1.5]),
    st.text(max_size=10),  # may hold lone surrogates: written as \udXXX escapes
    st.sampled_from(_NASTY_TOKENS),
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


def _as_json_value(text: str) -> object:
    """The value a JSON writer would use for a cell: numbers and booleans unquoted."""
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text if text else None


@st.composite
def jsonl_bytes(draw) -> bytes:
    names = draw(column_names())
    level = draw(nastiness)
    records = []
    for _ in range(draw(st.integers(0, 6))):
        record = {}
        for name in names:
            if level and draw(st.integers(0, level)) == 0:
                if draw(st.booleans()):
                    continue  # a missing key
                record[name] = draw(json_value)
            else:
                value = draw(valid_text(name))
                record[name] = value if draw(st.booleans()) else _as_json_value(value)
        records.append(record)
    lines = [json.dumps(r, ensure_ascii=True, allow_nan=True) for r in records]
    for pos, extra in draw(
        st.lists(
            st.tuples(
                st.integers(0, 10),
                st.sampled_from(
                    [
                        "",
                        "   ",
                        "{oops",
                        "[1, 2]",
                        '"just a string"',
                        "1e400",
                        '{"actor": 1e400, "responded": true, "audience": false, "benefit": false}',
                        '{"actor": 1}{"actor": 2}',
                        '  {"actor": "indented"}',
                        '{"actor": "\\ud800", "responded": 1, "audience": 0, "benefit": 0}',
                        '{"actor": "x\u2028y", "responded": 1, "audience": 0, "benefit": 0}',
                    ]
                ),
            ),
            max_size=3,
        )
    ):
        lines.insert(min(pos, len(lines)), extra)
    depth = draw(st.sampled_from([0, 0, 0, 3, 200, 1500]))
    if depth:
        kind = draw(st.sampled_from(["list", "object"]))
        nested = "[" * depth + "]" * depth if kind == "list" else '{"a":' * depth + "1" + "}" * depth
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, '{"actor": 1, "responded": 1, "audience": 0, "benefit": 0, "x": ' + nested + "}")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines)
    if draw(st.booleans()) and records:
        text = "[" + ",".join(lines[: len(records)]) + "]"  # a JSON array instead of lines
    return text.encode("utf-8")


@settings(max_examples=500, **SETTINGS)
@given(data=jsonl_bytes(), suffix=st.sampled_from([".jsonl", ".json", ".ndjson", ".dat"]))
def test_fuzz_jsonl(data: bytes, suffix: str) -> None:
    check_bytes(data, suffix)


# ------------------------------------------------------------------------------ Parquet

_ARROW_KINDS = [
    "int64",
    "uint64",
    "float64",
    "string",
    "binary",
    "bool",
    "list",
    "struct",
    "map",
    "dictionary",
    "timestamp",
    "date",
    "null",
    "decimal",
    "float16",
]


@st.composite
def arrow_column(draw, n: int, name: str, level: int) -> pa.Array:
    if draw(st.integers(0, 3)) != 0:  # a plausible column, as text or as values
        values = [draw(text_row([name], level))[0] for _ in range(n)]
        if draw(st.booleans()):
            return pa.array([v if v else None for v in values], pa.string())
        typed = [_as_json_value(v) for v in values]
        try:
            return pa.array(typed)
        except (pa.ArrowException, ValueError, TypeError, OverflowError):
            return pa.array(values, pa.string())
    kind = draw(st.sampled_from(_ARROW_KINDS))
    nulls = st.booleans().map(lambda b: b)

    def maybe(values):
        mask = draw(st.lists(nulls, min_size=n, max_size=n))
        return [None if m and draw(st.booleans()) else v for v, m in zip(values, mask, strict=True)]

    if kind == "int64":
        vals = draw(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=n, max_size=n))
        return pa.array(maybe(vals), pa.int64())
    if kind == "uint64":
        vals = draw(st.lists(st.integers(0, 2**64 - 1), min_size=n, max_size=n))
        return pa.array(maybe(vals), pa.uint64())
    if kind == "float64":
        vals = draw(
            st.lists(
                st.one_of(
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0.0, -0.0, 1.0, 0.5, 2.0**70, 2.0**53, 1e300]),
                ),
                min_size=n,
                max_size=n,
            )
        )
        return pa.array(maybe(vals), pa.float64())
    if kind == "string":
        vals = draw(st.lists(cell, min_size=n, max_size=n))
        return pa.array(maybe(vals), pa.string())
    if kind == "binary":
        vals = draw(st.lists(st.binary(max_size=8), min_size=n, max_size=n))
        return pa.array(maybe(vals), pa.binary())
    if kind == "bool":
        vals = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        return pa.array(maybe(vals), pa.bool_())
    if kind == "list":
        vals = draw(st.lists(st.lists(st.integers(-5, 5), max_size=3), min_size=n, max_size=n))
        return pa.array(maybe(vals), pa.list_(pa.int64()))
    if kind == "struct":
        vals = draw(st.lists(st.fixed_dictionaries({"a": st.integers(0, 3)}), min_size=n, max_size=n))
        return pa.array(maybe(vals), pa.struct([("a", pa.int64())]))
    if kind == "map":
        vals = draw(
            st.lists(
                st.lists(st.tuples(st.text(max_size=3), st.integers(0, 3)), max_size=2),
                min_size=n,
                max_size=n,
            )
        )
        return pa.array(maybe(vals), pa.map_(pa.string(), pa.int64()))
    if kind == "dictionary":
        vals = draw(
            st.lists(st.sampled_from(["true", "false", "Sam", "sadness", "x"]), min_size=n, max_size=n)
        )
        return pa.array(maybe(vals), pa.string()).dictionary_encode()
    if kind == "timestamp":
        vals = draw(st.lists(st.integers(-(2**62), 2**62), min_size=n, max_size=n))
        return pa.array(maybe(vals), pa.timestamp("us"))
    if kind == "date":
        vals = draw(st.lists(st.integers(-700_000, 2_900_000), min_size=n, max_size=n))
        return pa.array(maybe(vals), pa.date32())
    if kind == "decimal":
        from decimal import Decimal

        vals = draw(
            st.lists(
                st.sampled_from([Decimal("1"), Decimal("0.5"), Decimal("-3.25")]), min_size=n, max_size=n
            )
        )
        return pa.array(maybe(vals), pa.decimal128(10, 3))
    if kind == "float16":
        import numpy as np

        vals = draw(st.lists(st.sampled_from([0.0, 1.0, 0.5]), min_size=n, max_size=n))
        return pa.array(np.array(vals, dtype=np.float16), pa.float16())
    return pa.nulls(n)


@st.composite
def parquet_table(draw) -> pa.Table:
    names = draw(column_names())
    n = draw(st.sampled_from([0, 1, 3, 6]))
    level = draw(nastiness)
    columns = [draw(arrow_column(n, name, level)) for name in names]
    return pa.Table.from_arrays(columns, names=names) if names else pa.table({})


@settings(max_examples=350, **SETTINGS)
@given(table=parquet_table())
def test_fuzz_parquet(table: pa.Table) -> None:
    path = fresh_path(".parquet")
    try:
        try:
            pq.write_table(table, path)
        except (pa.ArrowException, ValueError, TypeError):
            return  # a table Parquet cannot hold
        check_file(path)
    finally:
        cleanup(path)


# ---------------------------------------------------------------------------- raw bytes

_PREFIXES = [
    b"",
    b"PAR1",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"{",
    b"[",
]


@settings(max_examples=400, **SETTINGS)
@given(
    prefix=st.sampled_from(_PREFIXES),
    body=st.binary(max_size=300),
    header=st.booleans(),
    suffix=st.sampled_from([".csv", ".jsonl", ".parquet", ".json", ".dat", ".xlsx", ""]),
    max_bytes=st.sampled_from([None, None, 16]),
)
def test_fuzz_raw_bytes(prefix: bytes, body: bytes, header: bool, suffix: str, max_bytes: int | None) -> None:
    head = b"actor,responded,audience,benefit\n" if header and not prefix else b""
    check_bytes(prefix + head + body, suffix, **({"max_bytes": max_bytes} if max_bytes else {}))


@settings(max_examples=80, **SETTINGS)
@given(frame=st.data())
def test_fuzz_header_only_and_empty(frame) -> None:
    """Empty files, header-only files, duplicate and empty header names."""
    names = frame.draw(header_names)
    sep = frame.draw(st.sampled_from([",", ";", "\t"]))
    body = frame.draw(st.sampled_from(["", "\n", "\n\n", "\n" + sep * max(len(names) - 1, 0) + "\n"]))
    check_bytes((sep.join(names) + body).encode("utf-8"), ".csv")
