"""Writing a set of outputs all or nothing, one build at a time.

A clinic must never be left with a half-written handout, nor with a handout from one version of
the content beside a booklet from another. So: a lock per outputs folder (two builds at once
would otherwise interleave), every new file complete on disk before any is renamed into place,
and the old files kept until every rename has succeeded and put back when one fails.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from clearfacts.errors import ContentError, Finding

LOCK_NAME = ".clearfacts.lock"
_NEW, _OLD = "new", "old"


@contextmanager
def build_lock(outputs_dir: Path, waiting: Callable[[str], None]) -> Iterator[None]:
    """Hold the outputs folder's lock; `waiting` is told once when another build holds it.

    filelock uses the platform's own file locking, so a build that is killed releases it."""
    from filelock import FileLock, Timeout

    try:
        outputs_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = f"cannot create the outputs folder: {exc.strerror}"
        raise ContentError(Finding(str(outputs_dir), None, message)) from None
    lock = FileLock(outputs_dir / LOCK_NAME)
    try:
        lock.acquire(timeout=0.2)
    except Timeout:
        waiting(f"waiting for another clearfacts build in {outputs_dir} to finish…")
        lock.acquire()
    except OSError as exc:
        raise ContentError(Finding(str(outputs_dir), None, f"cannot lock the outputs folder: {exc.strerror}")) from None
    try:
        yield
    finally:
        lock.release()


def replace_all(files: Mapping[Path, bytes]) -> None:
    """Put every file in place, or none: the caller holds `build_lock`.

    New files are created with the permissions the user's umask gives (a web server or a
    colleague on a shared drive must be able to read them) and fsynced before any rename.
    """
    token = secrets.token_hex(4)
    staged: dict[Path, Path] = {}
    kept: dict[Path, Path] = {}
    done: list[Path] = []
    path = next(iter(files), Path("."))
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            _remove_leftovers(path)
            staged[path] = _beside(path, token, _NEW)  # known before it exists: always cleaned up
            _write_new(staged[path], data)
        for path in files:
            if path.is_file():
                kept[path] = _beside(path, token, _OLD)
                _keep(path, kept[path])
        for path, new in staged.items():
            os.replace(new, path)
            done.append(path)
        for folder in {p.parent for p in files}:
            _fsync_dir(folder)
    except OSError as exc:
        _roll_back(done, kept)
        raise ContentError(Finding(str(path), None, f"cannot write output: {exc.strerror or exc}")) from None
    except BaseException:  # Ctrl-C between two renames: the old set comes back
        _roll_back(done, kept)
        raise
    finally:
        for temp in (*staged.values(), *kept.values()):
            temp.unlink(missing_ok=True)


def _beside(path: Path, token: str, kind: str) -> Path:
    return path.with_name(f".{path.name}.{token}.{kind}.tmp")


def _write_new(temp: Path, data: bytes) -> None:
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _keep(path: Path, spare: Path) -> None:
    """A second name for the old file, to put back on failure (a copy where the file system has
    no hard links, such as a FAT-formatted USB stick)."""
    try:
        os.link(path, spare)
    except OSError:
        shutil.copy2(path, spare)


def _roll_back(done: list[Path], kept: dict[Path, Path]) -> None:
    """Undo the renames already made: the old file back where there was one, else no file."""
    for path in reversed(done):
        try:
            if path in kept:
                os.replace(kept[path], path)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            continue  # best effort: the other files are still restored


def _remove_leftovers(path: Path) -> None:
    """Temp files of a build that was killed (safe: the lock says no other build is running)."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        leftover.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # directories cannot be opened for fsync on Windows; renames there are durable
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
