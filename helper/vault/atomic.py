"""All-or-nothing writes: temp name in the same folder, fsync, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from helper.vault.portable import TempFile, fsync_dir, in_use, is_marker, remove_if_abandoned

TEMP_PREFIX = ".tmp-"

__all__ = ["TEMP_PREFIX", "atomic_file", "atomic_write_bytes", "fsync_dir", "open_temp", "publish"]


def temp_path_for(target: Path) -> Path:
    return target.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"


def open_temp(temp: Path) -> BinaryIO:
    """A new temp file (only this user reads it), marked in use until it is closed: `remove_stale_temps`
    leaves it alone, so an upload in flight is never deleted by a cleanup in another window or process."""
    return TempFile(temp)  # type: ignore[return-value]


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
        with contextlib.suppress(OSError):  # closing flushes: on a full disk that fails too
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
        if is_marker(path):
            remove_if_abandoned(path)  # a writer's mark goes with its temp file, or alone if that is gone
            continue
        try:
            if now - path.stat().st_mtime < older_than or in_use(path):
                continue
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed
