"""How the closed page's passphrase form slows guessing without keeping the person at the door.

Every program on this computer can post to that form, and they all come from 127.0.0.1, so the only
thing that tells the person from a stranger is their browser: a quick exit from an admitted session
leaves a random ticket in that browser's (server-side) session. Tries come in two lanes:

- **The person's lane** (a browser holding a ticket): its own wrong tries make its own next try wait,
  1, 2, 4... up to 30 seconds, one try at a time. Nobody else's tries count here.
- **The shared lane** (every other browser, a stranger's or the person's after the browser was closed):
  the first few wrong tries are free; after that one try is checked per interval, doubling up to a
  minute, and only one at a time. A try that comes too early, or while another is being checked, is
  answered at once with how long to wait: it is never queued, so nothing waits longer than the cap.

Wrong tries in either lane count in one record of how many and when, kept in a small plain file in the
vault folder, so that restarting the app does not give a guesser a fresh start. The file holds two
numbers (a count and a time) and nothing about the passphrase, the cases or the person: it has to be
written while the vault is locked, when no key exists to encrypt it with. Whoever can rewrite it can
also copy the vault and guess offline, which no online throttle prevents.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from helper.vault.atomic import atomic_write_bytes

log = logging.getLogger(__name__)

RECORD_FORMAT = "helper.reopen-throttle.v1"
RECORD_NAME = "reopen-throttle.json"


def _doubling(steps: int, cap: float) -> float:
    """1, 2, 4... seconds, never more than `cap` (nor an overflow, however many steps)."""
    return min(2.0 ** min(steps, 30), cap)


class ThrottledTry(Exception):
    """A try in the shared lane that came too early or while another was being checked."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = max(1, math.ceil(seconds))


class FailureRecord:
    """The count of wrong tries and the time of the last one, in the vault folder (written only once
    the vault exists, so the folder stays empty for creating it)."""

    def __init__(self, folder: Path | None, exists: Callable[[], bool] = lambda: True) -> None:
        self._path = folder / RECORD_NAME if folder is not None else None
        self._exists = exists

    def load(self, now: float, damaged: int) -> tuple[int, float]:
        if self._path is None or not self._path.exists():
            return 0, 0.0
        try:
            data = json.loads(self._path.read_bytes())
            failures, last = data["failures"], data["last_failure"]
            if data.get("format") != RECORD_FORMAT or type(failures) is not int or failures < 0:
                raise ValueError(RECORD_NAME)
            return failures, float(last)
        except (OSError, ValueError, KeyError, TypeError):
            # Unreadable: count it as a guesser's, so that removing or spoiling it gains nothing.
            log.warning("the reopen throttle's record cannot be read; counting from the free limit")
            return damaged, now

    def save(self, failures: int, last: float) -> None:
        if self._path is None or not self._exists():
            return
        data = {"format": RECORD_FORMAT, "failures": failures, "last_failure": round(last, 3)}
        try:
            atomic_write_bytes(self._path, json.dumps(data).encode("ascii"))
        except OSError:  # a full disk or a read-only stick: the count still holds in memory
            log.warning("the reopen throttle's record could not be written")


@dataclass
class _Lane:
    """One returning browser's own tries."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    failures: int = 0
    not_before: float = 0.0


class Attempt:
    def __init__(self) -> None:
        self.ok = False

    def succeeded(self) -> None:
        self.ok = True


class ReopenGuard:
    OWN_MAX_WAIT = 30.0  # the person's lane: their own wrong tries, 1, 2, 4... seconds up to this
    FREE_FAILURES = 5  # wrong tries anywhere before the shared lane slows down (a few typos)
    SHARED_MAX_WAIT = 60.0  # the shared lane: one try per interval, doubling up to this
    BUSY_WAIT = 2.0  # what a shared try is told while another one is being checked
    MAX_LANES = 64  # returning browsers remembered (each made by a quick exit from an open session)

    def __init__(
        self,
        record: FailureRecord | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._record = record or FailureRecord(None)
        self._sleep = sleep
        self._clock = clock
        self._state = threading.Lock()  # the counts only: never held while checking or waiting
        self._shared_slot = threading.Lock()  # one shared try at a time, taken without waiting
        self._lanes: dict[str, _Lane] = {}
        self.failures, self.last_failure = self._record.load(clock(), damaged=self.FREE_FAILURES)

    def shared_wait(self) -> float:
        """Seconds before the shared lane takes its next try (never more than its cap, whatever the
        clock did since the last failure)."""
        with self._state:
            if self.failures < self.FREE_FAILURES:
                return 0.0
            interval = _doubling(self.failures - self.FREE_FAILURES, self.SHARED_MAX_WAIT)
            return max(0.0, min(self.last_failure + interval - self._clock(), interval))

    @contextlib.contextmanager
    def attempt(self, returning: str | None = None) -> Iterator[Attempt]:
        """One try: the block checks the passphrase and calls `succeeded()` if it opened the vault.
        Raises ThrottledTry, before the block runs, when the shared lane cannot take it now."""
        if returning:
            with self._own_lane(returning) as attempt:
                yield attempt
            return
        wait = self.shared_wait()
        if wait > 0:
            raise ThrottledTry(wait)
        if not self._shared_slot.acquire(blocking=False):
            raise ThrottledTry(self.BUSY_WAIT)
        try:
            wait = self.shared_wait()  # a failure may have been counted while the slot was taken
            if wait > 0:
                raise ThrottledTry(wait)
            attempt = Attempt()
            try:
                yield attempt
            finally:
                self._settle(attempt.ok)
        finally:
            self._shared_slot.release()

    @contextlib.contextmanager
    def _own_lane(self, ticket: str) -> Iterator[Attempt]:
        lane = self._lane(ticket)
        with lane.lock:  # this browser's tries one at a time; no one else waits on this lock
            wait = min(lane.not_before - self._clock(), self.OWN_MAX_WAIT)
            if wait > 0:
                self._sleep(wait)
            attempt = Attempt()
            try:
                yield attempt
            finally:
                if attempt.ok:
                    with self._state:
                        self._lanes.pop(ticket, None)
                else:
                    lane.failures += 1
                    lane.not_before = self._clock() + _doubling(lane.failures - 1, self.OWN_MAX_WAIT)
                self._settle(attempt.ok)

    def _lane(self, ticket: str) -> _Lane:
        with self._state:
            lane = self._lanes.pop(ticket, None) or _Lane()
            self._lanes[ticket] = lane  # the most recent last
            while len(self._lanes) > self.MAX_LANES:
                del self._lanes[next(iter(self._lanes))]
            return lane

    def _settle(self, ok: bool) -> None:
        with self._state:
            if ok:
                if self.failures == 0:
                    return
                self.failures, self.last_failure = 0, 0.0
            else:
                self.failures, self.last_failure = self.failures + 1, self._clock()
            self._record.save(self.failures, self.last_failure)
