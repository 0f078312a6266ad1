"""Reading and validating diaries: formats, row-level errors, and never touching the file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from empathica.model.schema import NEED_TYPES, OBSERVABLE_COLUMNS
from empathica.recognize.diary import (
    REQUIRED_COLUMNS,
    DiaryError,
    diary_template,
    read_diary,
    validate_episodes,
)

HEADER = ",".join(OBSERVABLE_COLUMNS)


def row(**over: str) -> str:
    """A valid CSV data row (an unremarkable responded episode), with overrides."""
    base = {
        "episode": "1",
        "t": "0",
        "dyad": "0",
        "actor": "Sam",
        "target": "me",
        "need": "sadness",
        "intensity": "0.5",
        "audience": "false",
        "benefit": "false",
        "threat": "false",
        "boundary_asked": "false",
        "perspective_prompt": "false",
        "responded": "true",
        "accuracy": "0.7",
        "warmth": "0.8",
        "committed": "false",
        "followed_through": "",
        "boundary_respected": "",
    }
    base.update(over)
    return ",".join(base[c] for c in OBSERVABLE_COLUMNS)


def write(tmp_path: Path, text: str, name: str = "diary.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def valid_csv(n: int = 3) -> str:
    return HEADER + "\n" + "\n".join(row(episode=str(i + 1), t=str(i)) for i in range(n)) + "\n"


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), os.stat(path).st_mtime_ns


# ---------------------------------------------------------------------------- formats


def sample_frame(n: int = 30, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    responded = rng.random(n) < 0.6
    committed = responded & (rng.random(n) < 0.5)
    asked = rng.random(n) < 0.3
    return pd.DataFrame(
        {
            "episode": np.arange(1, n + 1),
            "t": np.sort(rng.integers(0, 40, n)),
            "dyad": np.zeros(n, dtype=np.int64),
            "actor": rng.choice(["Ann", "Bob", "Cy"], n),
            "target": np.full(n, "me"),
            "need": rng.choice(NEED_TYPES, n),
            "intensity": rng.random(n).round(3),
            "audience": rng.random(n) < 0.3,
            "benefit": rng.random(n) < 0.3,
            "threat": rng.random(n) < 0.2,
            "boundary_asked": asked,
            "perspective_prompt": rng.random(n) < 0.1,
            "responded": responded,
            "accuracy": np.where(responded, rng.random(n).round(3), np.nan),
            "warmth": np.where(responded, rng.random(n).round(3), np.nan),
            "committed": committed,
            "followed_through": pd.array(np.where(committed, rng.random(n) < 0.7, None), dtype="boolean"),
            "boundary_respected": pd.array(np.where(asked, rng.random(n) < 0.8, None), dtype="boolean"),
        }
    )


def assert_same(read: pd.DataFrame, original: pd.DataFrame) -> None:
    for col in OBSERVABLE_COLUMNS:
        a = read[col].astype(object).where(read[col].notna(), None).tolist()
        b = original[col].astype(object).where(original[col].notna(), None).tolist()
        if col in ("intensity", "accuracy", "warmth"):
            np.testing.assert_allclose(np.array(a, dtype=float), np.array(b, dtype=float), equal_nan=True)
        else:
            assert [str(x) for x in a] == [str(x) for x in b], col


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_reads_each_format(tmp_path: Path, fmt: str) -> None:
    df = sample_frame()
    path = tmp_path / f"diary.{fmt}"
    if fmt == "csv":
        df.to_csv(path, index=False)
    elif fmt == "jsonl":
        df.to_json(path, orient="records", lines=True)
    else:
        df.to_parquet(path)
    before = snapshot(path)
    out = read_diary(path)
    assert snapshot(path) == before
    assert_same(out, df)
    assert out["responded"].dtype == bool
    assert str(out["followed_through"].dtype) == "boolean"
    assert out.attrs["diary_format"] == fmt


def test_template_is_a_valid_diary(tmp_path: Path) -> None:
    text = diary_template()
    assert text.startswith("#")
    for col in REQUIRED_COLUMNS:
        assert f"# {col}" in text and "(required)" in text
    assert "not only the memorable ones" in text
    out = read_diary(write(tmp_path, text))
    assert len(out) == 3
    assert out["actor"].tolist() == ["Sam"] * 3
    assert out["t"].tolist() == [0, 1, 3]  # dates become day numbers
    assert "date" in out.columns
    assert any("day 0 is 2025-03-01" in note for note in out.attrs["diary_notes"])


def test_names_dates_and_spellings(tmp_path: Path) -> None:
    text = (
        "actor,t,audience,benefit,responded\n"
        "Ann,2024-01-03,yes,no,Y\n"
        "Bob,2024-01-01,0,1,n\n"
        "Ann,2024-01-10,TRUE,False,1\n"
    )
    out = read_diary(write(tmp_path, text))
    assert out["actor"].tolist() == ["Ann", "Bob", "Ann"]
    assert out["t"].tolist() == [2, 0, 9]
    assert out["audience"].tolist() == [True, False, True]
    assert out["benefit"].tolist() == [False, True, False]
    assert out["responded"].tolist() == [True, False, True]
    assert out["episode"].tolist() == [1, 2, 3]  # numbered when missing
    assert any("numbered in file order" in n for n in out.attrs["diary_notes"])


def test_minimal_diary_and_inferred_columns(tmp_path: Path) -> None:
    text = "actor,audience,benefit,responded,followed_through,notes\nA,0,0,1,1,x\nA,1,0,0,,y\n"
    out = read_diary(write(tmp_path, text))
    assert out["committed"].tolist() == [True, False]
    notes = " ".join(out.attrs["diary_notes"])
    assert "committed" in notes and "notes" in notes  # inferred column; ignored column


def test_hidden_columns_are_ignored_quietly() -> None:
    df = sample_frame(5)
    df["true_motive"] = "genuine"
    out = validate_episodes(df)
    assert "true_motive" not in out.columns
    assert not any("true_motive" in n for n in out.attrs["diary_notes"])


# ------------------------------------------------------------------------ bad input


def expect_error(path: Path, *fragments: str, one_line: bool = True) -> DiaryError:
    """read_diary raises DiaryError with these fragments, leaving the file as it was.

    One problem is one line; several are one line each (``one_line=False``).
    """
    before = snapshot(path) if path.is_file() else None
    with pytest.raises(DiaryError) as info:
        read_diary(path)
    if before is not None:
        assert snapshot(path) == before, "the input file must never be modified"
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    if one_line:
        assert "\n" not in message
    return info.value


def test_missing_required_column(tmp_path: Path) -> None:
    path = write(tmp_path, "actor,audience,responded\nA,0,1\n")
    err = expect_error(path, "missing required column 'benefit'", "actor, responded")
    assert err.column == "benefit"


def test_wrong_type_names_line_and_column(tmp_path: Path) -> None:
    text = HEADER + "\n" + row() + "\n" + row(episode="2", responded="maybe") + "\n"
    err = expect_error(write(tmp_path, text), "line 3", "column 'responded'", "'maybe'")
    assert (err.row, err.line, err.column) == (2, 3, "responded")


def test_line_numbers_count_comments_blank_lines_and_quoted_newlines(tmp_path: Path) -> None:
    text = (
        "# a comment\n\n"
        + HEADER
        + "\n"
        + row(dyad='"two\nlines"')
        + "\n# another comment\n\n"
        + row(episode="2", intensity="1.5")
        + "\n"
    )
    err = expect_error(write(tmp_path, text), "line 8", "column 'intensity'", "outside the range")
    assert err.row == 2


def test_empty_and_header_only(tmp_path: Path) -> None:
    expect_error(write(tmp_path, "", "empty.csv"), "empty")
    expect_error(write(tmp_path, "\n  \n", "blank.csv"), "empty")
    expect_error(write(tmp_path, "# only a comment\n", "comment.csv"), "only comments")
    expect_error(write(tmp_path, HEADER + "\n", "header.csv"), "no episodes")


def test_duplicate_episode_ids(tmp_path: Path) -> None:
    text = HEADER + "\n" + row(episode="7") + "\n" + row(episode="8") + "\n" + row(episode="7")
    expect_error(write(tmp_path, text), "line 4", "column 'episode'", "first on line 2")


@pytest.mark.parametrize(
    ("over", "column", "fragment"),
    [
        ({"intensity": "-0.1"}, "intensity", "outside the range 0 to 1"),
        ({"accuracy": "abc"}, "accuracy", "not a number"),
        ({"episode": "1.5"}, "episode", "not a whole number"),
        ({"need": "boredom"}, "need", "not a kind of need"),
        ({"t": "yesterday"}, "t", "neither a day number nor a date"),
        ({"actor": ""}, "actor", "empty"),
        ({"audience": ""}, "audience", "empty"),
        ({"responded": "false", "accuracy": "0.5", "warmth": ""}, "accuracy", "responded is"),
        ({"followed_through": "true"}, "followed_through", "committed is false"),
        ({"boundary_respected": "false"}, "boundary_respected", "boundary_asked is false"),
        ({"responded": "false", "accuracy": "", "warmth": "", "committed": "true"}, "committed",
         "responded is false"),
    ],
)  # fmt: skip
def test_bad_values(tmp_path: Path, over: dict[str, str], column: str, fragment: str) -> None:
    text = HEADER + "\n" + row() + "\n" + row(**{"episode": "2", **over}) + "\n"
    expect_error(write(tmp_path, text), "line 3", f"column '{column}'", fragment)


def test_day_numbers_and_dates_mixed(tmp_path: Path) -> None:
    text = "actor,t,audience,benefit,responded\nA,2024-01-01,0,0,1\nA,5,0,0,1\n"
    expect_error(write(tmp_path, text), "line 3", "column 't'", "one kind of value")


def test_ragged_row(tmp_path: Path) -> None:
    text = "actor,audience,benefit,responded\nA,0,0,1\nA,0,0\nA,0,0,1\n"
    expect_error(write(tmp_path, text), "line 3", "3 fields", "4 columns")


def test_unreadable_files(tmp_path: Path) -> None:
    expect_error(tmp_path / "nope.csv", "no such file")
    expect_error(tmp_path, "folder")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("actor,audience,benefit,responded\nJos\xe9,0,0,1\n".encode("latin-1"))
    expect_error(bad, "line 2", "not UTF-8")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not parquet")
    expect_error(broken, "not a readable Parquet file")


def test_duplicate_header(tmp_path: Path) -> None:
    expect_error(write(tmp_path, "actor,audience,benefit,responded,Actor\nA,0,0,1,B\n"), "appears twice")


def test_jsonl_errors_name_the_line(tmp_path: Path) -> None:
    good = json.dumps({"actor": "A", "audience": False, "benefit": False, "responded": True})
    text = good + "\n\n" + '{"actor": "A", "audience": 0, "benefit": 0, "responded": "x"}\n'
    expect_error(write(tmp_path, text, "d.jsonl"), "line 3", "column 'responded'")
    expect_error(write(tmp_path, good + "\n{oops\n", "e.jsonl"), "line 2", "not a JSON object")
    expect_error(write(tmp_path, good + "\n[1, 2]\n", "f.jsonl"), "line 2", "JSON object")


def test_json_array(tmp_path: Path) -> None:
    good = {"actor": "A", "audience": False, "benefit": 0, "responded": True}
    path = write(tmp_path, json.dumps([good, good]), "d.json")
    assert len(read_diary(path)) == 2
    bad = write(tmp_path, json.dumps([good, {**good, "responded": "x"}]), "e.json")
    expect_error(bad, "record 2", "column 'responded'")


def test_parquet_errors_name_the_row(tmp_path: Path) -> None:
    df = sample_frame(6)
    df.loc[4, "intensity"] = 3.0
    path = tmp_path / "d.parquet"
    df.to_parquet(path)
    expect_error(path, "row 5", "column 'intensity'")


def test_reports_first_problem_and_lists_the_rest(tmp_path: Path) -> None:
    rows = [row(episode=str(i), responded="?" if i % 2 else "true") for i in range(1, 8)]
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    err = expect_error(write(tmp_path, text), "line 2", one_line=False)
    first, *rest = str(err).split("\n")
    assert first.endswith("line 2, column 'responded': '?' is not true/false (use true/false, yes/no or 1/0)")
    assert rest == ["  column 'responded': also line 4 ('?'), line 6 ('?'), line 8 ('?')"]
    assert (err.line, err.column) == (2, "responded")


# ------------------------------------------------------------------- property-based

_cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)


@st.composite
def diaries(draw) -> pd.DataFrame:
    n = draw(st.integers(1, 12))
    seed = draw(st.integers(0, 10_000))
    df = sample_frame(n, seed)
    names = draw(
        st.lists(
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz ÄÖÜéß-'", min_size=1, max_size=8)
            .map(str.strip)
            .filter(lambda s: s != "" and s.lower() not in {"na", "nan", "none", "null", "n/a"}),
            min_size=1,
            max_size=3,
        )
    )
    df["actor"] = [names[i % len(names)] for i in range(n)]
    return df


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(df=diaries(), fmt=st.sampled_from(["csv", "jsonl", "parquet"]))
def test_property_round_trip(tmp_path: Path, df: pd.DataFrame, fmt: str) -> None:
    path = tmp_path / f"rt.{fmt}"
    if fmt == "csv":
        df.to_csv(path, index=False)
    elif fmt == "jsonl":
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        df.to_parquet(path)
    before = snapshot(path)
    out = read_diary(path)
    assert snapshot(path) == before
    assert_same(out, df)


_BAD_VALUES = {
    "responded": ["maybe", "2", "truee"],
    "audience": ["sometimes", "-1"],
    "intensity": ["1.01", "-3", "high"],
    "accuracy": ["2", "x"],
    "episode": ["x1", "2.5"],
    "need": ["boredom", "pain"],
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    n=st.integers(1, 10),
    bad_row=st.integers(0, 9),
    column=st.sampled_from(sorted(_BAD_VALUES)),
    pick=st.integers(0, 2),
    comments=st.lists(st.integers(0, 10), max_size=4),
)
def test_property_single_bad_cell_is_located(
    tmp_path: Path, n: int, bad_row: int, column: str, pick: int, comments: list[int]
) -> None:
    bad_row = bad_row % n
    values = _BAD_VALUES[column]
    bad = values[pick % len(values)]
    data = [row(episode=str(i + 1), t=str(i)) for i in range(n)]
    over = {"episode": str(bad_row + 1), "t": str(bad_row), column: bad}
    data[bad_row] = row(**over)
    lines = [HEADER, *data]
    # Insert comment and blank lines anywhere after the header; track the bad row's line.
    target = 1 + bad_row  # index in ``lines``
    for pos in sorted(comments, reverse=True):
        where = 1 + min(pos, len(lines) - 1)
        lines.insert(where, "# note" if pos % 2 else "")
        if where <= target:
            target += 1
    path = write(tmp_path, "\n".join(lines) + "\n", "bad.csv")
    err = expect_error(path, f"column '{column}'")
    assert err.line == target + 1
    assert err.row == bad_row + 1
    assert f"line {target + 1}," in str(err)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(st.lists(_cell_text, min_size=4, max_size=4), min_size=0, max_size=6),
    raw=st.binary(max_size=200),
    use_raw=st.booleans(),
    suffix=st.sampled_from([".csv", ".jsonl", ".parquet", ".dat"]),
)
def test_property_any_input_gives_frame_or_diary_error(
    tmp_path: Path, cells: list[list[str]], raw: bytes, use_raw: bool, suffix: str
) -> None:
    path = tmp_path / f"any{suffix}"
    if use_raw:
        path.write_bytes(raw)
    else:
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["actor", "audience", "benefit", "responded"])
        writer.writerows(cells)
        path.write_text(buf.getvalue(), encoding="utf-8")
    before = snapshot(path)
    try:
        out = read_diary(path)
    except DiaryError as exc:
        first, *rest = str(exc).split("\n")
        assert first and all(line.startswith("  ") for line in rest)
    else:
        assert isinstance(out, pd.DataFrame) and len(out) > 0
        assert set(REQUIRED_COLUMNS) <= set(out.columns)
        assert out["responded"].dtype == bool
    assert snapshot(path) == before
