"""All-or-nothing writes: temp name in the same folder, fsync, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".tmp-"


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_path_for(target: Path) -> Path:
    return target.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"


def open_temp(temp: Path) -> BinaryIO:
    """A new temp file, held under an exclusive lock until it is closed: `remove_stale_temps` leaves
    it alone, so an upload in flight is never deleted by a cleanup in another window or process."""
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)  # whatever the umask: only this user reads the vault's files
    f = os.fdopen(fd, "wb")
    fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    return f


def publish(temp: Path, target: Path) -> None:
    """Move an already fsynced temp file into place and make the rename durable."""
    os.replace(temp, target)
    fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """Yield a file to write; on success it replaces `target` whole, on error nothing changes."""
    temp = temp_path_for(target)
    f = open_temp(temp)  # closed below on every path
    try:
        yield f
        f.flush()
        os.fsync(f.fileno())
        f.close()
        publish(temp, target)
    except BaseException:
        f.close()
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_file(target) as f:
        f.write(data)


def remove_stale_temps(folder: Path, older_than: float = 2.0) -> int:
    """Delete temp files a killed writer left behind (they are ciphertext, never committed).

    A temp file still being written is locked by its writer (`open_temp`), in this process or another:
    it is left alone. A writer's lock ends with the writer, so what a crash left is unlocked. A file
    younger than `older_than` seconds may be one whose writer has not taken its lock yet: left for later."""
    removed = 0
    now = time.time()
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            if now - os.fstat(fd).st_mtime < older_than:
                continue
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # in use
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        finally:
            os.close(fd)
    return removed
