"""What the web layer needs, hung off `app.extensions["helper"]` (no module-level singletons)."""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import current_app, session

from helper.config import Config
from helper.content import Content
from helper.evidence.desk import EvidenceDesk
from helper.evidence.renditions import RenditionWorker
from helper.letters.engine import LetterWriter
from helper.letters.tracker import Tracker
from helper.vault import UnlockedVault, Vault
from helper.web.dossier.progress import ExportProgress
from helper.web.evidence.ordering import InOrder
from helper.web.keyring import KeyRing
from helper.web.throttle import FailureRecord, ReopenGuard

SESSION_HANDLE = "vault_handle"
SESSION_LAUNCHED = "launched"
# Left by a quick exit from an admitted session: a random ticket that lets this browser's passphrase
# tries on the closed page go in a lane of their own (helper/web/throttle.py).
SESSION_RETURNING = "returning"


def is_admitted(data: Mapping[str, Any]) -> bool:
    """A browser session let in with the launch link or the passphrase."""
    return bool(data.get(SESSION_LAUNCHED))


def is_kept(data: Mapping[str, Any]) -> bool:
    """Kept with the admitted sessions though not admitted: a quick exit's way back."""
    return bool(data.get(SESSION_RETURNING))


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
    # The closed page's passphrase tries; their count is kept in the vault folder across restarts.
    reopen_guard: ReopenGuard = field(init=False)
    # Files the page sends two at a time join their case in the order chosen.
    upload_order: InOrder = field(default_factory=InOrder)
    # Pictures' thumbnails and PDQ hashes, made after the file is saved (helper/evidence/renditions.py).
    renditions: RenditionWorker = field(default_factory=RenditionWorker)
    # How far each dossier being made has come, for its page's progress bar.
    dossier_progress: ExportProgress = field(default_factory=ExportProgress)

    def __post_init__(self) -> None:
        self.reopen_guard = ReopenGuard(FailureRecord(self.vault.path, self.vault.exists))

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
    found = services()
    return EvidenceDesk(vault, max_size=found.config.max_upload_bytes, renditions=found.renditions)
