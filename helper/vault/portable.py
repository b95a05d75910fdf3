"""Every call that differs between operating systems, in one place, with two implementations.

- **posix** (Linux, macOS): `flock` locks, held by the open file itself; a folder is fsynced after a
  rename; `os.sync` flushes many files at once.
- **portable** (Windows, or any system without `fcntl`): locks through `filelock` (msvcrt on Windows,
  the same lock files on every system); a temp file being written is marked by a lock file beside it;
  folders are fsynced where the system allows it; files are flushed one by one.

The portable one runs on Linux too, forced by `INCIDENT_HELPER_PORTABLE=1`: `make test` runs the
vault, crash and concurrency tests both ways (`pytest --portable`), so the path Windows takes is
exercised on every change.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def portable() -> bool:
    """Read at each call, so a test can switch it (the child processes it starts inherit the variable)."""
    return fcntl is None or os.environ.get("INCIDENT_HELPER_PORTABLE") == "1"


def _file_lock(path: Path) -> FileLock:
    # Not thread-local, not a singleton: each holder opens its own handle, so two threads of one
    # process exclude each other as two processes do. The lock file is kept: creating it again on a
    # full disk could fail.
    return FileLock(str(path), thread_local=False, preserve_lock_file=True, fallback_to_soft=False)


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the lock file `path` (made if missing) until the block ends, against every other thread
    and process."""
    if portable():
        with _file_lock(path):
            yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def exclusive_if_free(path: Path) -> Iterator[bool]:
    """Like `exclusive`, without waiting: True (and held until the block ends) when no other holder
    has it, this thread included; False at once otherwise. For work that may just as well be left to
    the next time."""
    if portable():
        lock = _file_lock(path)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            lock.release()
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _marker(temp: Path) -> Path:
    return temp.with_name(temp.name + ".lock")


class TempFile:
    """A temp file being written, marked as in use until it is closed: no cleanup, in this process or
    another, deletes it meanwhile. Behaves as the file for writing."""

    def __init__(self, temp: Path) -> None:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        make_private(fd)
        self._marker: FileLock | None = None
        try:
            if portable():
                self._marker = _file_lock(_marker(temp))
                self._marker.acquire(timeout=0)
            else:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BaseException:
            os.close(fd)
            raise
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._temp = temp

    def write(self, data) -> int:
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()

    def fileno(self) -> int:
        return self._file.fileno()

    def close(self) -> None:
        """Close (flushing what is buffered), then let the mark go, whatever the flush said."""
        try:
            self._file.close()
        finally:
            if self._marker is not None:
                self._marker.release()
                with contextlib.suppress(OSError):
                    _marker(self._temp).unlink()
                self._marker = None


def in_use(temp: Path) -> bool:
    """Whether a writer still holds `temp` (see `TempFile`)."""
    if portable():
        marker = _marker(temp)
        return marker.exists() and not _remove_unless_held(marker)  # unheld: left by a killed writer
    try:
        fd = os.open(temp, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def is_marker(path: Path) -> bool:
    return path.name.endswith(".lock")


def remove_if_abandoned(marker: Path) -> bool:
    """A writer's mark whose temp file is gone and which nobody holds (its writer was killed between
    the two deletions): removed. True when it was."""
    if marker.with_name(marker.name.removesuffix(".lock")).exists():
        return False  # goes with its temp file (see `in_use`)
    return _remove_unless_held(marker)


def _remove_unless_held(marker: Path) -> bool:
    """Remove a writer's mark that no writer holds; False (and left) when one does."""
    lock = _file_lock(marker)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return False
    lock.release()
    with contextlib.suppress(OSError):
        marker.unlink()
    return True


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable. Windows cannot open a folder (NTFS journals the rename
    itself): there, and wherever the system refuses, it is skipped."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        if portable():
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not portable():
            raise
    finally:
        os.close(fd)


def sync_files(paths: list[Path]) -> None:
    """Every file's bytes on the disk: one `sync` for all of them where there is one."""
    if not portable() and hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def make_private(fd: int) -> None:
    """Only this user reads the file, whatever the umask. (Windows has no mode bits: files under the
    person's own profile are theirs by its access rules.)"""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)
