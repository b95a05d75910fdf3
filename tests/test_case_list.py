"""Opening a vault costs its key file, and listing its cases reads what the list shows, whatever the number
of cases (issue 22, part 1). Counted in files decrypted, never timed (speed lives in benchmarks/)."""

from __future__ import annotations

import os
import shutil
import threading
import time

import pytest

from helper.casework import cases
from helper.vault import Vault, crypto
from helper.vault.caseindex import INDEX
from helper.vault.listings import CaseSummary
from helper.vault.store import BLOBS, CASES, UnlockedVault, write_lock
from tests.support.evidence import add_file
from tests.support.web import PASSPHRASE, csrf_token


@pytest.fixture
def decryptions(monkeypatch):
    """The files the vault decrypts from now on (records, changes, the index), by folder and name."""
    seen: list[str] = []
    real = crypto.decrypt_bytes

    def counting(data, identity):
        seen.append("?")
        return real(data, identity)

    monkeypatch.setattr(crypto, "decrypt_bytes", counting)
    return seen


def some_cases(vault, count: int = 4):
    made = []
    for n in range(count):
        case = vault.create_case(f"Case {n}")
        for m in range(3):
            add_file(vault, case.id, f"SAMPLE {n} {m}".encode(), f"shot-{m}.txt", "text/plain")
        cases.rename(vault, case.id, f"Case {n}, renamed")
        made.append(case.id)
    return made


def reopened(vault) -> UnlockedVault:
    """The vault as another window or a new command finds it: nothing in memory."""
    return UnlockedVault(vault.path, vault.identity)


def expected_rows(vault):
    """The list as the whole records say it should be."""
    rows = {}
    for case_id in vault.case_ids():
        case, entries = vault.load_case(case_id), vault.journal(case_id)
        rows[case_id] = CaseSummary.of(case, entries)
    return rows


def listed(vault):
    return {row.id: row.summary for row in vault.list_cases()}


def test_the_case_list_reads_one_file_whatever_the_number_of_cases(unlocked, decryptions):
    some_cases(unlocked, 5)
    reopened(unlocked).list_cases()  # brings the index up to date with the changes made since
    decryptions.clear()
    rows = reopened(unlocked).list_cases()
    assert len(decryptions) == 1  # the index, not five records and their changes
    assert sorted(r.summary.title for r in rows) == [f"Case {n}, renamed" for n in range(5)]
    assert {r.summary.items for r in rows} == {3}


def test_a_change_is_in_the_list_at_once_from_its_own_file(unlocked, decryptions):
    (case_id, *_) = some_cases(unlocked, 3)
    reopened(unlocked).list_cases()
    cases.rename(unlocked, case_id, "Renamed since")
    add_file(unlocked, case_id, b"SAMPLE one more", "more.txt", "text/plain")
    decryptions.clear()
    fresh = reopened(unlocked)
    assert listed(fresh) == expected_rows(unlocked)
    assert listed(fresh)[case_id].title == "Renamed since"
    assert len(decryptions) == 2  # the index and that case's latest change: no record


def test_the_list_shows_what_the_case_page_and_its_search_use(unlocked):
    case = unlocked.create_case("Instagram, March")
    unlocked.update_case(case.id, lambda c: c.with_incident(first_contact_platform="instagram"))
    cases.set_closed(unlocked, case.id, True)
    (row,) = reopened(unlocked).list_cases()
    assert row.summary.closed_at
    assert row.summary.last_activity == unlocked.journal(case.id)[-1].at
    assert row.matches("insta")
    assert row.matches("march")
    assert not row.matches("tiktok")


def age_file(vault) -> bytes:
    return (vault.path / CASES / INDEX).read_bytes()


@pytest.mark.parametrize("damage", ["missing", "garbage", "older than the records", "another vault's"])
def test_the_list_is_right_whatever_became_of_its_index(unlocked, tmp_path, damage):
    """A crash never leaves the list wrong: an index lost, damaged or older than the records (a crash
    after a fold, a backup put back) only costs reading the records once, after which it is written
    again."""
    made = some_cases(unlocked, 3)
    reopened(unlocked).list_cases()
    old = age_file(unlocked)
    cases.rename(unlocked, made[0], "After the index")
    unlocked.update_case(made[1], lambda c: c.with_title("Folded after the index"), None, {})
    unlocked.delete_case(made[2])
    index = unlocked.path / CASES / INDEX
    if damage == "missing":
        index.unlink()
    elif damage == "garbage":
        index.write_bytes(os.urandom(500))
    elif damage == "older than the records":
        index.write_bytes(old)
    else:
        other, _ = Vault.create(tmp_path / "other", PASSPHRASE)
        some_cases(other, 1)
        other.list_cases()
        shutil.copy(other.path / CASES / INDEX, index)
    fresh = reopened(unlocked)
    assert listed(fresh) == expected_rows(unlocked)
    assert listed(reopened(unlocked)) == expected_rows(unlocked)
    assert age_file(unlocked) != old


