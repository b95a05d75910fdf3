"""Evidence is encrypted in this process (OpenSSL's ChaCha20-Poly1305, age format) while SHA-256 and MD5
are computed beside it: what it writes must open with pyrage and with Debian's `age -d`, whatever the
size, and a stream never finished must not open at all."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess

import pyrage
import pytest

from helper.vault import ageformat, crypto
from helper.vault.store import PendingBlob

CHUNK = ageformat.CHUNK


@pytest.fixture
def identity():
    return pyrage.x25519.Identity.generate()


SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 16 * CHUNK, 16 * CHUNK + 1, 17 * CHUNK, 3 * 2**20 + 17]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("background", [False, True])
def test_what_is_written_opens_with_pyrage_at_every_chunk_boundary(tmp_path, identity, size, background):
    data = os.urandom(size)
    out = io.BytesIO()
    enc = crypto.Encryptor(out, identity.to_public(), background=background)
    for i in range(0, len(data), 70_001):  # pieces that straddle the 64 KiB chunks
        enc.write(data[i : i + 70_001])
    digest = enc.finish()
    assert digest.sha256 == hashlib.sha256(data).hexdigest()
    assert digest.md5 == hashlib.md5(data).hexdigest()  # noqa: S324 - the fingerprint police ask for
    assert digest.size == size
    assert pyrage.decrypt(out.getvalue(), [identity]) == data


@pytest.mark.skipif(shutil.which("age") is None, reason="Debian's age is not installed")
def test_debian_age_opens_what_is_written(tmp_path, identity):
    data = b"SAMPLE evidence " * 20_000
    (tmp_path / "key.txt").write_text(f"{identity}\n")
    (tmp_path / "out.age").write_bytes(ageformat.encrypt_to(data, str(identity.to_public())))
    opened = subprocess.run(
        ["age", "-d", "-i", str(tmp_path / "key.txt"), str(tmp_path / "out.age")],
        capture_output=True,
        check=True,
    )
    assert opened.stdout == data


def test_an_aborted_stream_leaves_no_file_that_opens(identity):
    """The last chunk is sealed only at `finish`: a partial stream never looks complete."""
    for size in (10, CHUNK * 20 + 5):
        out = io.BytesIO()
        enc = crypto.Encryptor(out, identity.to_public(), background=True)
        enc.write(b"S" * size)
        enc.abort()
        with pytest.raises(pyrage.DecryptError):
            pyrage.decrypt(out.getvalue(), [identity])


def test_a_sealed_file_cut_short_does_not_open(identity):
    sealed = ageformat.encrypt_to(b"SAMPLE" * 50_000, str(identity.to_public()))
    for cut in (len(sealed) - 1, len(sealed) - (CHUNK + 16)):
        with pytest.raises(pyrage.DecryptError):
            pyrage.decrypt(sealed[:cut], [identity])


def test_each_file_gets_its_own_key_and_nonce(identity):
    recipient = str(identity.to_public())
    assert ageformat.encrypt_to(b"SAMPLE", recipient) != ageformat.encrypt_to(b"SAMPLE", recipient)


def test_recipients_are_checked_before_use(identity):
    good = str(identity.to_public())
    assert len(ageformat.recipient_key(good)) == 32
    assert ageformat.recipient_key(good.upper()) == ageformat.recipient_key(good)
    broken = good[:-1] + ("q" if good[-1] != "q" else "p")
    for bad in (broken, "age1", "notage1qqqqqqqqqqqqqq", good[:10] + good[10:].upper(), str(identity)):
        with pytest.raises(ageformat.AgeError):
            ageformat.recipient_key(bad)


def test_background_fingerprints_stop_their_threads(identity):
    import threading

    before = threading.active_count()
    enc = crypto.Encryptor(io.BytesIO(), identity.to_public(), background=True)
    assert threading.active_count() == before + 2  # SHA-256 and MD5
    enc.write(b"SAMPLE" * 100_000)
    enc.finish()
    assert threading.active_count() == before


def test_a_large_pending_blob_hashes_in_the_background_and_discard_removes_it(tmp_path, identity):
    pending = PendingBlob(tmp_path, identity.to_public(), expected_size=PendingBlob.BACKGROUND_HASHING)
    assert isinstance(pending._encryptor._fingerprints, crypto.BackgroundFingerprints)
    pending.write(b"SAMPLE" * 1000)
    pending.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_small_pending_blob_is_published_whole(tmp_path, identity):
    pending = PendingBlob(tmp_path, identity.to_public(), expected_size=1000)
    assert not isinstance(pending._encryptor._fingerprints, crypto.BackgroundFingerprints)
    pending.write(b"SAMPLE")
    pending.finish()
    pending.publish()
    assert [p.name for p in tmp_path.iterdir()] == [f"{pending.blob_id}.age"]
    assert pyrage.decrypt((tmp_path / f"{pending.blob_id}.age").read_bytes(), [identity]) == b"SAMPLE"
