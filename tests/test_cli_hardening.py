"""The command line against hostile data and rough edges: escaped output, one-line errors,
profile files, a closed pipe, tables that fit the terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from empathica.io.terminal import json_text, visible
from empathica.model.traits import TRAIT_NAMES

HOSTILE = [
    "\x1b[2Jwiped",  # clear screen
    "\x1b]0;owned\x07",  # window title (OSC 0)
    "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",  # hyperlink (OSC 8)
    "\u202eesrever",  # right-to-left override
    "nul\x00byte",
    "\x9b31mC1",  # C1 control sequence introducer
    "[link=http://evil.example]click[/link]",  # rich markup
    "[/]",  # rich markup that crashes the renderer
    "[bold red]loud[/]",
]


def cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "empathica.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


def assert_inert(text: str) -> None:
    """No control sequence from the data: only rich's own colours and cursor handling (CSI
    m, l, h, A, K), no OSC (title, hyperlink), no screen clearing, no bidi or NUL characters."""
    assert "\x1b]" not in text, "an OSC sequence (title, hyperlink) reached the terminal"
    assert "\x1b[2J" not in text
    assert "\x00" not in text and "\u202e" not in text and "\x9b" not in text
    for match in re.finditer("\x1b", text):
        seq = text[match.start() : match.start() + 12]
        assert re.match(r"\x1b\[\??[0-9;]*[mlhAK]", seq), repr(seq)


@pytest.fixture()
def hostile_diary(tmp_path: Path) -> Path:
    rows = ["actor,responded,audience,benefit"]
    for i, name in enumerate(HOSTILE):
        quoted = '"' + name.replace('"', '""') + '"'
        for k in range(12):
            rows.append(f"{quoted},{'true' if (i + k) % 3 else 'false'},{'true' if k % 2 else 'false'},false")
    path = tmp_path / "hostile.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("color", [False, True], ids=["plain", "forced-colour"])
def test_recognize_shows_hostile_names_escaped(hostile_diary, color):
    env = {"FORCE_COLOR": "1", "COLUMNS": "200"} if color else {"NO_COLOR": "1", "COLUMNS": "200"}
    res = cli("recognize", str(hostile_diary), "--evidence", "2", env=env)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    assert_inert(res.stdout + res.stderr)
    assert "[link=http://evil.example]click[/link]" in res.stdout  # shown, not interpreted
    assert "\\x1b[2Jwiped" in res.stdout and "\\u202eesrever" in res.stdout


def test_recognize_json_is_valid_and_inert(hostile_diary):
    res = cli("recognize", str(hostile_diary), "--json")
    assert res.returncode == 0, res.stderr
    assert_inert(res.stdout)
    names = {a["actor"] for a in json.loads(res.stdout)["actors"]}
    assert names == set(HOSTILE)  # the same values, escaped only on the wire


def test_json_text_escapes_what_json_dumps_keeps_raw():
    raw = json.dumps({"x": "a\u202eb\x7fc\x9bd\u2028e\U000e0001"}, ensure_ascii=False)
    safe = json_text(raw)
    assert json.loads(safe) == json.loads(raw)
    assert all(ch.isprintable() or ch == "\n" for ch in safe)


def test_visible_makes_controls_visible_and_keeps_letters():
    assert visible("José\x1b[2J\u202e") == "José\\x1b[2J\\u202e"
    assert visible("plain text") == "plain text"


def test_hostile_file_name_in_an_error(tmp_path):
    res = cli("recognize", str(tmp_path / "\x1b]0;owned\x07.csv"))
    assert res.returncode == 2
    assert_inert(res.stderr)
    assert len(res.stderr.strip().splitlines()) == 1


def test_hostile_profile_description(tmp_path):
    toml = tmp_path / "p.toml"
    toml.write_text(
        '[mine]\nbase = "secure"\ndescription = "[link=http://evil.example]x[/link] \\u001b[2J \\u202e"\n',
        encoding="utf-8",
    )
    for args in (["profiles", "--profiles", str(toml), "mine"], ["profiles", "--file", str(toml)]):
        res = cli(*args, env={"FORCE_COLOR": "1"})
        assert res.returncode == 0, res.stderr
        assert_inert(res.stdout)
    assert "[link=http://evil.example]x[/link]" in cli("profiles", "--profiles", str(toml), "mine").stdout


# --------------------------------------------------------------- profile files


def write_toml(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_profile_with_bare_numbers_and_a_base(tmp_path):
    from empathica.model.profiles import builtin_profiles, load_profile_file

    path = write_toml(tmp_path, '[calm]\nbase = "bpd"\n[calm.traits]\nemotion_regulation = 0.7\n')
    calm = load_profile_file(path)["calm"]
    bpd = builtin_profiles()["bpd"]
    assert calm.traits["emotion_regulation"].value == 0.7
    assert "without a source" in calm.traits["emotion_regulation"].source
    assert calm.traits["impulsivity"].value == bpd.traits["impulsivity"].value
    assert calm.traits["impulsivity"].source.startswith("from bpd:")
    res = cli(
        "simulate", "--profiles", str(path), "--pair", "calm:secure", "--dyads", "3", "--days", "5",
        "--out", str(tmp_path / "o"),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr


@pytest.mark.parametrize(
    "text, message",
    [
        ("[bpd]\nbase = 'secure'\n", "name of a built-in profile"),
        ('["my.profile"]\nbase = "secure"\n', "profile name"),
        ('["café"]\nbase = "secure"\n', "profile name"),
        ("[x]\nbase = 'nobody'\n", "is not a known profile"),
        ("[x]\nbase = 'secure'\n[x.traits]\nimpulsivity = true\n", "write a number from 0 to 1"),
        ("[x]\nbase = 'secure'\n[x.traits]\nimpulsivity = {value = true, source = 's'}\n", "not a number"),
        ("[x]\nbase = 'secure'\n[x.traits]\nimpulsivity = '0.5'\n", "write a number from 0 to 1"),
        ("[x]\nbase = 'secure'\n[x.traits]\nimpulsivity = 1.5\n", "less than or equal to 1"),
        ("[x]\n[x.traits]\nimpulsivity = 0.5\n", "missing trait"),
        ("", "no profiles in the file"),
        ("x = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n", "profile"),
    ],
)
def test_bad_profile_files_get_one_line(tmp_path, text, message):
    path = write_toml(tmp_path, text)
    res = cli("profiles", "--profiles", str(path))
    assert res.returncode == 2, res.stdout
    assert message in res.stderr and "Traceback" not in res.stderr, res.stderr
    assert "TraitSpec" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("data", ["name = 'Jos\xe9'".encode("latin-1"), bytes(range(256)) * 4])
def test_profile_file_not_utf8(tmp_path, data):
    path = tmp_path / "p.toml"
    path.write_bytes(data)
    res = cli("profiles", "--profiles", str(path))
    assert res.returncode == 2 and "not UTF-8" in res.stderr and "Traceback" not in res.stderr


def test_profile_file_must_be_a_regular_file():
    res = cli("profiles", "--profiles", "/dev/zero")
    assert res.returncode == 2 and "not a regular file" in res.stderr


@pytest.mark.parametrize("value", ["0_5", "nan", "inf", "0x1", "", "1e"])
def test_trait_values_are_plain_numbers(tmp_path, value):
    res = cli("simulate", "--trait", f"impulsivity={value}", "--out", str(tmp_path / "o"), "--days", "2")
    assert res.returncode == 2 and "is not a number" in res.stderr


# ------------------------------------------------------------------ rough edges


def test_help_shows_no_bool_types():
    for args in (["--help"], ["simulate", "--help"], ["recognize", "--help"], ["validate", "--help"]):
        res = cli(*args)
        assert res.returncode == 0 and "<bool>" not in res.stdout


def test_a_closed_pipe_is_a_quiet_exit(tmp_path):
    path = tmp_path / "d.csv"
    rows = ["actor,responded,audience,benefit"] + [f"a{i % 50},true,{i % 2 == 0},false" for i in range(2000)]
    path.write_text("\n".join(rows) + "\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "empathica.cli", "recognize", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader goes away before anything is written, as `| head -0` does
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert err == b""


def test_errors_have_no_blank_line_before_them(tmp_path):
    for args in (
        ["simulate", "--pair", "bpd:nobody", "--out", str(tmp_path / "o")],
        ["recognize", str(tmp_path / "missing.csv")],
        ["validate", "--only", "X99"],
    ):
        res = cli(*args)
        assert res.returncode == 2 and res.stdout == "" and res.stderr.startswith("error: ")


def test_tables_fit_an_80_column_terminal(tmp_path):
    for args in (
        ["demo", "--dyads", "20", "--days", "20", "--no-validation"],
        ["profiles"],
        ["validate", "--only", "A4,L5"],
    ):
        res = cli(*args, env={"COLUMNS": "80"})
        assert res.returncode in (0, 1), res.stderr
        widest = max(len(line) for line in res.stdout.splitlines())
        assert widest <= 80, (args, widest)


def test_demo_names_the_claims_and_explains_parentheses(tmp_path):
    res = cli("demo", "--dyads", "20", "--days", "30", env={"COLUMNS": "100"})
    assert res.returncode == 0, res.stderr
    assert "NPD: empathy shown when it pays" in res.stdout
    assert "in parentheses is shown for information and not counted" in res.stdout
    assert "cycles" not in res.stdout
    assert not (tmp_path / "empathica-demo").exists()


def test_template_rows_are_flagged(tmp_path):
    path = tmp_path / "diary.csv"
    assert cli("diary-template", str(path)).returncode == 0
    res = cli("recognize", str(path))
    assert res.returncode == 0, res.stderr
    assert "warning:" in res.stderr and "template's example rows" in res.stderr


def test_recognize_without_t_prints_no_none(tmp_path):
    path = tmp_path / "d.csv"
    rows = ["actor,responded,audience,benefit"] + [f"Sam,{i % 3 > 0},{i % 2 == 0},false" for i in range(40)]
    path.write_text("\n".join(rows) + "\n")
    res = cli("recognize", str(path))
    assert res.returncode == 0 and "None" not in res.stdout and "t=" not in res.stdout


def test_trait_names_listed(tmp_path):
    res = cli("profiles", env={"COLUMNS": "200"})
    assert all(t in res.stdout for t in TRAIT_NAMES) and "`" not in res.stdout


def test_the_profiles_doc_example_runs(tmp_path):
    doc = (Path(__file__).resolve().parents[1] / "docs" / "profiles.md").read_text()
    toml = doc.split("```toml\n")[1].split("```")[0]
    (tmp_path / "my_profiles.toml").write_text(toml)
    commands = doc.split("```bash\n")[1].split("```")[0].strip().splitlines()
    for line in commands:
        args = line.split("#")[0].split()[1:]
        res = cli(*args, cwd=tmp_path)
        assert res.returncode == 0, (line, res.stderr)
    assert (tmp_path / "calm" / "manifest.json").exists()


@pytest.mark.parametrize("command", ["simulate", "demo", "validate"])
def test_negative_seed_is_one_line(tmp_path, command):
    res = cli(command, "--seed", "-1", cwd=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.strip() == "error: seed must be a non-negative integer, got -1"
    assert list(tmp_path.iterdir()) == []