def test_the_index_is_an_age_file_and_holds_no_plaintext(unlocked):
    case = unlocked.create_case("Case title MARKER-TITLE-51")
    unlocked.update_case(case.id, lambda c: c.with_incident(first_contact_platform="MARKER-PLATFORM"))
    unlocked.list_cases()
    data = age_file(unlocked)
    assert data.startswith(b"age-encryption.org/v1\n")
    assert b"MARKER" not in data
    assert b"MARKER-PLATFORM" in crypto.decrypt_bytes(data, unlocked.identity)


@pytest.mark.parametrize("portable", [False, True], ids=["posix", "portable"])
def test_a_list_never_waits_for_a_writer_and_leaves_the_index_to_the_next_one(
    unlocked, monkeypatch, portable
):
    monkeypatch.setenv("INCIDENT_HELPER_PORTABLE", "1" if portable else "0")
    some_cases(unlocked, 2)
    before = age_file(unlocked)
    with write_lock(unlocked.path):  # an upload being added, in this window or another
        rows = reopened(unlocked).list_cases()
    assert len(rows) == 2
    assert age_file(unlocked) == before
    reopened(unlocked).list_cases()
    assert age_file(unlocked) != before


def test_a_damaged_case_is_listed_as_damaged(unlocked):
    made = some_cases(unlocked, 2)
    unlocked.list_cases()
    record = unlocked.path / CASES / f"{made[0]}.age"
    data = bytearray(record.read_bytes())
    data[200] ^= 1
    record.write_bytes(bytes(data))
    rows = {row.id: row for row in reopened(unlocked).list_cases()}
    assert rows[made[0]].summary is None
    assert rows[made[0]].problem
    assert rows[made[1]].summary.title == "Case 1, renamed"


def test_a_case_named_on_the_command_line_is_found_without_reading_the_others(unlocked, decryptions):
    some_cases(unlocked, 4)
    reopened(unlocked).list_cases()
    decryptions.clear()
    found = reopened(unlocked).find_case("case 2, RENAMED")
    assert found.title == "Case 2, renamed"
    assert len(found.evidence) == 3
    assert len(decryptions) <= 1 + 1 + 4  # the index, then that case's record and its changes


# -- unlocking --------------------------------------------------------------------------------------


def test_a_command_line_unlock_reads_no_case(unlocked, monkeypatch, decryptions):
    from helper.cli import vaults

    some_cases(unlocked, 3)
    monkeypatch.setattr(vaults, "read_passphrase", lambda _prompt: PASSPHRASE)
    decryptions.clear()
    vaults.unlock(unlocked.path)
    assert decryptions == []


def test_the_web_unlock_reads_no_case_and_looks_for_orphans_in_the_background(
    launched, unlocked, monkeypatch, decryptions
):
    some_cases(unlocked, 3)
    started = []
    monkeypatch.setattr(UnlockedVault, "sweep_orphans_in_background", lambda self: started.append(self))
    token = csrf_token(launched)
    decryptions.clear()
    response = launched.post("/session/unlock", data={"csrf_token": token, "passphrase": PASSPHRASE})
    assert response.status_code in (302, 303)
    assert "/session/" not in response.location
    assert decryptions == []
    assert len(started) == 1


def stray(vault, age_s: float) -> str:
    blob = vault.store_blob(b"SAMPLE written, never added")
    then = time.time() - age_s
    os.utime(vault.path / BLOBS / f"{blob}.age", (then, then))
    return blob


def test_the_background_sweep_removes_old_orphans_and_keeps_young_ones(unlocked):
    case = unlocked.create_case("Orphans")
    kept = add_file(unlocked, case.id, b"SAMPLE kept", "kept.txt", "text/plain")
    old, young = stray(unlocked, 3600), stray(unlocked, 0)
    unlocked.sweep_orphans_in_background().join(timeout=60)
    assert unlocked.orphans() == [young]
    assert old not in unlocked.orphans()
    assert (unlocked.path / BLOBS / f"{kept.blob}.age").exists()


def test_looking_for_orphans_holds_up_no_save_when_there_are_none(unlocked):
    """The cases are read without the write lock; it is taken only when something is to be removed."""
    some_cases(unlocked, 2)
    done = threading.Event()
    with write_lock(unlocked.path):
        thread = threading.Thread(target=lambda: (reopened(unlocked).remove_orphans(), done.set()))
        thread.start()
        assert done.wait(timeout=30)
    thread.join()


def test_verify_sweeps_the_old_orphans(unlocked):
    from tests.support import cli

    case = unlocked.create_case("Orphans")
    add_file(unlocked, case.id, b"SAMPLE kept", "kept.txt", "text/plain")
    old = stray(unlocked, 3600)
    result = cli.run("verify", "--vault", str(unlocked.path), stdin=f"{PASSPHRASE}\n")
    assert result.returncode == 0, result.stderr
    assert not (unlocked.path / BLOBS / f"{old}.age").exists()
