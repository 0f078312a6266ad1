"""Run directories that are either complete or absent: staged, then swapped into place.

A run writes everything into a hidden staging folder beside its target,
``.NAME.partial-PID-TOKEN``; each table is renamed from ``.part`` when it is
finished, then ``manifest.json`` (command, version, seed, parameters, row counts,
``"status": "complete"``) is written last, and the whole folder is swapped in with
one atomic rename. So:

* an interrupted or failed run (Ctrl-C, SIGTERM, SIGHUP, a full disk, ``kill -9``)
  never leaves anything under the target's name, and never touches earlier results;
* earlier results are replaced only with ``force=True`` (``--force``), and only if
  the folder really holds Empathica results (a manifest, or only Empathica's own
  output files): a folder of other files is never replaced;
* staging folders left by a killed run are removed by the next run to the same
  target (a run holds a lock on its staging folder that dies with it); if a run was
  killed in the middle of a swap without an atomic exchange, the earlier results
  are put back; a second run to a folder another run is writing is refused.

Where the file system supports it (Linux ``renameat2(RENAME_EXCHANGE)``), an existing
target is exchanged with the staging folder atomically; elsewhere the old folder is
first moved aside, then the new one renamed in, then the old one removed.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from empathica.errors import EmpathicaInputError, EmpathicaOutputError
from empathica.io.failpoints import failpoint
from empathica.io.tables import PART_SUFFIX, fsync_path

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "empathica-results/1"
#: Output files of earlier Empathica versions (folders without a manifest).
LEGACY_OUTPUTS = frozenset(
    {
        "episodes.parquet",
        "episodes.csv",
        "trajectories.parquet",
        "trajectories.csv",
        "validation.md",
        "validation.json",
        "validation.csv",
    }
)
_PARTIAL = "partial"
_OLD = "old"


def human_bytes(n: float) -> str:
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} bytes"


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest if it has a readable one of ours, else None."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return None
    return data


def is_results_folder(folder: Path) -> bool:
    """Does ``folder`` hold Empathica results (a manifest, or only Empathica's output files)?"""
    if read_manifest(folder) is not None:
        return True
    try:
        names = {p.name for p in Path(folder).iterdir()}
    except OSError:
        return False
    return bool(names) and names <= LEGACY_OUTPUTS


def lock_folder(folder: Path) -> int | None:
    """An exclusive lock on a folder, held by this process until ``unlock`` or its death.

    The lock (``flock`` on the folder itself) follows the folder through renames and is
    released by the kernel when the process dies, even by ``kill -9``: a folder whose lock
    can be taken belongs to no running Empathica process. None if the lock is taken.
    """
    import fcntl

    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def _siblings(target: Path, kind: str) -> list[Path]:
    """Staging (``partial``) or moved-aside (``old``) folders of ``target``."""
    prefix = f".{target.name}.{kind}-"
    try:
        return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefix) and p.is_dir())
    except OSError:
        return []


def recover(target: Path) -> None:
    """Clean up after runs to ``target`` that were killed: remove their staging folders,
    and put earlier results back if a run died between moving them aside and renaming
    its own results in. Folders of runs still alive (their lock is held) are left alone."""
    for old in _siblings(target, _OLD):
        fd = lock_folder(old)
        if fd is None:
            continue
        try:
            if not target.exists():
                os.rename(old, target)
            else:
                shutil.rmtree(old, ignore_errors=True)
        finally:
            unlock(fd)
    for partial in _siblings(target, _PARTIAL):
        fd = lock_folder(partial)
        if fd is not None:
            shutil.rmtree(partial, ignore_errors=True)
            unlock(fd)


