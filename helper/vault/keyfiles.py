"""The vault's key files, and the keys they hold while it is unlocked.

    identity.age    the X25519 identity, encrypted with the passphrase (scrypt, log2 N = 18)
    recovery.age    the same identity, encrypted with the recovery key (scrypt, log2 N = 18)
    signing.age     the Ed25519 key that signs dossier manifests, encrypted to the identity

Changing the passphrase rewrites only identity.age; nothing else in the vault depends on it. The public
recipient is never written in clear: it is derived from the identity once unlocked, so nobody without
the passphrase can forge a file the vault would accept.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from helper.vault import crypto
from helper.vault.atomic import atomic_write_bytes
from helper.vault.errors import KeyFileRefused, VaultError, WrongPassphrase
from helper.vocabulary import N_

IDENTITY = "identity.age"
RECOVERY = "recovery.age"
SIGNING = "signing.age"  # made with the vault (or, for an older vault, at its next unlock or export)


class Keys:
    """The identity of an unlocked vault and its recipient, shared by the case files and the blobs.

    `drop()` (the vault being locked) lets go of the identity: from then on nothing decrypts. The
    recipient is public by nature and stays, but every writer asks `is_locked` first."""

    def __init__(self, identity: pyrage.x25519.Identity) -> None:
        self._identity: pyrage.x25519.Identity | None = identity
        self.recipient = identity.to_public()

    @property
    def identity(self) -> pyrage.x25519.Identity:
        if self._identity is None:
            raise VaultError(N_("the vault is locked"))
        return self._identity

    @property
    def is_locked(self) -> bool:
        return self._identity is None

    def require_unlocked(self) -> None:
        if self.is_locked:
            raise VaultError(N_("the vault is locked"))

    def drop(self) -> None:
        self._identity = None


def write_new(folder: Path, identity: pyrage.x25519.Identity, passphrase: str, recovery_key: str) -> None:
    atomic_write_bytes(folder / IDENTITY, crypto.wrap_identity(identity, passphrase))
    atomic_write_bytes(folder / RECOVERY, crypto.wrap_identity(identity, recovery_key))


def write_passphrase(folder: Path, identity: pyrage.x25519.Identity, passphrase: str) -> None:
    """Rewrites only identity.age; the evidence and the recovery key stay as they are."""
    atomic_write_bytes(folder / IDENTITY, crypto.wrap_identity(identity, passphrase))


def open_with_passphrase(folder: Path, passphrase: str) -> pyrage.x25519.Identity:
    wrapped = (folder / IDENTITY).read_bytes()
    identity = crypto.unwrap_identity(wrapped, passphrase)
    _rewrap_if_needed(folder / IDENTITY, wrapped, identity, passphrase)
    return identity


def open_with_recovery(folder: Path, recovery_key: str) -> pyrage.x25519.Identity:
    wrapped = (folder / RECOVERY).read_bytes()
    key = crypto.normalize_recovery_key(recovery_key)
    try:
        identity = crypto.unwrap_identity(wrapped, key)
    except KeyFileRefused:
        raise
    except WrongPassphrase as exc:
        raise WrongPassphrase(N_("the recovery key does not open this vault")) from exc
    _rewrap_if_needed(folder / RECOVERY, wrapped, identity, key)
    return identity


def _rewrap_if_needed(path: Path, wrapped: bytes, identity: pyrage.x25519.Identity, secret: str) -> None:
    """A key file made with another scrypt work factor (rage's calibration, before this version) is
    written again at the fixed one, now that it opened: next time it opens at the same cost on any
    machine. A failure here (a full disk) leaves the old file, which still opens."""
    if crypto.needs_rewrap(wrapped):
        with contextlib.suppress(OSError):
            atomic_write_bytes(path, crypto.wrap_identity(identity, secret))


def signing_key(folder: Path, keys: Keys) -> Ed25519PrivateKey:
    """The vault's dossier-signing key (Ed25519), made and stored encrypted on first use. The caller
    holds the vault's write lock, so two first exports make one key."""
    path = folder / SIGNING
    if not path.exists():
        raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        atomic_write_bytes(path, crypto.encrypt_bytes(raw, keys.recipient))
    try:
        raw = crypto.decrypt_bytes(path.read_bytes(), keys.identity)
        return Ed25519PrivateKey.from_private_bytes(raw)
    except (pyrage.DecryptError, ValueError) as exc:
        raise VaultError(N_("the dossier signing key cannot be read")) from exc
