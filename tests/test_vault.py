"""The vault on its own: no Flask."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import threading
import time

import pytest

from helper.casework import cases, evidence
from helper.vault import (
    CaseNotFound,
    MissingItem,
    NotAVault,
    StaleRevision,
    TamperedItem,
    Vault,
    VaultExists,
    WeakPassphrase,
    WrongPassphrase,
)
from helper.vault import journal as journal_mod
from helper.vault.crypto import normalize_recovery_key
from helper.vault.store import BLOBS, CASES, UnlockedVault
from tests.support.evidence import add_file
from tests.support.web import PASSPHRASE


def blob_path(vault, item):
    return vault.path / BLOBS / f"{item.blob}.age"


@pytest.fixture
def case_with_items(unlocked):
    case = unlocked.create_case("Instagram, March")
    items = [
        add_file(unlocked, case.id, f"SAMPLE screenshot {n} ".encode() * 5000, f"shot{n}.png", "image/png")
        for n in range(3)
    ]
    return case, items


def test_evidence_round_trips_byte_for_byte(unlocked):
    case = unlocked.create_case("Test")
    data = os.urandom(300_000) + b"SAMPLE"
    item = add_file(unlocked, case.id, io.BytesIO(data), "clip.mp4", "video/mp4")
    out = io.BytesIO()
    unlocked.open_evidence(case.id, item.id).write_to(out)
    assert out.getvalue() == data
    assert item.size == len(data)
    import hashlib

    assert item.sha256 == hashlib.sha256(data).hexdigest()


def test_case_record_and_items_survive_lock_and_unlock(vault_dir, unlocked, case_with_items):
    case, items = case_with_items
    unlocked.lock()
    reopened = Vault(vault_dir).unlock(PASSPHRASE)
    loaded = reopened.load_case(case.id)
    assert loaded.title == "Instagram, March"
    assert [it.sha256 for it in loaded.evidence] == [it.sha256 for it in items]
    assert reopened.verify() == []


def test_wrong_passphrase_is_refused(vault_dir):
    with pytest.raises(WrongPassphrase):
        Vault(vault_dir).unlock("not the passphrase")


def test_locked_vault_refuses_to_decrypt(unlocked, case_with_items):
    case, _ = case_with_items
    unlocked.lock()
    with pytest.raises(Exception, match="locked"):
        unlocked.load_case(case.id)


def test_changed_passphrase_opens_and_old_one_is_refused(vault_dir, unlocked, case_with_items):
    case, _ = case_with_items
    unlocked.change_passphrase(PASSPHRASE, "a brand new passphrase")
    with pytest.raises(WrongPassphrase):
        Vault(vault_dir).unlock(PASSPHRASE)
    assert Vault(vault_dir).unlock("a brand new passphrase").load_case(case.id).id == case.id


def test_change_passphrase_needs_the_current_one(unlocked):
    before = (unlocked.path / "identity.age").read_bytes()
    with pytest.raises(WrongPassphrase):
        unlocked.change_passphrase("wrong current one", "a brand new passphrase")
    assert (unlocked.path / "identity.age").read_bytes() == before


def test_change_passphrase_rewrites_only_the_identity_file(unlocked, case_with_items):
    before = {p: p.read_bytes() for p in unlocked.path.rglob("*") if p.is_file() and p.name != "identity.age"}
    unlocked.change_passphrase(PASSPHRASE, "a brand new passphrase")
    after = {p: p.read_bytes() for p in unlocked.path.rglob("*") if p.is_file() and p.name != "identity.age"}
    assert before == after


def test_recovery_key_opens_the_vault_in_any_typing(vault_template, vault_dir):
    typed = vault_template.recovery_key.lower().replace("-", " ")
    assert Vault(vault_dir).unlock_with_recovery(typed).verify() == []


def test_wrong_recovery_key_is_refused(vault_dir):
    with pytest.raises(WrongPassphrase):
        Vault(vault_dir).unlock_with_recovery("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")


def test_recovery_key_then_new_passphrase(vault_template, vault_dir):
    Vault(vault_dir).unlock_with_recovery(vault_template.recovery_key).reset_passphrase(
        "chosen after recovery"
    )
    Vault(vault_dir).unlock("chosen after recovery")


def test_normalize_recovery_key():
    assert normalize_recovery_key(" abcde fghjk-LMNPQ ") == "ABCDE-FGHJK-LMNPQ"


def test_short_passphrase_is_refused_and_nothing_is_created(tmp_path):
    with pytest.raises(WeakPassphrase):
        Vault.create(tmp_path / "v", "short")
    assert not (tmp_path / "v").exists()


def test_create_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(VaultExists):
        Vault.create(tmp_path, PASSPHRASE)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("setup", ["missing", "empty", "foreign"])
def test_a_folder_that_is_not_a_vault_is_named_clearly(tmp_path, setup):
    folder = tmp_path / "v"
    if setup != "missing":
        folder.mkdir()
    if setup == "foreign":
        (folder / "holiday.jpg").write_bytes(b"SAMPLE")
    with pytest.raises(NotAVault):
        Vault(folder).unlock(PASSPHRASE)


def test_nothing_in_the_vault_is_plaintext(unlocked):
    marker = b"UNIQUE-MARKER-7f3a9c"
    case = unlocked.create_case("Case title MARKER-TITLE-51")
    add_file(unlocked, case.id, io.BytesIO(marker * 1000), "name-MARKER-NAME-88.png", "image/png")
    for path in unlocked.path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle in (marker, b"MARKER-TITLE-51", b"MARKER-NAME-88", b"age1"):
                assert needle not in data, f"{needle!r} in {path.name}"


def test_file_names_are_random_not_derived_from_content(unlocked):
    case = unlocked.create_case("Test")
    a = add_file(unlocked, case.id, io.BytesIO(b"SAMPLE same bytes"), "a.png", "image/png")
    b = add_file(unlocked, case.id, io.BytesIO(b"SAMPLE same bytes"), "b.png", "image/png")
    assert a.sha256 == b.sha256
    assert a.blob != b.blob
    assert a.sha256 not in {p.stem for p in (unlocked.path / BLOBS).iterdir()}


# -- tampering: each problem is reported for that item only -------------------------------


def flip_byte(path, offset):
    data = bytearray(path.read_bytes())
    data[offset % len(data)] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("where", ["header", "middle", "last"])
def test_flipped_byte_is_reported_for_that_item_only(unlocked, case_with_items, where):
    case, items = case_with_items
    path = blob_path(unlocked, items[1])
    size = path.stat().st_size
    flip_byte(path, {"header": 40, "middle": size // 2, "last": size - 1}[where])
    problems = unlocked.verify()
    assert [(p.case_id, p.item_id) for p in problems] == [(case.id, items[1].id)]
    assert "damaged" in problems[0].reason
    with pytest.raises(TamperedItem):
        unlocked.open_evidence(case.id, items[1].id).write_to(io.BytesIO())
    unlocked.open_evidence(case.id, items[0].id).write_to(io.BytesIO())  # the others still open


def test_truncated_blob_is_reported_for_that_item_only(unlocked, case_with_items):
    case, items = case_with_items
    path = blob_path(unlocked, items[0])
    path.write_bytes(path.read_bytes()[:-100])
    assert [p.item_id for p in unlocked.verify()] == [items[0].id]


def test_swapped_blobs_are_both_reported(unlocked, case_with_items):
    case, items = case_with_items
    a, b = blob_path(unlocked, items[0]), blob_path(unlocked, items[2])
    tmp = a.with_suffix(".swap")
    a.rename(tmp)
    b.rename(a)
    tmp.rename(b)
    problems = unlocked.verify()
    assert sorted(p.item_id for p in problems) == sorted([items[0].id, items[2].id])
    assert all("fingerprint" in p.reason for p in problems)


def test_missing_blob_is_reported_for_that_item_only(unlocked, case_with_items):
    case, items = case_with_items
    blob_path(unlocked, items[2]).unlink()
    problems = unlocked.verify()
    assert [p.item_id for p in problems] == [items[2].id]
    assert "missing" in problems[0].reason
    with pytest.raises(MissingItem):
        unlocked.open_evidence(case.id, items[2].id).write_to(io.BytesIO())


def test_damaged_case_file_leaves_other_cases_usable(unlocked, case_with_items):
    case, _ = case_with_items
    other = unlocked.create_case("Other")
    flip_byte(unlocked.path / CASES / f"{case.id}.age", 200)
    listing = {row.id: row for row in unlocked.list_cases()}
    assert listing[case.id].summary is None
    assert listing[case.id].problem
    assert listing[other.id].summary.title == "Other"
    assert [p.case_id for p in unlocked.verify()] == [case.id]


def test_a_case_file_copied_over_another_is_detected(unlocked):
    a, b = unlocked.create_case("A"), unlocked.create_case("B")
    shutil.copy(unlocked.path / CASES / f"{a.id}.age", unlocked.path / CASES / f"{b.id}.age")
    assert [p.case_id for p in unlocked.verify()] == [b.id]


def test_a_file_encrypted_to_another_key_is_refused(unlocked, case_with_items, tmp_path):
    other, _ = Vault.create(tmp_path / "other", PASSPHRASE)
    case, items = case_with_items
    stranger = other.create_case("Stranger")
    forged = add_file(other, stranger.id, io.BytesIO(b"SAMPLE forged"), "x.png", "image/png")
    shutil.copy(blob_path(other, forged), blob_path(unlocked, items[0]))
    assert [p.item_id for p in unlocked.verify()] == [items[0].id]


# -- journal -------------------------------------------------------------------------------


def test_journal_records_each_change_in_a_chain(unlocked, case_with_items):
    case, items = case_with_items
    cases.rename(unlocked, case.id, "Renamed")
    entries = unlocked.journal(case.id)
    assert [e.action for e in entries] == ["case.created"] + ["evidence.added"] * 3 + ["case.renamed"]
    assert entries[1].detail["sha256"] == items[0].sha256
    assert journal_mod.broken_links(entries) == []
    assert entries[-1].prev == entries[-2].hash


def test_an_edited_journal_entry_breaks_the_chain(unlocked, case_with_items):
    case, _ = case_with_items
    entries = list(unlocked.journal(case.id))
    from dataclasses import replace

    entries[1] = replace(entries[1], detail={**entries[1].detail, "size": 1})
    assert journal_mod.broken_links(tuple(entries)) == [1]


# -- concurrency -------------------------------------------------------------------------------


def test_stale_revision_is_refused_not_overwritten(unlocked):
    case = unlocked.create_case("First name")
    cases.rename(unlocked, case.id, "Saved in tab one", expected_revision=case.revision)
    with pytest.raises(StaleRevision):
        cases.rename(unlocked, case.id, "Saved in tab two", expected_revision=case.revision)
    assert unlocked.load_case(case.id).title == "Saved in tab one"


def test_concurrent_writers_lose_no_update(unlocked):
    case = unlocked.create_case("Busy")

    def add(n):
        add_file(unlocked, case.id, io.BytesIO(f"SAMPLE {n}".encode()), f"{n}.txt", "text/plain")

    threads = [threading.Thread(target=add, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    loaded = unlocked.load_case(case.id)
    assert sorted(it.original_name for it in loaded.evidence) == sorted(f"{n}.txt" for n in range(12))
    assert len(unlocked.journal(case.id)) == 13


# -- interoperability with the reference age tool ------------------------------------------------


def test_vault_files_open_with_debians_age_command(unlocked, case_with_items, tmp_path):
    case, items = case_with_items
    # 1. identity.age with the passphrase: age reads it from a terminal, so `script` lends one.
    key_file = tmp_path / "key.txt"
    subprocess.run(
        ["script", "-qec", f"age -d -o {key_file} {unlocked.path / 'identity.age'}", "/dev/null"],
        input=f"{PASSPHRASE}\n".encode(),
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert key_file.read_text().startswith("AGE-SECRET-KEY-1")
    # 2. every other file with `age -d -i`
    out = subprocess.run(
        ["age", "-d", "-i", str(key_file), str(blob_path(unlocked, items[0]))],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    assert out == b"SAMPLE screenshot 0 " * 5000
    record = subprocess.run(
        ["age", "-d", "-i", str(key_file), str(unlocked.path / CASES / f"{case.id}.age")],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    assert json.loads(record)["case"]["title"] == "Instagram, March"


def test_unknown_case_is_named(unlocked):
    with pytest.raises(CaseNotFound):
        unlocked.load_case("0" * 32)
    with pytest.raises(CaseNotFound):
        unlocked.load_case("../../etc")


def test_removing_an_item_keeps_the_rest_intact(unlocked, case_with_items):
    case, items = case_with_items
    evidence.remove(unlocked, case.id, items[1].id)
    assert [it.id for it in unlocked.load_case(case.id).evidence] == [items[0].id, items[2].id]
    assert not blob_path(unlocked, items[1]).exists()
    assert unlocked.verify() == []
    with pytest.raises(Exception, match=items[1].id):
        evidence.remove(unlocked, case.id, items[1].id)


def test_two_imports_naming_the_same_new_case_at_once_make_one_case(vault_template, tmp_path):
    """Each import looks the name up and creates the case under the vault's write lock."""
    import threading

    import pyrage

    from helper.vault.store import UnlockedVault

    shutil.copytree(vault_template.path, tmp_path / "vault")
    made = []

    def importer():
        vault = UnlockedVault(tmp_path / "vault", pyrage.x25519.Identity.from_str(vault_template.identity))
        made.append(vault.find_or_create_case("Same new case"))

    threads = [threading.Thread(target=importer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({case.id for case, _created in made}) == 1
    assert sum(created for _case, created in made) == 1


def test_files_written_but_never_added_are_reported_then_removed_once_old(unlocked):
    """What a killed import leaves: encrypted files no case refers to. `verify`'s companion reports them;
    they are removed at an unlock once old enough that no writer can still be about to add them."""
    from tests.support import samples
    from tests.support.evidence import add_file

    case = unlocked.create_case("Orphans")
    kept = add_file(unlocked, case.id, samples.png(64, 48), "kept.png", "image/png")
    stray_old = unlocked.store_blob(b"SAMPLE written, never added")
    stray_new = unlocked.store_blob(b"SAMPLE being added right now")
    old = time.time() - 3600
    os.utime(unlocked.path / "blobs" / f"{stray_old}.age", (old, old))
    assert unlocked.orphans() == sorted([stray_old, stray_new])
    assert unlocked.remove_orphans() == 1
    assert unlocked.orphans() == [stray_new]
    for blob in kept.blobs:
        assert (unlocked.path / "blobs" / f"{blob}.age").exists()
    assert unlocked.verify() == []


# -- additions: items and journal entries as small files, folded into the record now and then -------


def test_adding_an_item_does_not_rewrite_the_case_record(unlocked):
    from helper.vault.casefiles import FOLD_AFTER

    case = unlocked.create_case("Additions")
    record = unlocked.path / CASES / f"{case.id}.age"
    before = record.stat().st_ino
    for n in range(5):
        unlocked.add_item(case.id, _item(unlocked, n))
    assert record.stat().st_ino == before  # the record file was not written again
    assert len(list((unlocked.path / CASES / f"{case.id}.adds").iterdir())) == 5
    assert [it.original_name for it in unlocked.load_case(case.id).evidence] == [
        f"a{n}.txt" for n in range(5)
    ]
    # read by another window (a fresh vault object: nothing in memory)
    fresh = UnlockedVault(unlocked.path, unlocked.identity)
    assert fresh.load_case(case.id) == unlocked.load_case(case.id)
    assert not journal_broken(fresh, case.id)
    # an edit is a small file too: the record stays as it was
    cases.rename(unlocked, case.id, "Additions, renamed")
    assert record.stat().st_ino == before
    assert len(list((unlocked.path / CASES / f"{case.id}.adds").iterdir())) == 6
    assert fresh.load_case(case.id).title == "Additions, renamed"
    assert len(fresh.load_case(case.id).evidence) == 5
    assert FOLD_AFTER > 6


def test_additions_are_folded_in_every_so_often(unlocked, monkeypatch):
    from helper.vault import casefiles

    monkeypatch.setattr(casefiles, "FOLD_AFTER", 4)
    case = unlocked.create_case("Folded")
    for n in range(10):
        unlocked.add_item(case.id, _item(unlocked, n))
    assert len(list((unlocked.path / CASES / f"{case.id}.adds").iterdir())) < 4
    fresh = UnlockedVault(unlocked.path, unlocked.identity)
    assert len(fresh.load_case(case.id).evidence) == 10
    assert fresh.load_case(case.id).revision == unlocked.load_case(case.id).revision


def test_a_crash_between_folding_and_deleting_the_additions_loses_and_doubles_nothing(unlocked, monkeypatch):
    from helper.vault import casefiles

    case = unlocked.create_case("Crash while folding")
    for n in range(3):
        unlocked.add_item(case.id, _item(unlocked, n))
    adds = unlocked.path / CASES / f"{case.id}.adds"
    saved = {p.name: p.read_bytes() for p in adds.iterdir()}
    monkeypatch.setattr(casefiles, "FOLD_AFTER", 4)  # the rename is the fourth change: a fold
    cases.rename(unlocked, case.id, "Folded")
    assert list(adds.iterdir()) == []
    monkeypatch.undo()
    for name, data in saved.items():  # as if the deletion after the fold never happened
        (adds / name).write_bytes(data)
    fresh = UnlockedVault(unlocked.path, unlocked.identity)
    case_now = fresh.load_case(case.id)
    assert len(case_now.evidence) == 3
    fresh.add_item(case.id, _item(fresh, 3))
    again = UnlockedVault(unlocked.path, unlocked.identity)
    assert [it.original_name for it in again.load_case(case.id).evidence] == [f"a{n}.txt" for n in range(4)]
    assert not journal_broken(again, case.id)


def test_a_case_written_before_additions_existed_still_opens_and_takes_additions(unlocked):
    """Today's record files (no `through`) are read as they are; the first addition goes beside them."""
    from helper.vault import crypto as vault_crypto
    from helper.vault import journal as vault_journal

    case = unlocked.create_case("Old layout")
    old = unlocked.load_case(case.id)
    entries = unlocked.journal(case.id)
    payload = json.dumps(
        {"format": "helper.casefile.v1", "case": old.to_dict(), "journal": [e.to_dict() for e in entries]}
    ).encode()
    (unlocked.path / CASES / f"{case.id}.age").write_bytes(
        vault_crypto.encrypt_bytes(payload, unlocked.identity.to_public())
    )
    fresh = UnlockedVault(unlocked.path, unlocked.identity)
    assert fresh.load_case(case.id) == old
    fresh.add_item(case.id, _item(fresh, 0))
    assert len(UnlockedVault(unlocked.path, unlocked.identity).load_case(case.id).evidence) == 1
    assert not vault_journal.broken_links(fresh.journal(case.id))


def test_a_damaged_addition_is_named_like_a_damaged_case(unlocked):
    from helper.vault import DamagedCase

    case = unlocked.create_case("Damaged addition")
    unlocked.add_item(case.id, _item(unlocked, 0))
    (path,) = (unlocked.path / CASES / f"{case.id}.adds").iterdir()
    flip_byte(path, 60)
    with pytest.raises(DamagedCase):
        UnlockedVault(unlocked.path, unlocked.identity).load_case(case.id)


def _item(vault, n):
    from helper.case import EvidenceItem, utc_now

    data = f"SAMPLE {n}".encode()
    import hashlib

    return EvidenceItem(
        id=f"{n:032x}",
        blob=vault.store_blob(data),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        original_name=f"a{n}.txt",
        media_type="text/plain",
        added_at=utc_now(),
    )


def journal_broken(vault, case_id):
    from helper.vault import journal as vault_journal

    return vault_journal.broken_links(vault.journal(case_id))


def test_a_read_that_ends_after_the_vault_is_locked_keeps_nothing_in_memory(unlocked, monkeypatch):
    """A page, or the orphan sweep after an unlock, may be reading a case in another thread when the
    person locks the vault: what it decrypted is not put back into memory after the lock let it go."""
    from helper.vault import crypto as vault_crypto

    case = unlocked.create_case("Read while locking")
    unlocked.list_cases()
    reader = UnlockedVault(unlocked.path, unlocked.identity)
    real = vault_crypto.decrypt_bytes

    def decrypt_then_lock(data, identity):
        plaintext = real(data, identity)
        reader.lock()
        return plaintext

    monkeypatch.setattr(vault_crypto, "decrypt_bytes", decrypt_then_lock)
    assert reader.load_case(case.id).title == "Read while locking"
    assert reader._cases._cases == {}
    reader = UnlockedVault(unlocked.path, unlocked.identity)
    assert [row.summary.title for row in reader.list_cases()] == ["Read while locking"]
    assert reader._cases.index._read is None
