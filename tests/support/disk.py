"""A full disk, injected where every vault file is opened for writing (`open_temp`): the file is
created, as on a real full disk, and its first write fails with ENOSPC."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator

from helper.vault import atomic, blobs


class NoSpace:
    """A file on a full disk: it opens, and refuses every byte."""

    def __init__(self, f) -> None:
        self._f = f

    def write(self, _data) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._f, name)


def fill_disk(monkeypatch) -> None:
    """From now until `monkeypatch.undo()`, every new vault file meets a full disk."""
    real = atomic.open_temp

    def open_on_full_disk(temp):
        return NoSpace(real(temp))

    monkeypatch.setattr(atomic, "open_temp", open_on_full_disk)
    monkeypatch.setattr(blobs, "open_temp", open_on_full_disk)


@contextlib.contextmanager
def case_write_fails(case_id: str, which: int) -> Iterator[None]:
    """Within the block, the `which`-th write of the case's record (1 for the first) fails as a full
    disk would, when the file is moved into place: what was saved before stays as it was."""
    real, seen = atomic.os.replace, []

    def replace_or_fail(src, dst):
        if str(dst).endswith(f"{case_id}.age"):
            seen.append(dst)
            if len(seen) == which:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(src, dst)

    atomic.os.replace = replace_or_fail  # type: ignore[assignment]  # restored below, whatever happens
    try:
        yield
    finally:
        atomic.os.replace = real
