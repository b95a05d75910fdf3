"""The OS-specific calls live in one module with two implementations (helper/vault/portable.py): POSIX
`flock`, and the portable one Windows takes (filelock, a lock file beside each temp file). Both are
checked here on this machine; `make test` also runs the vault, crash and concurrency tests with
`--portable`."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helper.vault import atomic, portable

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["posix", "portable"])
def mode(request, monkeypatch):
    if request.param == "portable":
        monkeypatch.setenv("INCIDENT_HELPER_PORTABLE", "1")
    else:
        monkeypatch.delenv("INCIDENT_HELPER_PORTABLE", raising=False)
    assert portable.portable() == (request.param == "portable")
    return request.param


def test_a_temp_file_being_written_is_left_alone_and_a_dead_writers_is_removed(tmp_path, mode):
    writing = tmp_path / f"{atomic.TEMP_PREFIX}live"
    f = atomic.open_temp(writing)
    f.write(b"ciphertext")
    left = tmp_path / f"{atomic.TEMP_PREFIX}dead"
    left.write_bytes(b"ciphertext")  # as a killed writer leaves it: no lock held
    assert portable.in_use(writing)
    assert not portable.in_use(left)
    assert atomic.remove_stale_temps(tmp_path, older_than=0) == 1
    assert writing.exists()
    assert not left.exists()
    f.close()
    assert not portable.in_use(writing)
    assert atomic.remove_stale_temps(tmp_path, older_than=0) == 1
    assert list(tmp_path.iterdir()) == []  # nor any mark


def test_a_mark_left_without_its_temp_file_is_removed_unless_held(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_HELPER_PORTABLE", "1")  # marks exist on the portable path only
    abandoned = tmp_path / f"{atomic.TEMP_PREFIX}gone.lock"
    abandoned.write_bytes(b"")
    held = tmp_path / f"{atomic.TEMP_PREFIX}held.lock"
    lock = portable._file_lock(held)
    lock.acquire()
    atomic.remove_stale_temps(tmp_path, older_than=0)
    assert not abandoned.exists()
    assert held.exists()
    lock.release()


def test_the_write_lock_excludes_threads(tmp_path, mode):
    inside, most = [0], [0]

    def hold():
        with portable.exclusive(tmp_path / ".lock"):
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            time.sleep(0.02)
            inside[0] -= 1

    threads = [threading.Thread(target=hold) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1
    assert (tmp_path / ".lock").exists()  # kept: a full disk must not stop the next writer


def test_the_write_lock_excludes_processes(tmp_path, mode):
    code = (
        "import sys, time; from pathlib import Path; from helper.vault import portable\n"
        "with portable.exclusive(Path(sys.argv[1])):\n"
        "    print('held', flush=True); time.sleep(1.0)\n"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path / ".lock")], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert other.stdout.readline().strip() == "held"
    started = time.monotonic()
    with portable.exclusive(tmp_path / ".lock"):
        waited = time.monotonic() - started
    other.wait(timeout=30)
    other.stdout.close()
    assert waited > 0.5


def test_a_file_is_synced_and_a_folder_too(tmp_path, mode):
    path = tmp_path / "f"
    path.write_bytes(b"x")
    portable.sync_files([path])
    portable.fsync_dir(tmp_path)


def test_no_module_but_portable_calls_the_os_locks():
    for path in (ROOT / "helper").rglob("*.py"):
        if path.name != "portable.py":
            text = path.read_text()
            assert "fcntl" not in text, path
            assert "msvcrt" not in text, path
            assert "/dev/fd" not in text, path


def test_the_app_starts_where_fcntl_and_resource_do_not_exist():
    """As on Windows: the POSIX-only modules are missing; the command still runs, on the portable path."""
    code = (
        "import sys; sys.modules['fcntl'] = None; sys.modules['resource'] = None\n"
        "from helper import cli, hardening\n"
        "from helper.vault import portable\n"
        "assert portable.portable()\n"
        "hardening.harden_process()\n"
        "sys.exit(cli.main(['--help']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "incident-helper" in result.stdout
