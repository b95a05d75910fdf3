"""What the web layer needs, hung off `app.extensions["helper"]` (no module-level singletons)."""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, session

from helper.config import Config
from helper.content import Content
from helper.vault import UnlockedVault, Vault
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


@dataclass
class Services:
    config: Config
    vault: Vault
    keyring: KeyRing
    launch_tokens: LaunchTokens
    content: Content
    # Called with a fresh launch URL after a quick exit, so the person can come back later.
    on_relaunch_url: Callable[[str], None] | None = None
    # Recovery keys waiting to be shown once, by browser-session handle: memory only.
    recovery_keys: dict[str, str] = field(default_factory=dict)

    def launch_url(self, token: str) -> str:
        return f"http://127.0.0.1:{self.config.port}/?token={token}"


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
