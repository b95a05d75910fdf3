"""Unlocked vaults held in process memory, each bound to the browser session that unlocked it.

The Flask session cookie carries only a random handle; the key itself never leaves this object,
and is dropped on lock, quick exit or after the idle time.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from helper.vault import UnlockedVault


@dataclass
class _Entry:
    vault: UnlockedVault
    last_seen: float
    # Intimate items this browser session chose to see, until when (the clock's time).
    reveals: dict[str, float] = field(default_factory=dict)
    # An image checked with "find copies", held in memory only until kept, replaced or locked.
    held: tuple[str, bytes, str] | None = None  # (token, bytes, name)
    # Words searched for in a chat export, by item: case text, so kept with the key and dropped with it.
    searches: dict[str, str] = field(default_factory=dict)


class KeyRing:
    def __init__(self, idle_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def add(self, vault: UnlockedVault) -> str:
        handle = secrets.token_urlsafe(32)
        with self._lock:
            self._entries[handle] = _Entry(vault, self._clock())
        return handle

    def get(self, handle: str | None, touch: bool = True) -> UnlockedVault | None:
        """The vault for this handle, touched as active (unless `touch` is false: a page's script asking
        how things stand is no sign of a person there); None once locked or idle too long."""
        if not handle:
            return None
        with self._lock:
            entry = self._entries.get(handle)
            if entry is None:
                return None
            now = self._clock()
            if now - entry.last_seen > self.idle_seconds:
                self._drop(handle)
                return None
            if touch:
                entry.last_seen = now
            return entry.vault

    def keep_alive(self, handle: str | None, every: int = 16 * 1024 * 1024) -> Callable[[int], None]:
        """A progress callback that counts a long upload as activity, so it is not locked mid-way."""
        last = [0]

        def touched(received: int) -> None:
            if received - last[0] >= every:
                last[0] = received
                self.get(handle)

        return touched

    REVEAL_SECONDS = 10 * 60

    def reveal(self, handle: str | None, key: str) -> None:
        """Let this browser session see an intimate item for a few minutes (the click is journaled)."""
        with self._lock:
            entry = self._entries.get(handle or "")
            if entry is not None:
                entry.reveals[key] = self._clock() + self.REVEAL_SECONDS

    def hide(self, handle: str | None, key: str) -> None:
        with self._lock:
            entry = self._entries.get(handle or "")
            if entry is not None:
                entry.reveals.pop(key, None)

    def is_revealed(self, handle: str | None, key: str) -> bool:
        with self._lock:
            entry = self._entries.get(handle or "")
            return entry is not None and entry.reveals.get(key, 0.0) > self._clock()

    def hold(self, handle: str | None, data: bytes, name: str) -> str:
        """Keep one checked image in memory so the person can still choose to keep it."""
        token = secrets.token_urlsafe(16)
        with self._lock:
            entry = self._entries.get(handle or "")
            if entry is not None:
                entry.held = (token, data, name)
        return token

    def take_held(self, handle: str | None, token: str) -> tuple[bytes, str] | None:
        with self._lock:
            entry = self._entries.get(handle or "")
            if entry is None or entry.held is None or not secrets.compare_digest(entry.held[0], token):
                return None
            _token, data, name = entry.held
            entry.held = None
            return data, name

    def set_search(self, handle: str | None, item_id: str, words: str) -> None:
        with self._lock:
            entry = self._entries.get(handle or "")
            if entry is not None:
                if words:
                    entry.searches[item_id] = words
                else:
                    entry.searches.pop(item_id, None)

    def search(self, handle: str | None, item_id: str) -> str:
        with self._lock:
            entry = self._entries.get(handle or "")
            return entry.searches.get(item_id, "") if entry is not None else ""

    def drop(self, handle: str | None) -> None:
        if handle:
            with self._lock:
                self._drop(handle)

    def drop_all(self) -> None:
        with self._lock:
            for handle in list(self._entries):
                self._drop(handle)

    def sweep(self) -> int:
        """Lock every vault idle for longer than the limit; returns how many were locked."""
        now = self._clock()
        with self._lock:
            idle = [h for h, e in self._entries.items() if now - e.last_seen > self.idle_seconds]
            for handle in idle:
                self._drop(handle)
        return len(idle)

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, handle: str) -> None:
        """Lock, and let go of everything this browser session held: the key, a picture being checked,
        searched words. (Python cannot wipe memory; dropping every reference is what it can do.)"""
        entry = self._entries.pop(handle, None)
        if entry is not None:
            entry.vault.lock()
            entry.held = None
            entry.reveals.clear()
            entry.searches.clear()
