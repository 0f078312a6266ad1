"""The command line: real subprocesses for the main paths, exit code 2 and one line for bad input."""

import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from empathica.cli import app

runner = CliRunner()


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "empathica.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_simulate_writes_files_and_summary(tmp_path):
    out = tmp_path / "run"
    res = cli(
        "simulate",
        "--pair",
        "bpd:secure",
        "--pair",
        "npd:secure",
        "--dyads",
        "20",
        "--days",
        "30",
        "--seed",
        "4",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    assert "agent-episodes/s" in res.stdout
    eps = pd.read_parquet(out / "episodes.parquet")
    traj = pd.read_parquet(out / "trajectories.parquet")
    assert set(eps.true_actor_profile.unique()) == {"bpd", "npd", "secure"}
    assert len(traj) == 40 * 30


def test_same_seed_same_file_bytes(tmp_path):
    for name in ("a", "b"):
        res = cli(
            "simulate",
            "--pair",
            "bpd:npd",
            "--dyads",
            "10",
            "--days",
            "20",
            "--seed",
            "9",
            "--out",
            str(tmp_path / name),
        )
        assert res.returncode == 0, res.stderr
    for f in ("episodes.parquet", "trajectories.parquet"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()


def test_csv_format(tmp_path):
    res = runner.invoke(
        app, ["simulate", "--dyads", "5", "--days", "10", "--format", "csv", "--out", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "episodes.csv").exists() and (tmp_path / "trajectories.csv").exists()


def test_demo_small(tmp_path):
    res = runner.invoke(app, ["demo", "--dyads", "30", "--days", "60", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "A4 conditional empathy" in res.output and "A13" in res.output


def test_profiles_lists_and_sources():
    res = runner.invoke(app, ["profiles"])
    assert res.exit_code == 0 and "admiration_need" in res.output and "npd" in res.output
    one = runner.invoke(app, ["profiles", "npd"])
    assert one.exit_code == 0 and "A3" in one.output


def test_user_profile_file_and_trait_override(tmp_path):
    toml = tmp_path / "mine.toml"
    lines = ["[calm]", 'description = "a calm person"', "[calm.traits]"]
    from empathica.model.traits import TRAIT_NAMES

    lines += [f'{t} = {{ value = 0.5, source = "my guess" }}' for t in TRAIT_NAMES]
    toml.write_text("\n".join(lines))
    res = runner.invoke(
        app,
        [
            "simulate",
            "--profiles",
            str(toml),
            "--pair",
            "calm:bpd",
            "--dyads",
            "5",
            "--days",
            "10",
            "--trait",
            "calm.impulsivity=0.1",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["simulate", "--pair", "bpd:nobody"], "unknown profile"),
        (["simulate", "--pair", "bpd-secure"], "bad pair"),
        (["simulate", "--pair", "bpd:secure:npd"], "bad pair"),
        (["simulate", "--trait", "bpd.impulsivity=1.7", "--pair", "bpd:secure"], "out of range"),
        (["simulate", "--trait", "bpd.kindness=0.5", "--pair", "bpd:secure"], "unknown trait"),
        (["simulate", "--trait", "impulsivity", "--pair", "bpd:secure"], "bad --trait"),
        (["simulate", "--trait", "npd.impulsivity=0.5", "--pair", "bpd:secure"], "not in any pair"),
        (["simulate", "--dyads", "0"], "dyads must be a positive integer"),
        (["simulate", "--dyads", "-5"], "dyads must be a positive integer"),
        (["simulate", "--days", "0"], "days must be a positive integer"),
        (["simulate", "--format", "xls"], "unknown format"),
        (["simulate", "--profiles", "/nonexistent/p.toml"], "/nonexistent/p.toml: no such file"),
        (["profiles", "nobody"], "unknown profile"),
    ],
)
def test_bad_input_exit_2_one_line(tmp_path, args, message):
    defaults = [] if args[0] == "profiles" else ["--out", str(tmp_path / "o"), "--days", "3"]
    res = cli(args[0], *defaults, *args[1:])
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert message in res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    assert len(res.stderr.strip().splitlines()) == 1


def test_unwritable_out(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    res = cli("simulate", "--dyads", "2", "--days", "2", "--out", str(blocker / "sub"))
    assert res.returncode == 2
    assert "cannot write to output folder" in res.stderr and "Traceback" not in res.stderr
    assert blocker.read_text() == "not a directory"


def test_bad_profile_file_names_field(tmp_path):
    toml = tmp_path / "bad.toml"
    toml.write_text('[x]\n[x.traits]\nimpulsivity = { value = 3, source = "s" }\n')
    res = cli("simulate", "--profiles", str(toml), "--pair", "x:secure", "--out", str(tmp_path / "o"))
    assert res.returncode == 2 and str(toml) in res.stderr and "Traceback" not in res.stderr


def test_help_is_fast_to_import():
    heavy = "('numpy', 'pandas', 'numba')"
    code = f"import sys, empathica.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.stdout.strip() == "[]"  # the CLI shell imports the heavy stack lazily
