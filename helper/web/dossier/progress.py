"""How far each dossier being made has come, for the progress bar on its page.

The export page carries a random token in its form. The form is posted as it always was (the PDF comes
back as a download, with or without script); meanwhile the page's script asks
`/dossier/<case>/progress/<token>` how many of the dossier's parts are done. Kept in memory only, by
browser-session handle: another session cannot read it, and nothing of the case is in it (two numbers).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

TOKEN_BYTES = 16
KEPT_SECONDS = 600.0  # a finished or abandoned export is forgotten after this long
PER_SESSION = 8  # at most this many exports followed at once per browser session


def new_token() -> str:
    return secrets.token_hex(TOKEN_BYTES)


def is_token(text: str) -> bool:
    return len(text) == 2 * TOKEN_BYTES and all(ch in "0123456789abcdef" for ch in text)


@dataclass
class Stage:
    done: int = 0
    total: int = 0
    finished: bool = False
    failed: bool = False
    touched: float = 0.0


class ExportProgress:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._stages: dict[tuple[str, str], Stage] = {}
        self._clock = clock

    def start(self, handle: str, token: str) -> Callable[[int, int], None]:
        """Follow an export; returns the callback its builder calls with (parts done, parts in all)."""
        key = (handle, token)
        with self._lock:
            self._forget_old()
            mine = sorted((s.touched, k) for k, s in self._stages.items() if k[0] == handle)
            for _touched, old in mine[: max(0, len(mine) - PER_SESSION + 1)]:
                del self._stages[old]
            self._stages[key] = Stage(touched=self._clock())

        def heard(done: int, total: int) -> None:
            with self._lock:
                stage = self._stages.get(key)
                if stage is not None:
                    stage.done, stage.total, stage.touched = done, total, self._clock()

        return heard

    def finish(self, handle: str, token: str, *, failed: bool = False) -> None:
        with self._lock:
            stage = self._stages.get((handle, token))
            if stage is not None:
                stage.finished, stage.failed, stage.touched = True, failed, self._clock()
                if not failed:
                    stage.done = stage.total

    def get(self, handle: str, token: str) -> Stage | None:
        with self._lock:
            stage = self._stages.get((handle, token))
            return None if stage is None else Stage(**vars(stage))

    def _forget_old(self) -> None:
        now = self._clock()
        for key in [k for k, s in self._stages.items() if now - s.touched > KEPT_SECONDS]:
            del self._stages[key]
