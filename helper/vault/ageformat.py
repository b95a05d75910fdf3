"""Whole age files (C2SP age v1): a header (`age_header`), a recipient's stanza (`age_recipients`) and
the payload (`age_stream`), put together the way the reference implementation's `age.Encrypt` does.

The project writes every vault file itself, with `cryptography` (OpenSSL), rather than through pyrage:

- **Key files, at a fixed scrypt work factor.** rage (behind pyrage) calibrates the factor to the
  machine that writes the file, so a vault made on a fast desktop could get log2(N) = 20 or more and
  then not open on a slow laptop (rage refuses a factor above its own calibration + 4), and unlocking
  cost from 512 MiB to 1 GiB at random. Here the factor is the age reference implementation's, 18, and
  the key files are read here too, with the factor checked before any work.
- **Evidence, pushed to an X25519 recipient as it arrives.** pyrage's streaming encryption pulls from
  a reader (`encrypt_io`), so an upload arriving piece by piece would need a second thread or process
  to feed it; `PayloadWriter` takes each piece as it is written. OpenSSL's ChaCha20-Poly1305 is also
  faster: about 2.4 times `pyrage.encrypt_io` and 5 times `pyrage.encrypt` on the same bytes
  (`benchmarks/age_writer.py`), so a 1 GiB upload is hashed (SHA-256, MD5) on other cores while it is
  encrypted, in one process, on any operating system.

Reading evidence and records stays with pyrage (`crypto.decrypt_pieces`, `crypto.decrypt_bytes`).
Every file written here is cross-checked with `age -d` and rage, at every chunk boundary, and against
the C2SP test vectors (tests/test_encryptor.py, tests/test_age_vectors.py).
"""

from __future__ import annotations

import io
import os
from typing import BinaryIO

from helper.vault import age_header, age_recipients, age_stream
from helper.vault.age_header import AgeError
from helper.vault.age_recipients import recipient_key
from helper.vault.age_stream import CHUNK, PayloadWriter

LOG_N = 18  # the age reference implementation's choice: 256 MiB and about a second
FILE_KEY_SIZE = 16


def _writer(sink: BinaryIO, stanza_for) -> PayloadWriter:
    file_key = os.urandom(FILE_KEY_SIZE)
    return PayloadWriter(sink, file_key, age_header.encode([stanza_for(file_key)], file_key))


def writer_for_recipient(sink: BinaryIO, recipient: str) -> PayloadWriter:
    """An age file for the X25519 recipient `age1…`, written as it streams."""
    key = recipient_key(recipient)
    return _writer(sink, lambda file_key: age_recipients.x25519_stanza(file_key, key))


def _whole(writer_for, plaintext: bytes) -> bytes:
    out = io.BytesIO()
    writer = writer_for(out)
    writer.write(plaintext)
    writer.finish()
    return out.getvalue()


def encrypt_to(plaintext: bytes, recipient: str) -> bytes:
    """`plaintext` as an age file for the recipient `age1…` (opened by pyrage and `age -d`)."""
    return _whole(lambda out: writer_for_recipient(out, recipient), plaintext)


def encrypt(plaintext: bytes, passphrase: str, log_n: int = LOG_N) -> bytes:
    """`plaintext` as an age file that opens with `passphrase` (`age -d`, pyrage)."""
    return _whole(
        lambda out: _writer(out, lambda key: age_recipients.scrypt_stanza(key, passphrase, log_n)), plaintext
    )


def decrypt(data: bytes, passphrase: str, max_log_n: int = 22) -> bytes:
    """The plaintext of a binary age file with one scrypt stanza (a key file). Raises AgeError."""
    header = age_header.parse(data)
    if len(header.stanzas) != 1 or header.stanzas[0].type != "scrypt":
        raise AgeError("not a passphrase file (exactly one scrypt stanza)")
    file_key = age_recipients.unwrap_scrypt(header.stanzas[0], passphrase, max_log_n)
    age_header.verify_mac(header, file_key)
    return age_stream.decrypt_payload(file_key, data[header.payload_at :])


def scrypt_work_factors(data: bytes) -> list[int]:
    """The log2(N) of every scrypt stanza of a file's header, read before any key derivation runs.
    Raises AgeError (NotAge for a file that is not age v1)."""
    header = age_header.parse(data)
    return [age_recipients.scrypt_work_factor(s) for s in header.stanzas if s.type == "scrypt"]


__all__ = [
    "CHUNK",
    "LOG_N",
    "AgeError",
    "PayloadWriter",
    "decrypt",
    "encrypt",
    "encrypt_to",
    "recipient_key",
    "scrypt_work_factors",
    "writer_for_recipient",
]
