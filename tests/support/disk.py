"""A full disk, injected where every vault file is opened for writing (`open_temp`): the file is
created, as on a real full disk, and its first write fails with ENOSPC."""

from __future__ import annotations

import errno
import os

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
