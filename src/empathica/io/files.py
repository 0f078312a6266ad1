"""Reading user input files (regular files only, bounded in size, opened read-only) and
writing single output files whole or not at all.

Why: a diary or profile path may name a device (``/dev/zero`` never ends), a
named pipe (opening it blocks until a writer comes) or a huge file; each must get
one clear line, not a hang or a ``MemoryError``. An output file interrupted half-way
must never read as complete, nor replace an earlier one without ``--force``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from empathica.errors import EmpathicaInputError

#: Default size limit of an input file (diaries, profile files), in bytes.
DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB


def _size_text(n: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def read_input_bytes(
    path: str | Path,
    *,
    what: str = "file",
    max_bytes: int = DEFAULT_MAX_BYTES,
    error: type[EmpathicaInputError] = EmpathicaInputError,
) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or ``error`` with one clear line.

    The file is checked with ``stat`` before it is opened (so a FIFO is refused
    without blocking), opened read-only, and read with a bound (a file that grows
    while it is read is refused too).
    """
    path = Path(path)
    source = str(path)
    if source == "":
        raise error(f"no {what} given: the path is empty")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{source}: no such file") from None
    except NotADirectoryError:
        raise error(f"{source}: no such file (a part of the path is not a folder)") from None
    except OSError as exc:
        raise error(f"{source}: cannot read the file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{source}: is a folder, not a {what}")
    if not stat.S_ISREG(info.st_mode):
        kind = "a named pipe" if stat.S_ISFIFO(info.st_mode) else "a device or special file"
        raise error(f"{source}: is {kind}, not a regular file; save the {what} to a file first")
    if info.st_size > max_bytes:
        raise error(
            f"{source}: the file is {_size_text(info.st_size)}, above the limit of "
            f"{_size_text(max_bytes)} for a {what} (raise it with --max-bytes)"
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read(min(info.st_size, max_bytes) + 1)
            if len(data) > info.st_size:  # it grew since stat: read the rest, still bounded
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise error(f"{source}: cannot read the file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise error(f"{source}: the file grew above the limit of {_size_text(max_bytes)} while it was read")
    return data


def check_output_file(path: str | Path, *, force: bool = False) -> Path:
    """An output file's path, checked before any work: not a folder, not replaced without ``force``."""
    from empathica.errors import EmpathicaOutputError

    target = Path(path)
    if target.is_dir():
        raise EmpathicaOutputError(f"{path} is a folder; give a file name")
    if (target.exists() or target.is_symlink()) and not force:
        raise EmpathicaOutputError(f"{path} exists; use --force to replace it")
    return target


def write_file_atomic(path: str | Path, data: bytes | str, *, force: bool = False) -> Path:
    """Write a file whole or not at all: a hidden temporary file, synced, renamed into place."""
    import secrets

    from empathica.errors import EmpathicaOutputError

    target = check_output_file(path, force=force)
    tmp = target.parent / f".{target.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EmpathicaOutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return target


def read_toml(path: str | Path, *, what: str, max_bytes: int) -> dict:
    """A TOML input file as a dict, or one line naming the file and the problem."""
    import tomllib

    data = read_input_bytes(path, what=what, max_bytes=max_bytes)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise EmpathicaInputError(f"{path}: not a text file (a {what} is TOML)") from None
    except tomllib.TOMLDecodeError as exc:
        raise EmpathicaInputError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise EmpathicaInputError(f"{path}: not a {what}: tables nested too deeply") from None


def validated(model, raw: dict, origin: str):
    """``model.model_validate(raw)`` (a pydantic model), its first problem as one line
    naming ``origin`` and the key."""
    from pydantic import ValidationError

    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        raise EmpathicaInputError(f"{origin}: {where}: {msg}" if where else f"{origin}: {msg}") from None
