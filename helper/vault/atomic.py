"""All-or-nothing writes: temp name in the same folder, fsync, rename, fsync the folder."""

from __future__ import annotations

import contextlib
import os
import secrets
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


def publish(temp: Path, target: Path) -> None:
    """Move an already fsynced temp file into place and make the rename durable."""
    os.replace(temp, target)
    fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """Yield a file to write; on success it replaces `target` whole, on error nothing changes."""
    temp = temp_path_for(target)
    f = open(temp, "xb")  # noqa: SIM115 - closed below on every path
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


def remove_stale_temps(folder: Path) -> int:
    """Delete temp files a killed writer left behind (they are ciphertext, never committed)."""
    removed = 0
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed += 1
    return removed
