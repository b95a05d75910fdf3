"""The two age recipient types the vault uses (C2SP age, "X25519" and "scrypt"): each seals the file
key into a stanza; scrypt also opens one (the key files), with its work factor checked first.

An `age1…` recipient is Bech32 (BIP 173) around a 32-byte X25519 public key; decoded here, once per
recipient, so writing a file needs nothing from pyrage.
"""

from __future__ import annotations

import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from helper.vault.age_header import AgeError, Stanza, b64, hkdf, unb64

X25519_LABEL = b"age-encryption.org/v1/X25519"
SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
_ZERO_NONCE = b"\x00" * 12


def x25519_stanza(file_key: bytes, recipient: bytes) -> Stanza:
    """The file key sealed for one X25519 recipient (its 32-byte public key)."""
    ephemeral = X25519PrivateKey.generate()
    share = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))  # refuses an all-zero result
    wrap_key = hkdf(shared, share + recipient, X25519_LABEL)
    return Stanza("X25519", (b64(share),), ChaCha20Poly1305(wrap_key).encrypt(_ZERO_NONCE, file_key, None))


def _scrypt_key(passphrase: str, salt: bytes, log_n: int) -> bytes:
    return Scrypt(salt=SCRYPT_LABEL + salt, length=32, n=2**log_n, r=8, p=1).derive(
        passphrase.encode("utf-8")
    )


def scrypt_stanza(file_key: bytes, passphrase: str, log_n: int) -> Stanza:
    salt = os.urandom(16)
    sealed = ChaCha20Poly1305(_scrypt_key(passphrase, salt, log_n)).encrypt(_ZERO_NONCE, file_key, None)
    return Stanza("scrypt", (b64(salt), str(log_n)), sealed)


def scrypt_work_factor(stanza: Stanza) -> int:
    """The log2(N) a scrypt stanza asks for, read without deriving anything. Raises AgeError."""
    if len(stanza.args) != 2:
        raise AgeError("malformed scrypt stanza")
    text = stanza.args[1]
    if not text.isascii() or not text.isdigit() or text.startswith("0"):
        raise AgeError("malformed work factor")
    return int(text)


def unwrap_scrypt(stanza: Stanza, passphrase: str, max_log_n: int) -> bytes:
    """The file key, if `passphrase` opens this stanza. No calibration: a work factor up to
    `max_log_n` is accepted on any machine (rage refuses one above its own timing of the machine + 4,
    so a loaded or slow computer could refuse a vault's own key file). Raises AgeError."""
    log_n = scrypt_work_factor(stanza)
    if len(stanza.args[1]) > 2 or not 1 <= log_n <= max_log_n:
        raise AgeError("work factor out of bounds")
    salt = unb64(stanza.args[0], 16)
    if len(stanza.body) != 32:
        raise AgeError("malformed stanza body")
    try:
        return ChaCha20Poly1305(_scrypt_key(passphrase, salt, log_n)).decrypt(_ZERO_NONCE, stanza.body, None)
    except InvalidTag as exc:  # this passphrase does not open it
        raise AgeError("wrong passphrase", wrong=True) from exc


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            check ^= generator[i] if (top >> i) & 1 else 0
    return check


@functools.lru_cache(maxsize=16)
def recipient_key(recipient: str) -> bytes:
    """The 32-byte public key of an `age1…` recipient (Bech32, BIP 173), checksum verified. Decoded
    once per recipient: every file the vault writes (each add, each thumbnail) is for the same one."""
    text = recipient.strip()
    if text.lower() != text and text.upper() != text:
        raise AgeError("mixed case recipient")
    text = text.lower()
    hrp, sep, data = text.rpartition("1")
    if hrp != "age" or not sep or len(data) < 6 or any(c not in _BECH32 for c in data):
        raise AgeError("not an age recipient")
    values = [_BECH32.index(c) for c in data]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    if _bech32_polymod(expanded + values) != 1:
        raise AgeError("recipient checksum does not match")
    acc = bits = 0
    out = bytearray()
    for value in values[:-6]:
        acc = (acc << 5) | value
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    if bits >= 5 or (acc & ((1 << bits) - 1)) or len(out) != 32:
        raise AgeError("not an X25519 recipient")
    return bytes(out)
