"""The one frozen, typed configuration object that `create_app` takes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

DEFAULT_IDLE_LOCK_MINUTES = 15
DEFAULT_RETENTION_DAYS = 90
DEFAULT_MAX_UPLOAD_BYTES = 16 * 1024**3  # a long screen recording fits; a runaway upload does not
DEFAULT_EXIT_URL = "https://www.google.com/search?q=weather"


def default_vault_path() -> Path:
    return Path(platformdirs.user_data_dir("incident-helper", appauthor=False)) / "vault"


@dataclass(frozen=True)
class Config:
    vault_path: Path
    port: int
    idle_lock_minutes: float = DEFAULT_IDLE_LOCK_MINUTES
    retention_days: int = DEFAULT_RETENTION_DAYS  # closed cases older than this are pointed out for deletion
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    exit_url: str = DEFAULT_EXIT_URL
    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    # Extra Host values to accept besides 127.0.0.1:PORT and localhost:PORT (the test client's).
    extra_hosts: tuple[str, ...] = ()
    testing: bool = False

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}", *self.extra_hosts})

    @property
    def allowed_origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.allowed_hosts)
