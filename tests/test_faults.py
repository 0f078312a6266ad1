"""Crash safety of results: real `empathica simulate` processes stopped at several moments.

After any interruption (Ctrl-C, SIGTERM, SIGHUP, kill -9 at chosen points of writing),
earlier results are intact, nothing under a final name is incomplete, and a rerun
gives output identical to an uninterrupted run. Bounded: about 20 short runs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from empathica.io.rundir import MANIFEST, read_manifest

#: The run that gets interrupted (a few seconds) and the earlier results it must not harm.
RUN = ["--pair", "bpd:secure", "--pair", "npd:secure", "--dyads", "3000", "--days", "200", "--seed", "5"]
EARLIER = ["--pair", "secure:secure", "--dyads", "30", "--days", "20", "--seed", "1"]
DATA = ("episodes.parquet", "trajectories.parquet")


def command(out: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "empathica.cli", "simulate", "--out", str(out), *args]


def run(out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(out, *args), capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def assert_complete_or_earlier(out: Path, earlier: dict[str, bytes], reference: dict[str, bytes]) -> str:
    """The folder holds exactly the earlier results, or exactly a complete new run."""
    now = snapshot(out)
    if now == earlier:
        return "earlier"
    manifest = read_manifest(out)
    assert manifest is not None and manifest["status"] == "complete", sorted(now)
    assert set(now) == {MANIFEST, *manifest["files"]}, "a file not listed in the manifest"
    for name, entry in manifest["files"].items():
        assert len(now[name]) == entry["bytes"]
    assert {n: now[n] for n in DATA} == {n: reference[n] for n in DATA}
    return "new"


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference") / "run"
    res = run(out, *RUN)
    assert res.returncode == 0, res.stderr
    return snapshot(out)


@pytest.fixture(scope="module")
def earlier_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("earlier") / "results"
    res = run(out, *EARLIER)
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture()
def earlier(tmp_path, earlier_run) -> tuple[Path, dict[str, bytes]]:
    """A folder of complete earlier results (a copy of one real run)."""
    import shutil

    out = tmp_path / "results"
    shutil.copytree(earlier_run, out)
    return out, snapshot(out)


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def _staging_has_bytes(out: Path) -> bool:
    for name in siblings(out):
        folder = out.parent / name
        try:
            if any(p.stat().st_size > 1_000_000 for p in folder.iterdir()):
                return True
        except OSError:
            continue
    return False


MOMENTS = {
    "startup": lambda out: time.sleep(0.3) or True,
    "staging created": lambda out: _wait_for(lambda: bool(siblings(out))),
    "writing": lambda out: _wait_for(lambda: _staging_has_bytes(out)),
}


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_signal_at_a_moment_keeps_earlier_results(sig, moment, earlier, reference):
    out, before = earlier
    proc = subprocess.Popen(
        command(out, *RUN, "--force"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert MOMENTS[moment](out), "the run never reached the moment"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    state = assert_complete_or_earlier(out, before, reference)
    if proc.returncode != 0:  # stopped before it completed
        assert state == "earlier"
        assert proc.returncode in (128 + sig, -sig), err
        assert "Traceback" not in err
        if proc.returncode == 128 + sig:
            assert err.startswith("error: interrupted") and len(err.strip().splitlines()) == 1, err
            assert siblings(out) == [], "the stopped run left its staging folder behind"


@pytest.mark.parametrize("point", ["after-chunk", "before-manifest", "before-swap", "swap", "after-swap"])
def test_kill_9_at_each_point_of_writing(point, earlier, reference):
    out, before = earlier
    res = run(out, *RUN, "--force", env={"EMPATHICA_FAILPOINT": point})
    assert res.returncode == -signal.SIGKILL
    state = assert_complete_or_earlier(out, before, reference)
    # Killed in the middle of the swap, either state is whole; before it, only the earlier.
    assert state in {"after-swap": {"new"}, "swap": {"earlier", "new"}}.get(point, {"earlier"})
    # The rerun cleans up what the killed run left and completes identically.
    res = run(out, *RUN, "--force")
    assert res.returncode == 0, res.stderr
    assert assert_complete_or_earlier(out, before, reference) == "new"
    assert siblings(out) == []


def test_kill_9_on_a_first_run_leaves_nothing_under_the_name(tmp_path, reference):
    out = tmp_path / "first"
    res = run(out, *RUN, env={"EMPATHICA_FAILPOINT": "after-chunk"})
    assert res.returncode == -signal.SIGKILL
    assert not out.exists()
    leftovers = siblings(out)
    assert leftovers and all(".partial-" in n for n in leftovers)
    for name in leftovers:  # what a killed run leaves is hidden, unfinished and says so
        files = [p.name for p in (tmp_path / name).iterdir()]
        assert MANIFEST not in files and all(f.endswith(".part") for f in files), files
    res = run(out, *RUN)
    assert res.returncode == 0, res.stderr
    assert assert_complete_or_earlier(out, {}, reference) == "new"
    assert siblings(out) == []


def test_kill_9_of_a_csv_run(tmp_path):
    out = tmp_path / "csv"
    args = ["--dyads", "40", "--days", "30", "--format", "csv"]
    assert run(out, *args).returncode == 0
    before = snapshot(out)
    res = run(out, *args, "--seed", "2", "--force", env={"EMPATHICA_FAILPOINT": "before-manifest"})
    assert res.returncode == -signal.SIGKILL
    assert snapshot(out) == before


def test_sigterm_at_a_failpoint_removes_the_staging_folder(earlier):
    out, before = earlier
    res = run(out, *RUN, "--force", env={"EMPATHICA_FAILPOINT": "after-chunk:TERM"})
    assert res.returncode == 128 + signal.SIGTERM
    assert "nothing was written" in res.stderr and "Traceback" not in res.stderr
    assert snapshot(out) == before and siblings(out) == []


# ------------------------------------------------------------------- refusals


def test_existing_results_need_force(earlier):
    out, before = earlier
    res = run(out, *EARLIER)
    assert res.returncode == 2
    assert "already holds results" in res.stderr and "--force" in res.stderr
    assert snapshot(out) == before


def test_a_folder_of_other_files_is_never_replaced(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    for extra in ([], ["--force"]):
        res = run(out, *EARLIER, *extra)
        assert res.returncode == 2 and "does not hold Empathica results" in res.stderr
    assert snapshot(out) == {"notes.txt": b"mine"}


def test_switching_format_leaves_no_stale_files(earlier):
    out, _ = earlier
    res = run(out, *EARLIER, "--format", "csv", "--force")
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "episodes.csv",
        MANIFEST,
        "summary.csv",
        "trajectories.csv",
    ]
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["parameters"]["format"] == "csv" and manifest["status"] == "complete"
    assert manifest["files"]["episodes.csv"]["rows"] > 0
    assert manifest["command"].startswith("empathica simulate")


@pytest.mark.parametrize("out", ["", ".", ".."])
def test_out_must_name_a_new_folder(tmp_path, out):
    res = subprocess.run(
        [sys.executable, "-m", "empathica.cli", "simulate", "--out", out, *EARLIER],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["--dyads", "1000000000000"], "more than the 4,294,967,296 dyads"),
        (["--pair", "bpd:secure", "--pair", "npd:secure", "--dyads", "2147483649"], "more than"),
        (["--seed", "-1"], "seed must be a non-negative integer"),
        (
            ["--dyads", "4000000000", "--days", "3650", "--keep", "episodes"],
            "the run would write up to about",
        ),
    ],
)
def test_runs_beyond_the_limits_are_refused(tmp_path, args, message):
    out = tmp_path / "big"
    res = run(out, *args)
    assert res.returncode == 2, res.stderr
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not out.exists() and siblings(out) == []


def test_large_runs_keep_the_summary_unless_asked():
    from empathica.outputs import AUTO_KEEP_BYTES, estimate_output_bytes, resolve_keep

    assert resolve_keep("auto", 1000, 365, "parquet") == ("episodes", "trajectories", "summary")
    big = 10**7
    assert estimate_output_bytes(big, 365, "parquet") > AUTO_KEEP_BYTES
    assert resolve_keep("auto", big, 365, "parquet") == ("summary",)
    assert resolve_keep("episodes", big, 365, "parquet") == ("episodes", "summary")
    assert resolve_keep(["trajectories"], big, 365, "csv") == ("trajectories", "summary")


def test_same_draws_are_not_reused_past_the_dyad_limit():
    """Dyad 0 and dyad 2**32 would share their random numbers: the limit keeps them apart."""
    from empathica.errors import EmpathicaInputError
    from empathica.model import streams
    from empathica.simulation import make_layout

    assert streams.MAX_DYADS == 2**32
    make_layout([("secure", "secure")], streams.MAX_DYADS)  # exactly at the limit: fine
    with pytest.raises(EmpathicaInputError):
        make_layout([("secure", "secure")], streams.MAX_DYADS + 1)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "3"])
def test_bad_seeds_in_the_api(seed):
    import empathica
    from empathica.errors import EmpathicaInputError

    with pytest.raises(EmpathicaInputError, match="seed"):
        empathica.simulate(dyads=2, days=2, seed=seed)


# ------------------------------------------------------------ write failures


def _limit_file_size(limit: int):
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes then fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_failing_write_gives_one_line_and_leaves_nothing(earlier):
    out, before = earlier
    res = subprocess.run(
        command(out, *RUN, "--force"),
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_file_size(2_000_000),
    )
    assert res.returncode == 2, res.stderr
    assert res.stderr.startswith("error: cannot write the results") and "untouched" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert snapshot(out) == before and siblings(out) == []


@pytest.fixture()
def small_disk(tmp_path):
    """A real 5 MB file system (tmpfs); needs the right to mount, skipped without it."""
    mount = tmp_path / "disk"
    mount.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", str(mount)], capture_output=True)
    if res.returncode != 0:
        pytest.skip("mounting a small tmpfs is not permitted here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_disk_full_is_refused_before_the_run(small_disk):
    out = small_disk / "run"
    res = run(out, "--dyads", "2000", "--days", "100")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "the run would write up to about" in res.stderr and "MB" in res.stderr
    assert list(small_disk.iterdir()) == []


def test_disk_full_while_writing(small_disk, monkeypatch):
    """The estimate can be wrong (or another program fills the disk): the real ENOSPC is
    reported in one line and nothing is left behind."""
    from empathica import outputs
    from empathica.errors import EmpathicaOutputError

    monkeypatch.setattr(outputs, "estimate_output_bytes", lambda *a, **k: 0.0)
    with pytest.raises(EmpathicaOutputError, match="the disk is full"):
        outputs.simulate_to_files(small_disk / "run", [("bpd", "secure")], dyads=2000, days=100)
    assert list(small_disk.iterdir()) == []
