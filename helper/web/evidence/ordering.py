"""The order files join a case in, when the page sends several side by side. Memory only."""

from __future__ import annotations

import threading
import time


class InOrder:
    """Files the page sends side by side (two at a time, so one is received while the computer looks
    at the other) join the case in the order the person chose them: each waits, just before it is
    added, for the one before it to be added or given up. A file that never comes (a closed tab) holds
    the next one `patience` seconds at most. Memory only; batches are forgotten once idle."""

    def __init__(self, patience: float = 120.0) -> None:
        self._patience = patience
        self._next: dict[str, tuple[int, float]] = {}  # batch -> (index expected next, last activity)
        self._changed = threading.Condition()

    def wait_turn(self, batch: str, index: int) -> None:
        deadline = time.monotonic() + self._patience
        with self._changed:
            while self._next.get(batch, (0, 0.0))[0] < index:
                left = deadline - time.monotonic()
                if left <= 0:
                    return  # the one before never came: this one goes on
                self._changed.wait(left)

    def done(self, batch: str, index: int) -> None:
        """This file was added, or will not be (refused, broken off): the next one may go."""
        now = time.monotonic()
        with self._changed:
            expected = self._next.get(batch, (0, now))[0]
            self._next[batch] = (max(expected, index + 1), now)
            for old in [b for b, (_n, seen) in self._next.items() if now - seen > 10 * self._patience]:
                del self._next[old]
            self._changed.notify_all()


def upload_position(headers) -> tuple[str, int] | None:
    """The batch and the file's place in it, as the page's script sends them (`X-Upload-Batch`,
    `X-Upload-Index`); None when absent or malformed (then it joins whenever it is ready)."""
    batch = headers.get("X-Upload-Batch", "")
    index = headers.get("X-Upload-Index", "")
    if not (0 < len(batch) <= 64 and batch.isalnum() and index.isdigit() and len(index) <= 6):
        return None
    return batch, int(index)