def _busy(target: Path) -> bool:
    """Is another live run writing to ``target``?"""
    for partial in _siblings(target, _PARTIAL):
        fd = lock_folder(partial)
        if fd is None and partial.exists():
            return True
        unlock(fd)
    return False


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where not supported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(staging: Path, target: Path, *, atomic_exchange: bool = True) -> None:
    """Put the complete folder ``staging`` at ``target``; an existing target is replaced."""
    if not target.exists():
        os.rename(staging, target)
        return
    if atomic_exchange and _exchange(staging, target):
        failpoint("swap")  # staging now holds the earlier results
        shutil.rmtree(staging, ignore_errors=True)
        return
    aside = target.with_name(f".{target.name}.{_OLD}-{os.getpid()}-{secrets.token_hex(4)}")
    fd = lock_folder(target)  # held while the earlier results are aside: not "stale" meanwhile
    try:
        os.rename(target, aside)
        failpoint("swap")  # the target is missing: the next run puts the earlier results back
        os.rename(staging, target)
        shutil.rmtree(aside, ignore_errors=True)
    finally:
        unlock(fd)


def check_target(out: str | Path, *, force: bool, what: str = "--out") -> Path:
    """The output folder, checked before any work: refuse what would lose or mix results."""
    if str(out).strip() == "":
        raise EmpathicaInputError(f"{what} is empty: name a folder for the results")
    target = Path(out).expanduser().absolute()
    if target.name in ("", ".", ".."):
        target = target.resolve()
    try:
        cwd = Path.cwd().resolve()
        resolved = target.resolve()
    except OSError:
        cwd = resolved = None
    if resolved is not None and (resolved == cwd or resolved in cwd.parents):
        raise EmpathicaInputError(
            f"{what} {out} is the current folder or one above it: name a new folder for the results"
        )
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink():
            raise EmpathicaInputError(f"{what} {out} exists and is not a folder: choose another name")
        try:
            empty = not any(target.iterdir())
        except OSError as exc:
            raise EmpathicaOutputError(f"cannot read output folder {out}: {exc.strerror or exc}") from None
        if not empty:
            if not is_results_folder(target):
                raise EmpathicaInputError(
                    f"{what} {out} is not empty and does not hold Empathica results; "
                    "choose a new folder (one holding other files is never overwritten, even with force)"
                )
            if not force:
                manifest = read_manifest(target) or {}
                when = f" of {manifest['created']}" if "created" in manifest else ""
                flag = "--force" if what.startswith("--") else "force=True"
                raise EmpathicaInputError(
                    f"{what} {out} already holds results{when}; pass {flag} to replace them "
                    "or choose another folder"
                )
    return target


