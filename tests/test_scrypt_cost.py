"""Key files at one fixed scrypt work factor (log2 N = 18) on every machine, and older ones re-written."""

from __future__ import annotations

import subprocess
import time

import pyrage

from helper.vault import Vault, ageformat, crypto
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
        written = ageformat.encrypt(data, "pass words", log_n=10)
        assert pyrage.passphrase.decrypt(written, "pass words") == data


def test_a_vault_written_with_another_factor_is_re_wrapped_at_its_next_unlock(tmp_path):
    vault, recovery_key = Vault.create(tmp_path / "vault", PASSPHRASE)
    identity = vault.identity
    path = tmp_path / "vault"
    (path / IDENTITY).write_bytes(ageformat.encrypt(f"{identity}\n".encode(), PASSPHRASE, log_n=19))
    (path / RECOVERY).write_bytes(
        ageformat.encrypt(f"{identity}\n".encode(), crypto.normalize_recovery_key(recovery_key), log_n=16)
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


def test_our_reader_agrees_with_the_c2sp_vectors_and_with_rage():
    """Every binary passphrase vector: the ones that must open give the vector's payload, the others
    are refused (never an exception of another kind); and a file rage wrote opens."""
    import hashlib
    import zlib
    from pathlib import Path

    kit = Path(__file__).resolve().parent / "data" / "age-testkit"
    checked = 0
    for path in sorted(kit.iterdir()):
        head, _, body = path.read_bytes().partition(b"\n\n")
        header = dict(line.split(": ", 1) for line in head.decode().splitlines() if ": " in line)
        if "passphrase" not in header or header.get("armored") == "yes" or body.startswith(b"-----"):
            continue
        if header.get("compressed") == "zlib":
            body = zlib.decompress(body)
        try:
            plain = ageformat.decrypt(body, header["passphrase"])
        except ageformat.AgeError:
            assert header["expect"] != "success", path.name
        else:
            assert header["expect"] == "success", path.name
            assert hashlib.sha256(plain).hexdigest() == header["payload"], path.name
        checked += 1
    assert checked >= 20
    written_by_rage = pyrage.passphrase.encrypt(b"AGE-SECRET-KEY-SAMPLE", "pass words here")
    assert ageformat.decrypt(written_by_rage, "pass words here") == b"AGE-SECRET-KEY-SAMPLE"
