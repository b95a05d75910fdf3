"""What the process does for itself before it holds any secret: no core dumps.

A crash while the vault is unlocked would otherwise write the process's memory (the secret key, case
text, file contents) to disk in clear, where systemd-coredump or a `core` file keeps it. The command
line calls `harden_process()` first.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import sys

try:
    import resource
except ImportError:  # Windows: no core-file limit here (crash dumps are Windows Error Reporting's settings)
    resource = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3


def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return libc.prctl


def harden_process() -> None:
    """No core file of any size; on Linux, not dumpable either (no core, no ptrace by other users)."""
    if resource is not None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    prctl = _prctl()
    if prctl is not None and prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        log.warning("could not mark the process as not dumpable")


def is_dumpable() -> bool:
    prctl = _prctl()
    return bool(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)) if prctl is not None else False