class RunDirectory:
    """Stage the outputs of one run; on success swap them in as ``target``, else remove them.

    ``with RunDirectory(out, force=..., manifest={...}) as run:`` then write files
    into ``run.staging`` (``run.path(name)``) and register tables with
    ``run.add_file(name, rows)``; leaving the block normally writes the manifest and
    swaps the folder in (``run.committed`` becomes True).
    """

    def __init__(
        self,
        out: str | Path,
        *,
        force: bool = False,
        manifest: dict[str, Any] | None = None,
        need_bytes: float = 0.0,
        what: str = "--out",
    ) -> None:
        self.target = check_target(out, force=force, what=what)
        self.display = str(out)
        self.manifest: dict[str, Any] = dict(manifest or {})
        self.files: dict[str, dict[str, int]] = {}
        self.need_bytes = float(need_bytes)
        self.committed = False
        self.staging: Path | None = None
        self._lock: int | None = None
        self._start = 0.0

    # ------------------------------------------------------------------ context
    def __enter__(self) -> RunDirectory:
        parent = self.target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            recover(self.target)
        except (FileExistsError, NotADirectoryError):
            raise EmpathicaOutputError(
                f"cannot write to output folder {self.display}: a part of the path is a file, not a folder"
            ) from None
        except OSError as exc:
            raise EmpathicaOutputError(
                f"cannot write to output folder {self.display}: {exc.strerror or exc}"
            ) from None
        if _busy(self.target):
            raise EmpathicaOutputError(
                f"another Empathica run is writing to {self.display}; wait for it or choose another folder"
            )
        self.check_space(self.need_bytes)
        name = f".{self.target.name}.{_PARTIAL}-{os.getpid()}-{secrets.token_hex(4)}"
        self.staging = parent / name
        try:
            self.staging.mkdir()
            self._lock = lock_folder(self.staging)
            self._start = time.time()
        except BaseException as exc:
            # Failed, or stopped by a signal, between creating the staging folder and handing
            # it to the ``with`` block (whose exit would otherwise remove it): remove it here.
            unlock(self._lock)
            self._discard()
            if isinstance(exc, OSError):
                raise EmpathicaOutputError(
                    f"cannot write to output folder {self.display}: {exc.strerror or exc}"
                ) from None
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                try:
                    self._commit()
                except BaseException as err:
                    self._discard()
                    self._raise_os(err)
                    raise
                return
            self._discard()
            self._raise_os(exc)
        finally:
            unlock(self._lock)
            self._lock = None

    # -------------------------------------------------------------------- files
    def path(self, name: str) -> Path:
        assert self.staging is not None, "use RunDirectory in a with block"
        return self.staging / name

    def add_file(self, name: str, rows: int | None = None) -> None:
        """Record a finished file of the staging folder in the manifest."""
        size = self.path(name).stat().st_size
        entry = {"bytes": int(size)}
        if rows is not None:
            entry["rows"] = int(rows)
        self.files[name] = entry

    def write_text(self, name: str, text: str) -> Path:
        """A small text file of the run, complete before it gets its name."""
        path = self.path(name)
        part = path.with_name(path.name + PART_SUFFIX)
        with open(part, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, path)
        self.add_file(name)
        return path

    def check_space(self, need: float) -> None:
        """Refuse, before writing, a run whose outputs would not fit on the disk."""
        if need <= 0:
            return
        try:
            free = shutil.disk_usage(self.target.parent).free
        except OSError:
            return
        if need > free:
            raise EmpathicaOutputError(
                f"the run would write up to about {human_bytes(need)}, but only {human_bytes(free)} "
                f"are free on the disk of {self.display}; use fewer dyads or days, --record-every, "
                "--format parquet, or another disk"
            )

    # ------------------------------------------------------------------ private
    def _commit(self) -> None:
        assert self.staging is not None
        failpoint("before-manifest")
        body = {
            "format": MANIFEST_FORMAT,
            "status": "complete",
            **self.manifest,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "seconds": round(time.time() - self._start, 3),
            "files": self.files,
        }
        text = json.dumps(body, indent=1, ensure_ascii=True, allow_nan=False, default=str) + "\n"
        self.write_text(MANIFEST, text)
        self.files.pop(MANIFEST, None)
        fsync_path(self.staging)
        failpoint("before-swap")
        swap_in(self.staging, self.target)
        fsync_path(self.target.parent)
        self.committed = True
        failpoint("after-swap")

    def _discard(self) -> None:
        if self.staging is not None and self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)

    def _raise_os(self, exc: BaseException | None) -> None:
        """Turn a write failure into one line that says what was kept."""
        if isinstance(exc, OSError) and not isinstance(exc, EmpathicaOutputError):
            reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
            kept = "earlier results there are untouched" if self.target.exists() else "nothing was written"
            raise EmpathicaOutputError(
                f"cannot write the results to {self.display}: {reason}; {kept}"
                + (f" (the run needed up to about {human_bytes(self.need_bytes)})" if self.need_bytes else "")
            ) from None


def files_of(manifest: dict[str, Any]) -> Iterable[str]:
    return (manifest.get("files") or {}).keys()


def check_finished_output(path: Path) -> None:
    """Refuse to read an unfinished output as if it were complete: a ``.part`` file (a table
    still being written, or left by a killed run), a file inside a staging folder, or a
    file of a results folder that does not match its manifest (changed or cut short)."""
    path = Path(path)
    folder = path.parent.name
    staging = folder.startswith(".") and (f".{_PARTIAL}-" in folder or f".{_OLD}-" in folder)
    if path.name.endswith(PART_SUFFIX) or staging:
        raise EmpathicaInputError(
            f"{path}: an unfinished output of a run that did not complete; use the results "
            "folder of a completed run"
        )
    manifest = read_manifest(path.parent)
    entry = (manifest or {}).get("files", {}).get(path.name)
    if entry is None:
        return
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size != entry.get("bytes"):
        raise EmpathicaInputError(
            f"{path}: the file is {size:,} bytes but its run's manifest says {entry.get('bytes'):,}; "
            "it was changed or cut short after the run"
        )
