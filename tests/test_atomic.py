"""All-or-nothing writes: a failure part-way (a full disk, a crash) never damages what was saved."""

from __future__ import annotations

import errno
import io

import pytest

from helper.casework import cases
from helper.evidence.desk import EvidenceDesk
from helper.vault import atomic
from helper.vault.caseindex import INDEX
from helper.vault.store import CASES


def test_a_failed_write_leaves_the_old_file_whole_and_no_temp(tmp_path):
    target = tmp_path / "record.age"
    target.write_bytes(b"committed version")

    def write_half_then_fail():
        with atomic.atomic_file(target) as f:
            f.write(b"half of the new vers")
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_half_then_fail()
    assert target.read_bytes() == b"committed version"
    assert [p.name for p in tmp_path.iterdir()] == ["record.age"]


def test_a_full_disk_while_saving_a_case_keeps_the_last_saved_case(unlocked, monkeypatch):
    case = unlocked.create_case("Before the disk filled")
    path = unlocked.path / CASES / f"{case.id}.age"
    before = path.read_bytes()

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", no_space)
    with pytest.raises(OSError, match="No space"):
        cases.rename(unlocked, case.id, "After")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert unlocked.load_case(case.id).title == "Before the disk filled"
    assert [p.name for p in path.parent.iterdir() if p.name != INDEX] == [path.name]


def test_a_full_disk_while_adding_evidence_adds_nothing(unlocked, monkeypatch):
    case = unlocked.create_case("Case")
    calls = {"n": 0}

    def fail_on_publish(fd):
        calls["n"] += 1
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "fsync_dir", fail_on_publish)
    outcome = EvidenceDesk(unlocked).receive_stream(case.id, io.BytesIO(b"SAMPLE"), name="x.png")
    monkeypatch.undo()
    assert outcome.status == "disk_full"  # said plainly
    assert unlocked.load_case(case.id).evidence == ()
    assert calls["n"] == 1
    assert list((unlocked.path / "blobs").iterdir()) == []  # nothing half-kept


def test_stale_temp_files_are_removed(tmp_path):
    (tmp_path / f"{atomic.TEMP_PREFIX}abc").write_bytes(b"ciphertext")
    (tmp_path / "keep.age").write_bytes(b"ciphertext")
    assert atomic.remove_stale_temps(tmp_path, older_than=0) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["keep.age"]
