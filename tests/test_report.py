"""``empathica report``: one self-contained page per run, validation output and diary;
bad input gets one line; hostile strings from data stay text."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import empathica
from empathica.recognize import synthetic_diary
from empathica.recognize.limits import LIMITS
from empathica.report import build, figures

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "empathica.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd
    )


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("r") / "run"
    empathica.simulate(["bpd:secure", "npd:secure"], dyads=15, days=90, seed=2).save(out)
    return out


def test_run_report_is_self_contained(run_dir, tmp_path):
    target = tmp_path / "run.html"
    res = cli("report", run_dir, "--out", target)
    assert res.returncode == 0, res.stderr
    html = target.read_text()
    assert "<script src" not in html and "<link" not in html and "@import" not in html  # nothing fetched
    assert re.search(r"https?://(?!www\.w3\.org)", html.split("<script>", 1)[0]) is None
    assert "default-src 'none'" in html
    meta = json.loads(re.search(r"id='report-meta'>(.*?)</script>", html)[1])
    assert meta["figures"] == 3
    assert "Plotly.newPlot" in html and "not a diagnostic tool" in html


def test_existing_report_needs_force_and_png_folder(run_dir, tmp_path):
    target = tmp_path / "r.html"
    assert cli("report", run_dir, "--out", target).returncode == 0
    again = cli("report", run_dir, "--out", target)
    assert again.returncode == 2 and "--force" in again.stderr and "Traceback" not in again.stderr
    png = tmp_path / "png"
    res = cli("report", run_dir, "--out", target, "--force", "--png", png)
    assert res.returncode == 0, res.stderr
    assert {p.name for p in png.glob("*.png")} == {"trajectories.png", "responses.png", "distributions.png"}
    assert all(p.stat().st_size > 10_000 for p in png.glob("*.png"))
    assert not list(tmp_path.glob(".*partial*"))


def test_diary_report_says_what_the_numbers_cannot_tell(tmp_path):
    diary = tmp_path / "d.csv"
    synthetic_diary(n_actors=3, episodes=40, seed=5).to_csv(diary, index=False)
    rep = build(diary=diary)
    text = " ".join(re.sub(r"<[^>]+>", " ", rep.html).split())
    assert " ".join(LIMITS.split()).replace('"', "&quot;") in text
    assert "Verdicts" in rep.html


def test_readme_has_the_same_wording_of_what_the_numbers_cannot_tell():
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert " ".join(LIMITS.split()) in readme


def test_hostile_names_stay_text(tmp_path):
    diary = tmp_path / "d.csv"
    d = synthetic_diary(n_actors=2, episodes=30, seed=1)
    d["actor"] = d["actor"].map({0: "<script>alert(1)</script>", 1: "</script><img src=x onerror=alert(2)>"})
    d.to_csv(diary, index=False)
    html = build(diary=diary).html
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)" in html or "\\u003cscript" in html


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-folder"], "not a folder"),
        (["--diary", "missing.csv"], "missing.csv"),
        ([], "give a run or validation folder"),
    ],
)
def test_bad_input_is_one_line(tmp_path, args, message):
    res = cli("report", *args, "--out", tmp_path / "x.html", cwd=tmp_path)
    assert res.returncode == 2 and message in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_validation_report_marks_fitted_and_expected_ranges(tmp_path):
    from empathica.validation.report import run_validation, write

    write(run_validation(only="L2,A4"), tmp_path / "v")
    rep = build(source=tmp_path / "v")
    tab = rep.tables["forest"]
    row = tab[(tab["key"] == "L2.contagion") & (tab["profile_family"] == "evidence")].iloc[0]
    assert (row["expected_low"], row["expected_high"]) == (0.8, 1.4) and row["basis"] == "fitted"
    assert figures.expected_range("higher: g > 0.5") == (0.5, float("inf"))
    assert figures.expected_range("|g| < 0.3 (published 0.06)") == (-0.3, 0.3)
    lo, hi = figures.expected_range("a direction only")
    assert lo != lo and hi != hi  # NaN: no range stated


def test_app_refuses_other_interfaces_without_expose():
    res = cli("app", "--host", "0.0.0.0")
    assert res.returncode == 2 and "--expose" in res.stderr
