"""What the web layer needs, hung off `app.extensions["helper"]` (no module-level singletons)."""

from __future__ import annotations

import contextlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import current_app, session

from helper.config import Config
from helper.content import Content
from helper.evidence.desk import EvidenceDesk
from helper.letters.engine import LetterWriter
from helper.letters.tracker import Tracker
from helper.vault import UnlockedVault, Vault
from helper.web.evidence.ordering import InOrder
from helper.web.keyring import KeyRing

SESSION_HANDLE = "vault_handle"
SESSION_LAUNCHED = "launched"


@dataclass
class LaunchTokens:
    """One-time tokens for the launch URL, as Jupyter does, so other local users get nothing."""

    _tokens: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens.add(token)
        return token

    def redeem(self, offered: str) -> bool:
        with self._lock:
            for token in self._tokens:
                if hmac.compare_digest(token.encode(), offered.encode()):
                    self._tokens.discard(token)
                    return True
        return False


class ReopenGuard:
    """Passphrase tries from the closed page: one at a time, each wrong one making the next wait longer
    (1, 2, 4... up to 30 seconds), and a right one resetting the count."""

    MAX_WAIT = 30.0

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self._lock = threading.Lock()
        self._failures = 0
        self._sleep = sleep

    @contextlib.contextmanager
    def attempt(self) -> Iterator[ReopenGuard]:
        with self._lock:
            self._ok = False
            try:
                yield self
            finally:
                if self._ok:
                    self._failures = 0
                else:
                    self._failures += 1
                    self._sleep(min(2.0 ** (self._failures - 1), self.MAX_WAIT))

    def succeeded(self) -> None:
        self._ok = True


@dataclass
class Services:
    config: Config
    vault: Vault
    keyring: KeyRing
    launch_tokens: LaunchTokens
    content: Content
    letters: LetterWriter
    tracker: Tracker
    # The time now: the tracker's clocks read it (tests run it forward).
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    # Called with a fresh launch URL after a quick exit, so the person can come back later.
    on_relaunch_url: Callable[[str], None] | None = None
    # Recovery keys waiting to be shown once, by browser-session handle: memory only.
    recovery_keys: dict[str, str] = field(default_factory=dict)
    reopen_guard: ReopenGuard = field(default_factory=ReopenGuard)
    # Files the page sends two at a time join their case in the order chosen.
    upload_order: InOrder = field(default_factory=InOrder)

    def launch_url(self, token: str) -> str:
        return f"http://127.0.0.1:{self.config.port}/?token={token}"

    def home_url(self) -> str:
        """The app's address without a token: it opens the page that asks for the passphrase."""
        return f"http://127.0.0.1:{self.config.port}/"


def services() -> Services:
    return current_app.extensions["helper"]


def keep_alive() -> Callable[[int], None]:
    """For a long upload: keep this browser session's vault unlocked while bytes arrive."""
    return services().keyring.keep_alive(session.get(SESSION_HANDLE))


def current_vault() -> UnlockedVault | None:
    """The vault this browser session unlocked, if it is still unlocked."""
    return services().keyring.get(session.get(SESSION_HANDLE))


def session_handle() -> str | None:
    """This browser session's random handle (the only thing its cookie holds)."""
    return session.get(SESSION_HANDLE)


def evidence_desk(vault: UnlockedVault) -> EvidenceDesk:
    """Where every file this app receives goes, whichever page brought it."""
    return EvidenceDesk(vault, max_size=services().config.max_upload_bytes)
