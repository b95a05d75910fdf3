"""The worker process that encrypts large uploads on a second core."""

from __future__ import annotations

import hashlib
import io
import os

import pyrage
import pytest

from helper.vault import crypto
from helper.vault.store import PendingBlob


@pytest.fixture
def identity():
    return pyrage.x25519.Identity.generate()


@pytest.mark.parametrize("encryptor", [crypto.StreamEncryptor, crypto.ProcessEncryptor])
def test_both_encryptors_write_the_same_age_format(tmp_path, identity, encryptor):
    data = os.urandom(3 * 1024 * 1024 + 17)
    out = tmp_path / "out.age"
    with open(out, "wb") as f:
        enc = encryptor(f, identity.to_public())
        for i in range(0, len(data), 65536):
            enc.write(data[i : i + 65536])
        digest = enc.finish()
    assert digest.sha256 == hashlib.sha256(data).hexdigest()
    assert digest.size == len(data)
    assert pyrage.decrypt(out.read_bytes(), [identity]) == data


def test_aborted_worker_leaves_no_valid_file(tmp_path, identity):
    """A partial stream must never become a complete-looking age file."""
    out = tmp_path / "out.age"
    with open(out, "wb") as f:
        enc = crypto.ProcessEncryptor(f, identity.to_public())
        enc.write(b"SAMPLE partial " * 10_000)
        enc.abort()
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(out.read_bytes(), [identity])


def test_the_recipient_never_appears_on_a_command_line(tmp_path, identity, monkeypatch):
    seen = []
    real_popen = crypto.subprocess.Popen

    def spy(args, **kwargs):
        seen.append(args)
        return real_popen(args, **kwargs)

    monkeypatch.setattr(crypto.subprocess, "Popen", spy)
    with open(tmp_path / "out.age", "wb") as f:
        enc = crypto.ProcessEncryptor(f, identity.to_public())
        enc.write(b"SAMPLE")
        enc.finish()
    assert seen
    assert not any(str(identity.to_public()) in " ".join(args) for args in seen)


def test_large_pending_blob_uses_the_worker_and_discard_removes_it(tmp_path, identity):
    pending = PendingBlob(tmp_path, identity.to_public(), expected_size=PendingBlob.PROCESS_THRESHOLD)
    assert isinstance(pending._encryptor, crypto.ProcessEncryptor)
    pending.write(b"SAMPLE" * 1000)
    pending.discard()
    assert list(tmp_path.iterdir()) == []


def test_small_pending_blob_stays_in_process(tmp_path, identity):
    pending = PendingBlob(tmp_path, identity.to_public(), expected_size=1000)
    assert isinstance(pending._encryptor, crypto.StreamEncryptor)
    pending.write(io.BytesIO(b"SAMPLE").read())
    pending.finish()
    pending.publish()
    assert [p.name for p in tmp_path.iterdir()] == [f"{pending.blob_id}.age"]
