"""Regression tests for the diary reader's hardening: each test is a case that once went wrong.

Comments inside quoted fields, exact ids, deep nesting, lone surrogates, devices
and pipes, semicolon-separated files, spreadsheets, empty header cells, several
problems in one message, the template's example rows, and speed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from empathica.recognize.diary import (
    MAX_DIARY_BYTES,
    DiaryError,
    diary_template,
    read_diary,
    validate_episodes,
)
from empathica.recognize.diary.csv_reader import _csv_records, _Lines
from empathica.recognize.recognizer import recognize

BASE = "actor,responded,audience,benefit"


def write(tmp_path: Path, content: str | bytes, name: str = "diary.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def error_of(path: Path, *fragments: str, **kwargs) -> DiaryError:
    """The DiaryError read_diary raises, with every fragment in its message; file untouched."""
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(DiaryError) as info:
        read_diary(path, **kwargs)
    if before is not None:
        assert path.read_bytes() == before
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    return info.value


_CHILD_MEMORY = 4 << 30  # address space of a child process: a runaway read fails fast


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (_CHILD_MEMORY, _CHILD_MEMORY))
    except (ImportError, ValueError, OSError):
        pass


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The command line in a child process with bounded memory and time, so that a crash,
    a hang or a runaway read fails one test instead of taking the test run down."""
    return subprocess.run(
        [sys.executable, "-m", "empathica.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory if os.name == "posix" else None,
    )


def assert_clean_failure(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert 1 <= len(lines) <= 3, proc.stderr
    assert lines[0].startswith("error: "), proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


# --------------------------------------------------------- 1. comments and quoted fields


def test_case1_hash_lines_inside_quoted_fields_are_data(tmp_path: Path) -> None:
    text = 'actor,responded,audience,benefit\n"Sam\n# not a comment",true,false,false\n"Al",false,true,true\n'
    out = read_diary(write(tmp_path, text))
    assert out["actor"].tolist() == ["Sam\n# not a comment", "Al"]
    assert out["responded"].tolist() == [True, False]


def test_case1_quoted_hash_in_need_is_reported_at_its_line(tmp_path: Path) -> None:
    text = (
        "# a comment\n"
        "actor,responded,audience,benefit,need\n"
        "A,true,false,false,sadness\n"
        "# another comment\n"
        'B,true,false,false,"sadness\n#x"\n'
        "C,true,false,false,fear\n"
    )
    err = error_of(write(tmp_path, text), "line 5, column 'need'", "'sadness\\n#x' is not a kind of need")
    assert (err.line, err.row, err.column) == (5, 2, "need")
    assert "\n" not in str(err)


def test_case1_line_numbers_after_rows_with_embedded_newlines(tmp_path: Path) -> None:
    text = (
        "actor,responded,audience,benefit\n"
        '"two\nlines",true,false,false\n'  # lines 2-3
        "# comment\n"  # line 4
        '"three\n# still data\nlines",true,false,false\n'  # lines 5-7
        "\n"  # line 8
        "D,maybe,false,false\n"  # line 9
    )
    err = error_of(write(tmp_path, text), "line 9, column 'responded'", "'maybe'")
    assert (err.line, err.row) == (9, 3)


def test_case1_quotes_on_comment_lines_do_not_count(tmp_path: Path) -> None:
    # An odd quote on a comment line must not make the rest of the file look quoted.
    text = '# say "hello\nactor,responded,audience,benefit\nA,1,0,0\n# skipped "too\n\nB,1,0,0\nC,x,0,0\n'
    err = error_of(write(tmp_path, text), "line 7, column 'responded'", "'x'")
    assert err.row == 3


def test_case1_unclosed_quote_is_named(tmp_path: Path) -> None:
    text = 'actor,responded,audience,benefit\nA,1,0,0\n"B,1,0,0\nC,1,0,0\n'
    err = error_of(write(tmp_path, text), "line 3", "never closed")
    assert err.line == 3


_field = st.text(alphabet='ab #",;\n\t', min_size=1, max_size=8).filter(lambda s: s.strip(" \t\n") != "")


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    actors=st.lists(_field, min_size=1, max_size=8),
    gaps=st.lists(st.sampled_from(["# note", '# a "quote', "", "  ", "\t# indented"]), max_size=8),
    where=st.lists(st.integers(0, 8), max_size=8),
    bad=st.integers(-1, 7),
)
def test_case1_one_comment_rule_for_every_reading(
    actors: list[str], gaps: list[str], where: list[int], bad: int
) -> None:
    """Fast reading, line numbers and the record-by-record reader agree on every file."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["responded", "actor", "audience", "benefit"])
    header = buf.getvalue()
    chunks: list[str] = [header]
    record_lines: list[int] = []
    line = header.count("\n") + 1
    inserts = dict(zip(where, gaps, strict=False))
    for k, actor in enumerate(actors):
        if k in inserts:
            chunks.append(inserts[k] + "\n")
            line += 1
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(["maybe" if k == bad else "true", actor, "0", "0"])
        record_lines.append(line)
        chunks.append(buf.getvalue())
        line += buf.getvalue().count("\n")
    text = "".join(chunks)
    data = text.encode("utf-8")

    lines = _Lines(data)
    python_starts = [number for number, _ in _csv_records(text, lines.skip)]
    assert python_starts == [1, *record_lines]
    assert lines.record_lines().tolist() == python_starts

    folder = Path(tempfile.mkdtemp(prefix="diary-rule-"))
    path = folder / "rule.csv"
    path.write_bytes(data)
    try:
        if 0 <= bad < len(actors):
            with pytest.raises(DiaryError) as info:
                read_diary(path)
            assert info.value.line == record_lines[bad]
            assert info.value.row == bad + 1
        else:
            out = read_diary(path)
            assert out["actor"].tolist() == [a.strip() for a in actors]
    finally:
        path.unlink()
        folder.rmdir()


# ------------------------------------------------------------------------- 2. exact ids


def test_case2_ids_beyond_64_bits_stay_distinct(tmp_path: Path) -> None:
    text = f"{BASE}\n99999999999999999999,1,0,0\n99999999999999999998,0,0,0\n"
    out = read_diary(write(tmp_path, text))
    assert out["actor"].tolist() == ["99999999999999999999", "99999999999999999998"]
    result = recognize(out)
    assert len(result.actors) == 2


def test_case2_mixed_integer_spellings_stay_text(tmp_path: Path) -> None:
    out = read_diary(write(tmp_path, f"{BASE}\n007,1,0,0\n7,1,0,0\n+7,1,0,0\n"))
    assert out["actor"].tolist() == ["007", "7", "+7"]


def test_case2_integer_ids_stay_integers(tmp_path: Path) -> None:
    text = "actor,responded,audience,benefit,target,dyad\n5,1,0,0,,1\n-9223372036854775808,1,0,0,3,2\n"
    out = read_diary(write(tmp_path, text))
    assert out["actor"].tolist() == [5, -(2**63)]
    assert out["actor"].dtype == np.int64
    assert out["target"].tolist()[1] == 3 and pd.isna(out["target"].tolist()[0])
    assert out["dyad"].tolist() == [1, 2]


def test_case2_jsonl_big_integer_ids_are_exact(tmp_path: Path) -> None:
    rows = [
        '{"actor": 99999999999999999999, "responded": 1, "audience": 0, "benefit": 0}',
        '{"actor": 99999999999999999998, "responded": 1, "audience": 0, "benefit": 0}',
    ]
    out = read_diary(write(tmp_path, "\n".join(rows) + "\n", "d.jsonl"))
    assert out["actor"].tolist() == ["99999999999999999999", "99999999999999999998"]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (float("inf"), "too large to be an exact id; store ids as text or as integers"),
        (float("-inf"), "too large to be an exact id"),
        (float("nan"), "the cell is empty"),
        (1.5, "is not a whole number"),
        (2.0**60, "too large to be an exact id"),
        (2.0**53, "too large to be an exact id"),
    ],
)
def test_case2_float_ids_in_parquet(tmp_path: Path, value: float, fragment: str) -> None:
    df = pd.DataFrame(
        {
            "actor": [1.0, value],
            "responded": [True, True],
            "audience": [False, False],
            "benefit": [False, False],
        }
    )
    path = tmp_path / "d.parquet"
    df.to_parquet(path)
    err = error_of(path, "row 2, column 'actor'", fragment)
    assert (err.row, err.column) == (2, "actor")


@pytest.mark.parametrize("column", ["dyad", "target"])
@pytest.mark.parametrize("value", [float("inf"), 1.5, 2.0**60])
def test_case2_float_nullable_ids_in_parquet(tmp_path: Path, column: str, value: float) -> None:
    df = pd.DataFrame(
        {
            "actor": [1, 2],
            "responded": [True, True],
            "audience": [False, False],
            "benefit": [False, False],
            column: [np.nan, value],
        }
    )
    path = tmp_path / "d.parquet"
    df.to_parquet(path)
    error_of(path, f"row 2, column '{column}'")


def test_case2_float_ids_nullable_empty_is_fine(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {"actor": [1, 2], "responded": [True, True], "audience": [False, False], "benefit": [False, False]}
    )
    df["target"] = [np.nan, 4.0]
    path = tmp_path / "d.parquet"
    df.to_parquet(path)
    out = read_diary(path)
    assert pd.isna(out["target"].iloc[0]) and out["target"].iloc[1] == 4


@pytest.mark.parametrize(
    ("literal", "fragment"),
    [
        ("1e400", "too large to be an exact id"),
        ("Infinity", "too large to be an exact id"),
        ("-Infinity", "too large to be an exact id"),
        ("1.5", "is not a whole number"),
        ("9007199254740993.0", "too large to be an exact id"),
    ],
)
@pytest.mark.parametrize("column", ["actor", "dyad", "target"])
def test_case2_float_ids_in_jsonl(tmp_path: Path, literal: str, fragment: str, column: str) -> None:
    good = '{"actor": 1, "responded": 1, "audience": 0, "benefit": 0}'
    actor = literal if column == "actor" else "2"
    extra = f', "{column}": {literal}' if column != "actor" else ""
    text = good + "\n" + f'{{"actor": {actor}, "responded": 1, "audience": 0, "benefit": 0{extra}}}\n'
    err = error_of(write(tmp_path, text, "d.jsonl"), f"line 2, column '{column}'", fragment)
    assert (err.line, err.column) == (2, column)


def test_case2_nan_actor_in_jsonl_is_an_empty_cell(tmp_path: Path) -> None:
    text = '{"actor": NaN, "responded": 1, "audience": 0, "benefit": 0}\n'
    error_of(write(tmp_path, text, "d.jsonl"), "line 1, column 'actor'", "empty")


@pytest.mark.parametrize("column", ["dyad", "target"])
def test_case2_huge_integer_nullable_ids_in_jsonl_are_exact_text(tmp_path: Path, column: str) -> None:
    rows = [
        '{"actor": 1, "responded": 1, "audience": 0, "benefit": 0}',
        f'{{"actor": 1, "responded": 1, "audience": 0, "benefit": 0, "{column}": 999999999999999999999}}',
    ]
    out = read_diary(write(tmp_path, "\n".join(rows) + "\n", "d.jsonl"))
    assert out[column].tolist()[1] == "999999999999999999999"


def test_case2_unsigned_ids_beyond_int64_in_parquet(tmp_path: Path) -> None:
    table = pa.table(
        {
            "actor": pa.array([2**64 - 1, 2**64 - 2], pa.uint64()),
            "responded": [True, False],
            "audience": [False, False],
            "benefit": [False, True],
        }
    )
    path = tmp_path / "d.parquet"
    pq.write_table(table, path)
    out = read_diary(path)
    assert out["actor"].tolist() == [str(2**64 - 1), str(2**64 - 2)]


# ------------------------------------------------------------ 3. nesting, lists, objects


@pytest.mark.parametrize(
    "nested",
    [
        pytest.param('{"a":' * 10_000 + "1" + "}" * 10_000, id="objects-10000"),
        pytest.param("[" * 10_000 + "]" * 10_000, id="lists-10000"),
        pytest.param("[" * 100_000 + "]" * 100_000, id="lists-100000"),
    ],
)
def test_case3_deep_nesting_fails_cleanly_in_a_child_process(tmp_path: Path, nested: str) -> None:
    good = '{"actor": 1, "responded": 1, "audience": 0, "benefit": 0}'
    text = good + "\n" + '{"actor": 2, "responded": 1, "audience": 0, "benefit": 0, "x": ' + nested + "}\n"
    path = write(tmp_path, text, "deep.jsonl")
    proc = run_cli("recognize", str(path))
    assert_clean_failure(proc, "line 2", "nested too deeply")


def test_case3_deep_json_array_fails_cleanly(tmp_path: Path) -> None:
    path = write(tmp_path, "[" * 100_000 + "]" * 100_000, "deep.json")
    assert_clean_failure(run_cli("recognize", str(path)), "nested too deeply")


def test_case3_lists_and_objects_in_json_cells(tmp_path: Path) -> None:
    rows = [
        '{"actor": "A", "responded": 1, "audience": 0, "benefit": 0}',
        '{"actor": [1, 2], "responded": 1, "audience": 0, "benefit": 0}',
        '{"actor": "B", "responded": {"yes": true}, "audience": 0, "benefit": 0}',
    ]
    err = error_of(
        write(tmp_path, "\n".join(rows) + "\n", "d.jsonl"),
        "line 2, column 'actor': is a list/object, not a single value",
        "column 'responded': line 3: is a list/object",
    )
    assert (err.line, err.column) == (2, "actor")


def test_case3_list_struct_and_map_columns_in_parquet(tmp_path: Path) -> None:
    table = pa.table(
        {
            "actor": pa.array([[1], [2, 3]], pa.list_(pa.int64())),
            "responded": pa.array([{"a": 1}, None], pa.struct([("a", pa.int64())])),
            "audience": pa.array([[("k", 1)], [("k", 2)]], pa.map_(pa.string(), pa.int64())),
            "benefit": [False, False],
        }
    )
    path = tmp_path / "d.parquet"
    pq.write_table(table, path)
    err = error_of(
        path,
        "row 1, column 'actor': is a list/object, not a single value",
        "column 'responded': row 1: is a list/object",
        "column 'audience': row 1: is a list/object",
    )
    assert err.row == 1


def test_case3_flat_jsonl_still_uses_one_object_per_line(tmp_path: Path) -> None:
    rows = [f'{{"actor": "A{i}", "responded": true, "audience": false, "benefit": false}}' for i in range(5)]
    rows.insert(2, "")
    out = read_diary(write(tmp_path, "\n".join(rows) + "\n", "d.jsonl"))
    assert out["actor"].tolist() == [f"A{i}" for i in range(5)]
    bad = rows[:]
    bad[4] = bad[4].replace("true", '"perhaps"')
    error_of(write(tmp_path, "\n".join(bad) + "\n", "e.jsonl"), "line 5, column 'responded'", "'perhaps'")


# -------------------------------------------------------------------- 4. lone surrogates


def test_case4_lone_surrogates_in_json_strings(tmp_path: Path) -> None:
    rows = [
        '{"actor": "A", "responded": 1, "audience": 0, "benefit": 0, "need": "sadness"}',
        '{"actor": "\\ud800x", "responded": 1, "audience": 0, "benefit": 0, "need": "\\udfff"}',
    ]
    err = error_of(
        write(tmp_path, "\n".join(rows) + "\n", "d.jsonl"),
        "line 2, column 'actor'",
        "contains an invalid character (a lone surrogate)",
        "column 'need': line 2",
    )
    str(err).encode("utf-8")  # the message itself can be printed
    assert (err.line, err.column) == (2, "actor")


def test_case4_lone_surrogate_in_a_bool_column(tmp_path: Path) -> None:
    text = '{"actor": "A", "responded": "\\udc80", "audience": 0, "benefit": 0}\n'
    err = error_of(write(tmp_path, text, "d.jsonl"), "line 1, column 'responded'", "lone surrogate")
    assert "\n" not in str(err)  # reported once, not again as an empty cell


def test_case4_surrogate_paired_escapes_are_fine(tmp_path: Path) -> None:
    text = '{"actor": "\\ud83d\\ude00", "responded": 1, "audience": 0, "benefit": 0}\n'
    out = read_diary(write(tmp_path, text, "d.jsonl"))
    assert out["actor"].tolist() == ["\U0001f600"]


# ------------------------------------------------------------- 5. devices, pipes, size


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_case5_devices_are_refused(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    # In a child process: reading a device to its end would exhaust memory.
    code = (
        "import json\n"
        "from empathica.recognize.diary import DiaryError, read_diary\n"
        "try:\n"
        f"    read_diary({device!r})\n"
        "except DiaryError as exc:\n"
        "    print(json.dumps([str(exc), exc.source]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory if os.name == "posix" else None,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    message, source = json.loads(proc.stdout)
    assert "not a regular file" in message and "\n" not in message
    assert source == device


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_case5_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    proc = run_cli("recognize", str(fifo), timeout=60)  # a hang raises TimeoutExpired
    assert_clean_failure(proc, "named pipe")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_case5_devices_refused_by_the_command_line(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert_clean_failure(run_cli("recognize", device, timeout=60), "not a regular file")


def test_case5_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, f"{BASE}\nA,1,0,0\nB,0,1,0\n")
    size = path.stat().st_size
    err = error_of(path, f"{size} bytes", "above the limit of 20 bytes", max_bytes=20)
    assert "\n" not in str(err)
    assert len(read_diary(path, max_bytes=size)) == 2
    assert MAX_DIARY_BYTES == 1 << 30


# --------------------------------------------------------------- 6. other delimiters


def test_case6_semicolon_separated_with_decimal_commas(tmp_path: Path) -> None:
    text = "actor;responded;audience;benefit;intensity\nAnn;1;0;0;0,7\nBob;0;1;0;0.5\nAnn;1;0;1;\n"
    out = read_diary(write(tmp_path, text))
    assert out["actor"].tolist() == ["Ann", "Bob", "Ann"]
    np.testing.assert_allclose(out["intensity"].to_numpy(), [0.7, 0.5, np.nan])
    notes = " ".join(out.attrs["diary_notes"])
    assert "read as semicolon-separated" in notes
    assert "decimal comma" in notes


def test_case6_semicolon_errors_keep_line_numbers(tmp_path: Path) -> None:
    text = "# exported\nactor;responded;audience;benefit\nAnn;1;0;0\nBob;perhaps;0;0\n"
    err = error_of(write(tmp_path, text), "line 4, column 'responded'", "'perhaps'")
    assert err.line == 4


def test_case6_tab_separated(tmp_path: Path) -> None:
    out = read_diary(write(tmp_path, "actor\tresponded\taudience\tbenefit\nAnn\t1\t0\t0\n", "d.tsv"))
    assert out["actor"].tolist() == ["Ann"]
    assert any("tab-separated" in n for n in out.attrs["diary_notes"])


def test_case6_decimal_comma_in_a_comma_file_gets_a_hint(tmp_path: Path) -> None:
    text = f'{BASE},intensity\nAnn,1,0,0,"0,7"\n'
    error_of(write(tmp_path, text), "line 2, column 'intensity'", "use a dot as the decimal separator")


# ------------------------------------------------------------------- 7. spreadsheets

_ADVICE = "Excel/spreadsheet files are not read: in your spreadsheet program choose Save As / Download as"


def _zip_bytes(member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, "<xml/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("diary.xlsx", _zip_bytes("xl/workbook.xml"), id="xlsx"),
        pytest.param("diary.ods", _zip_bytes("content.xml"), id="ods"),
        pytest.param("diary.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), id="xls"),
        pytest.param("diary.csv", _zip_bytes("xl/workbook.xml"), id="xlsx-named-csv"),  # by its first bytes
        pytest.param("diary", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), id="xls-no-suffix"),
        pytest.param("diary.xlsx", b"actor,responded\n", id="by-suffix-alone"),
    ],
)
def test_case7_spreadsheets_get_advice(tmp_path: Path, name: str, content: bytes) -> None:
    err = error_of(
        write(tmp_path, content, name), _ADVICE, "'CSV UTF-8 (comma delimited)' and pass that file"
    )
    assert "\n" not in str(err) and "UTF-8 text (byte" not in str(err)


# ------------------------------------------------------------- 8. empty header cells


def test_case8_trailing_empty_columns_are_ignored(tmp_path: Path) -> None:
    out = read_diary(write(tmp_path, f"{BASE},,,\nAnn,1,0,0,,,\nBob,0,0,1,,,\n"))
    assert out["actor"].tolist() == ["Ann", "Bob"]
    assert not any("''" in n for n in out.attrs["diary_notes"])


def test_case8_empty_header_over_values_is_named_by_position(tmp_path: Path) -> None:
    err = error_of(
        write(tmp_path, f"{BASE},,,\nAnn,1,0,0,,,\nBob,0,0,1,,oops,\n"),
        "line 3: column 6 has no name in the header",
        "'oops'",
    )
    assert err.line == 3 and "appears twice" not in str(err)


# ------------------------------------------------------------- 9. several problems


def _rows(n: int, bad: dict[int, str], accuracy: dict[int, str] | None = None) -> str:
    accuracy = accuracy or {}
    lines = ["episode,actor,responded,audience,benefit,accuracy"]
    for i in range(1, n + 1):
        lines.append(f"{i},A,{bad.get(i, 'true')},0,0,{accuracy.get(i, '0.5')}")
    return "\n".join(lines) + "\n"


def test_case9_problems_grouped_by_column(tmp_path: Path) -> None:
    text = _rows(12, {1: "perhaps", 6: "perhaps", 8: "?"}, {4: "1.7", 9: "2"})
    err = error_of(write(tmp_path, text), "line 2, column 'responded'")
    first, *rest = str(err).split("\n")
    assert first == (
        f"{err.source}, line 2, column 'responded': "
        "'perhaps' is not true/false (use true/false, yes/no or 1/0)"
    )
    assert rest == [
        "  column 'responded': also line 7 ('perhaps'), line 9 ('?')",
        "  column 'accuracy': line 5: 1.7 is outside the range 0 to 1, line 10 (2.0)",
    ]
    assert (err.row, err.line, err.column) == (1, 2, "responded")


def test_case9_more_than_ten_problems(tmp_path: Path) -> None:
    text = _rows(30, {i: "x" for i in range(1, 26)})
    err = error_of(write(tmp_path, text), "line 2, column 'responded'")
    lines = str(err).split("\n")
    assert len(lines) == 3
    assert lines[1].startswith("  column 'responded': also line 3 ('x'), line 4 ('x')")
    assert lines[1].count("line ") == 9
    assert lines[2] == "  ... and 15 more problems"


def test_case9_exactly_one_problem_is_one_line(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, _rows(5, {3: "x"})), "line 4, column 'responded': 'x' is not true/false")
    assert "\n" not in str(err)


def test_case9_exactly_ten_problems_have_no_tail(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, _rows(12, {i: "x" for i in range(1, 11)})), "line 2")
    assert "more problem" not in str(err)
    assert str(err).count("line ") == 10


# ----------------------------------------------------------------- 10. template rows


def test_case10_unchanged_template_is_flagged(tmp_path: Path) -> None:
    out = read_diary(write(tmp_path, diary_template()))
    assert out.attrs["diary_template_rows"] == 3
    assert any("3 rows are the template's example rows: replace them" in n for n in out.attrs["diary_notes"])


def test_case10_template_rows_among_own_episodes(tmp_path: Path) -> None:
    text = (
        diary_template()
        + "4,2025-03-05,Sam & me,Sam,me,fear,0.4,false,false,false,false,false,true,0.5,0.5,false,,\n"
    )
    out = read_diary(write(tmp_path, text))
    assert len(out) == 4 and out.attrs["diary_template_rows"] == 3


def test_case10_own_episodes_are_not_flagged(tmp_path: Path) -> None:
    lines = diary_template().splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("episode,"))
    own = [ln.replace("Sam", "Kim") for ln in lines[header + 1 :]]
    out = read_diary(write(tmp_path, "\n".join([*lines[: header + 1], *own]) + "\n"))
    assert out.attrs["diary_template_rows"] == 0
    assert not any("template" in n for n in out.attrs["diary_notes"])


def test_case10_few_columns_are_never_called_template_rows(tmp_path: Path) -> None:
    out = read_diary(write(tmp_path, f"{BASE}\nSam,true,false,false\n"))
    assert out.attrs["diary_template_rows"] == 0


# ------------------------------------------------------------------- 11. no t column


def test_case11_messages_without_t_never_say_none(tmp_path: Path) -> None:
    text = "episode,actor,responded,audience,benefit,accuracy\n1,A,x,0,0,\n1,,1,0,0,5\n2,A,false,0,0,\n"
    err = error_of(write(tmp_path, text), "line 2, column 'responded'")
    assert "None" not in str(err)
    dup = "episode,actor,responded,audience,benefit\n1,A,1,0,0\n1,A,0,0,0\n"
    err = error_of(write(tmp_path, dup, "dup.csv"), "line 3, column 'episode'", "first on line 2")
    assert "None" not in str(err)
    out = read_diary(write(tmp_path, "actor,responded,audience,benefit\nA,1,0,0\nA,0,1,0\n", "ok.csv"))
    assert "t" not in out.columns
    assert not any("None" in n for n in out.attrs["diary_notes"])


def test_case11_validate_episodes_default_locator() -> None:
    frame = pd.DataFrame({"actor": ["A", None], "responded": [1, 1], "audience": [0, 0], "benefit": [0, 0]})
    with pytest.raises(DiaryError) as info:
        validate_episodes(frame)
    assert "row 2, column 'actor'" in str(info.value) and "None" not in str(info.value)


# ------------------------------------------------------------------------- 12. speed


def test_case12_line_index_is_vectorised() -> None:
    """The comment rule over a million lines, with quotes and comments, stays fast."""
    row = b'1,"Sam ""the"" man",true,false,false\n'
    block = row * 999 + b'# a comment with a "quote\n'
    data = b"episode,actor,responded,audience,benefit\n" + block * 1000
    start = time.perf_counter()
    lines = _Lines(data)
    elapsed = time.perf_counter() - start
    assert lines.skip.sum() == 1000
    assert len(lines.record_lines()) == 1 + 999_000
    assert elapsed < 10, elapsed


# ------------------------------------------------------------------------------ more


def test_utf16_text_from_a_spreadsheet(tmp_path: Path) -> None:
    content = "actor\tresponded\taudience\tbenefit\nJosé\t1\t0\t0\n".encode("utf-16")
    out = read_diary(write(tmp_path, content, "d.txt"))
    assert out["actor"].tolist() == ["José"]
    assert "read as UTF-16 text" in out.attrs["diary_notes"]


def test_compressed_file(tmp_path: Path) -> None:
    error_of(write(tmp_path, b"\x1f\x8b\x08\x00rest", "d.csv.gz"), "compressed (gzip)")


def test_escape_sequences_in_header_names_are_shown_escaped(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "\x1b[2Jactor,responded,audience,benefit\nA,1,0,0\n"), "missing required")
    assert "\x1b" not in str(err) and "\\x1b" in str(err)
    out = read_diary(write(tmp_path, f"{BASE},\u202enote\nA,1,0,0,x\n", "b.csv"))
    assert not any("\u202e" in n for n in out.attrs["diary_notes"])


def test_parquet_index_columns_are_not_diary_columns(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            "actor": ["A", "B"],
            "responded": [True, False],
            "audience": [False, False],
            "benefit": [False, True],
        },
        index=[10, 20],
    )
    path = tmp_path / "d.parquet"
    df.to_parquet(path)
    out = read_diary(path)
    assert not any("index" in n for n in out.attrs["diary_notes"])
    assert out["actor"].tolist() == ["A", "B"]
