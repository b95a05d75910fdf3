"""Key files at one fixed scrypt work factor (log2 N = 18) on every machine, and older ones re-written."""

from __future__ import annotations

import subprocess
import time

import pyrage

from helper.vault import Vault, agescrypt, crypto
from helper.vault.store import IDENTITY, RECOVERY

PASSPHRASE = "blue kettle under seven hills"


def test_key_files_are_written_at_log_n_18_and_standard_age_opens_them(tmp_path):
    _vault, recovery_key = Vault.create(tmp_path / "vault", PASSPHRASE)
    for name in (IDENTITY, RECOVERY):
        wrapped = (tmp_path / "vault" / name).read_bytes()
        assert crypto.scrypt_work_factors(wrapped) == [18]
    # Debian's age asks for the passphrase on a terminal: `script` gives it one.
    out = tmp_path / "identity.txt"
    done = subprocess.run(
        ["script", "-qec", f"age -d -o {out} {tmp_path / 'vault' / IDENTITY}", "/dev/null"],
        input=f"{PASSPHRASE}\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_text().startswith("AGE-SECRET-KEY-1")


def test_payloads_of_every_shape_round_trip_through_pyrage():
    for size in (0, 1, 65535, 65536, 65537, 3 * 65536):
        data = bytes(range(256)) * (size // 256) + bytes(size % 256)
        written = agescrypt.encrypt(data, "pass words", log_n=10)
        assert pyrage.passphrase.decrypt(written, "pass words") == data


def test_a_vault_written_with_another_factor_is_re_wrapped_at_its_next_unlock(tmp_path):
    vault, recovery_key = Vault.create(tmp_path / "vault", PASSPHRASE)
    identity = vault.identity
    path = tmp_path / "vault"
    (path / IDENTITY).write_bytes(agescrypt.encrypt(f"{identity}\n".encode(), PASSPHRASE, log_n=19))
    (path / RECOVERY).write_bytes(
        agescrypt.encrypt(f"{identity}\n".encode(), crypto.normalize_recovery_key(recovery_key), log_n=16)
    )
    start = time.perf_counter()
    opened = Vault(path).unlock(PASSPHRASE)
    assert str(opened.identity) == str(identity)
    assert crypto.scrypt_work_factors((path / IDENTITY).read_bytes()) == [18]
    assert crypto.scrypt_work_factors((path / RECOVERY).read_bytes()) == [16]  # opened only by its own key
    Vault(path).unlock_with_recovery(recovery_key)
    assert crypto.scrypt_work_factors((path / RECOVERY).read_bytes()) == [18]
    assert Vault(path).unlock(PASSPHRASE)  # still opens, now at the fixed cost
    assert time.perf_counter() - start < 30
