"""Results folders (empathica.io.rundir): what may be replaced, the swap, recovery after a crash."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from empathica.errors import EmpathicaError, EmpathicaInputError, EmpathicaOutputError
from empathica.io.rundir import (
    MANIFEST,
    RunDirectory,
    check_target,
    is_results_folder,
    lock_folder,
    read_manifest,
    recover,
    swap_in,
    unlock,
)
from empathica.io.tables import TableWriter


def results(folder: Path, text: str = "x", **manifest) -> Path:
    with RunDirectory(folder, force=True, manifest=manifest) as run:
        run.write_text("a.txt", text)
    return folder


def test_a_run_appears_only_when_complete(tmp_path):
    out = tmp_path / "out"
    with RunDirectory(out, manifest={"seed": 3}) as run:
        run.write_text("a.txt", "hello")
        assert not out.exists()  # nothing under the final name while it runs
    assert run.committed and (out / "a.txt").read_text() == "hello"
    manifest = read_manifest(out)
    assert manifest["status"] == "complete" and manifest["seed"] == 3
    assert manifest["files"] == {"a.txt": {"bytes": 5}}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_exception_leaves_earlier_results_and_no_staging(tmp_path):
    out = results(tmp_path / "out", "earlier")
    with pytest.raises(RuntimeError), RunDirectory(out, force=True) as run:
        run.write_text("a.txt", "new")
        raise RuntimeError("boom")
    assert (out / "a.txt").read_text() == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_failing_table_write_keeps_its_final_name_free(tmp_path):
    import pandas as pd

    with pytest.raises(RuntimeError), RunDirectory(tmp_path / "out") as run:
        with TableWriter(run.path("episodes"), "csv") as writer:
            writer.write(pd.DataFrame({"x": [1, 2]}))
            assert writer.part.exists() and not writer.path.exists()
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_replacing_needs_force_and_a_results_folder(tmp_path):
    out = results(tmp_path / "out")
    with pytest.raises(EmpathicaInputError, match="already holds results"):
        check_target(out, force=False)
    assert check_target(out, force=True) == out
    other = tmp_path / "other"
    other.mkdir()
    (other / "thesis.tex").write_text("years of work")
    with pytest.raises(EmpathicaInputError, match="never overwritten"):
        check_target(other, force=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert check_target(empty, force=False) == empty


def test_folders_of_earlier_versions_count_as_results(tmp_path):
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "episodes.parquet").write_bytes(b"PAR1")
    (legacy / "trajectories.parquet").write_bytes(b"PAR1")
    assert is_results_folder(legacy)
    (legacy / "notes.md").write_text("mine")
    assert not is_results_folder(legacy)


@pytest.mark.parametrize("name", ["", "   ", ".", "..", "~"])
def test_out_cannot_be_empty_the_current_folder_or_above(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(EmpathicaInputError):
        check_target(name, force=True)


def test_a_file_in_the_way(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(EmpathicaInputError, match="not a folder"):
        check_target(tmp_path / "f", force=True)
    with (
        pytest.raises(EmpathicaOutputError, match="is a file, not a folder"),
        RunDirectory(tmp_path / "f" / "sub"),
    ):
        pass


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_swap_replaces_an_existing_folder(tmp_path, exchange):
    old = results(tmp_path / "out", "old")
    new = tmp_path / ".out.partial-1-x"
    new.mkdir()
    (new / "a.txt").write_text("new")
    swap_in(new, old, atomic_exchange=exchange)
    assert (old / "a.txt").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_killed_between_the_two_renames_the_earlier_results_come_back(tmp_path):
    out = results(tmp_path / "out", "earlier")
    staging = tmp_path / ".out.partial-1-x"
    staging.mkdir()
    (staging / "a.txt").write_text("new")
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from empathica.io.rundir import swap_in
        swap_in(Path({str(staging)!r}), Path({str(out)!r}), atomic_exchange=False)
        """
    )
    res = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "EMPATHICA_FAILPOINT": "swap"}, capture_output=True
    )
    assert res.returncode == -signal.SIGKILL
    assert not out.exists()  # killed with the earlier results moved aside
    recover(out)
    assert (out / "a.txt").read_text() == "earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_another_live_run_writes_is_left_alone(tmp_path):
    out = tmp_path / "out"
    staging = tmp_path / ".out.partial-999-x"
    staging.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from empathica.io.rundir import lock_folder; "
            f"fd = lock_folder(Path({str(staging)!r})); print(fd is not None, flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "True"
        recover(out)
        assert staging.exists()  # its owner is alive
        with pytest.raises(EmpathicaOutputError, match="another Empathica run"), RunDirectory(out):
            pass
    finally:
        holder.kill()
        holder.wait()
    recover(out)  # the owner died: its lock died with it
    assert not staging.exists()


def test_the_lock_is_released_on_exit(tmp_path):
    fd = lock_folder(tmp_path)
    assert fd is not None and lock_folder(tmp_path) is None
    unlock(fd)
    fd2 = lock_folder(tmp_path)
    assert fd2 is not None
    unlock(fd2)


def test_errors_are_one_family():
    assert issubclass(EmpathicaInputError, EmpathicaError) and issubclass(
        EmpathicaOutputError, EmpathicaError
    )


def test_save_is_atomic_and_refuses_to_overwrite(tmp_path):
    import empathica

    res = empathica.simulate(dyads=3, days=5, seed=1)
    paths = res.save(tmp_path / "r")
    assert [p.name for p in paths] == ["episodes.parquet", "trajectories.parquet"]
    manifest = json.loads((tmp_path / "r" / MANIFEST).read_text())
    assert manifest["files"]["episodes.parquet"]["rows"] == len(res.episodes)
    with pytest.raises(EmpathicaInputError, match="pass force=True"):
        res.save(tmp_path / "r")
    res.save(tmp_path / "r", fmt="csv", force=True)
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        "episodes.csv",
        MANIFEST,
        "trajectories.csv",
    ]


def test_unfinished_outputs_are_not_read_as_diaries(tmp_path):
    import empathica
    from empathica.recognize.diary import DiaryError, read_diary

    res = empathica.simulate(dyads=4, days=20, seed=2)
    out = tmp_path / "run"
    res.save(out)
    assert len(read_diary(out / "episodes.parquet")) == len(res.episodes)  # complete: fine
    part = tmp_path / "episodes.parquet.part"
    part.write_bytes((out / "episodes.parquet").read_bytes())
    staging = tmp_path / ".run.partial-1-x"
    staging.mkdir()
    (staging / "episodes.parquet").write_bytes((out / "episodes.parquet").read_bytes())
    for path in (part, staging / "episodes.parquet"):
        with pytest.raises(DiaryError, match="unfinished output"):
            read_diary(path)
    # A results file cut short after the run no longer matches its manifest.
    csv = tmp_path / "csvrun"
    res.save(csv, fmt="csv")
    data = (csv / "episodes.csv").read_bytes()
    (csv / "episodes.csv").write_bytes(data[: data.rindex(b"\n", 0, len(data) // 2) + 1])
    with pytest.raises(DiaryError, match="manifest"):
        read_diary(csv / "episodes.csv")
