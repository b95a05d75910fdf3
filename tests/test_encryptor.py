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

from helper.vault import age_header, age_stream, ageformat, crypto
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


# -- the payload stream's closed state and sticky error, as the reference implementation's writer has ----


class _FailingSink(io.BytesIO):
    """A sink that fails once (a full disk) after `good` writes, then would accept anything again."""

    def __init__(self, good: int) -> None:
        super().__init__()
        self.writes, self.good = 0, good

    def write(self, data) -> int:
        self.writes += 1
        if self.writes == self.good + 1:
            raise OSError(28, "No space left on device")
        return super().write(data)


def test_a_failed_write_is_sticky_even_if_the_disk_recovers(identity):
    """Some chunks may have reached the sink and others not: going on would write a file whose chunk
    counter no longer matches its bytes, so every later call raises, finish included."""
    sink = _FailingSink(good=1)  # the header goes out, the first sealed chunks do not
    writer = ageformat.writer_for_recipient(sink, str(identity.to_public()))
    with pytest.raises(OSError, match="No space"):
        writer.write(b"S" * (3 * CHUNK))
    for again in (lambda: writer.write(b"more"), writer.finish):
        with pytest.raises(age_stream.StreamError, match="earlier write") as raised:
            again()
        assert isinstance(raised.value.__cause__, OSError)
    assert sink.writes == 2  # nothing more reached the disk after the failure


def test_a_finished_stream_is_closed(identity):
    out = io.BytesIO()
    writer = ageformat.writer_for_recipient(out, str(identity.to_public()))
    writer.write(b"SAMPLE")
    writer.finish()
    sealed = out.getvalue()
    for again in (lambda: writer.write(b"more"), writer.finish):
        with pytest.raises(age_stream.StreamError, match="closed"):
            again()
    assert out.getvalue() == sealed  # a second last chunk was never appended
    assert pyrage.decrypt(sealed, [identity]) == b"SAMPLE"


def test_an_aborted_stream_is_closed_and_never_sealed(identity):
    out = io.BytesIO()
    writer = ageformat.writer_for_recipient(out, str(identity.to_public()))
    writer.write(b"S" * (CHUNK + 1))
    writer.abort()
    with pytest.raises(age_stream.StreamError, match="closed"):
        writer.finish()
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(out.getvalue(), [identity])


# -- the header: one parser for the key-file check and the reader --------------------------------------


def test_the_header_written_is_the_header_parsed(identity):
    sealed = ageformat.encrypt(b"SAMPLE", "pass words here", log_n=10)
    header = age_header.parse(sealed)
    (stanza,) = header.stanzas
    assert (stanza.type, stanza.args[1], len(stanza.body)) == ("scrypt", "10", 32)
    assert header.signed.endswith(b"\n---")
    assert sealed[: header.payload_at].endswith(b"\n")
    assert crypto.scrypt_work_factors(sealed) == [10]
    to_recipient = age_header.parse(ageformat.encrypt_to(b"SAMPLE", str(identity.to_public())))
    assert [s.type for s in to_recipient.stanzas] == ["X25519"]


@pytest.mark.parametrize(
    ("damage", "refusal"),
    [
        (lambda h: b"age-encryption.org/v2" + h[21:], "not an age file"),
        (lambda h: h.replace(b"\n---", b"\n-- -"), "header is damaged"),
        (lambda h: h.replace(b" 10\n", b" 010\n"), "header is damaged"),
        (lambda h: h.replace(b"-> scrypt ", b"-> scrypt  "), "header is damaged"),  # an empty argument
        (lambda h: h.replace(b"\n---", b"=\n---", 1), "header is damaged"),  # padded base64
    ],
    ids=["version", "end", "leading-zero", "empty-argument", "body"],
)
def test_the_key_file_check_and_the_reader_refuse_the_same_headers(damage, refusal):
    from helper.vault import KeyFileRefused

    damaged = damage(ageformat.encrypt(b"SAMPLE", "pass words here", log_n=10))
    with pytest.raises(KeyFileRefused, match=refusal):
        crypto.scrypt_work_factors(damaged)
    with pytest.raises(ageformat.AgeError):
        ageformat.decrypt(damaged, "pass words here")
