"""Every change a person makes often is one small file of what changed, like an addition, whatever the
size of the case (issue 22, part 2); folded into the record now and then, with the invariants of
`helper/vault/casefiles.py`. Counted in files and bytes written, never timed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest

from helper.case import EvidenceItem, Link, utc_now
from helper.casework import cases, counselor, evidence, letters, walkthrough
from helper.casework.walkthrough import Edit, EntryEdit
from helper.ids import new_id
from helper.vault import DamagedCase, casefiles, changes, crypto
from helper.vault.store import CASES, UnlockedVault
from tests.support.letters import full_case, writer


def synthetic_items(count: int) -> tuple[EvidenceItem, ...]:
    """Items as the record holds them, without their files: only the record is measured here."""
    return tuple(
        EvidenceItem(
            id=f"{n:032x}",
            blob=new_id(),
            sha256=hashlib.sha256(str(n).encode()).hexdigest(),
            size=100,
            original_name=f"shot-{n:05d}-SAMPLE.png",
            media_type="image/png",
            added_at="2026-11-20T10:00:00+00:00",
            description="SAMPLE",
        )
        for n in range(count)
    )


def case_of(vault, count: int) -> str:
    """A saved case with everything letters need, and `count` items, folded into its record."""
    sample = full_case("US")
    case = vault.create_case("Sample case")
    every_change_folds, casefiles.FOLD_AFTER = casefiles.FOLD_AFTER, 1
    try:
        vault.update_case(
            case.id,
            lambda c: replace(
                sample, id=c.id, title=c.title, created_at=c.created_at, reports=(), letters=(),
                evidence=synthetic_items(count),
            ),
        )  # fmt: skip
    finally:
        casefiles.FOLD_AFTER = every_change_folds
    assert not vault.path.joinpath(CASES, f"{case.id}.adds").exists()
    return case.id


def first_item(vault, case_id: str) -> str:
    return vault.load_case(case_id).evidence[0].id


# Each change a person makes often, as its verb makes it.
EDITS = {
    "story draft": lambda v, c: walkthrough.save_draft(v, c, Edit({"narrative": "SAMPLE typed so far"})),
    "story step": lambda v, c: walkthrough.save_step(v, c, "story", incident=Edit({"narrative": "SAMPLE"})),
    "account": lambda v, c: walkthrough.save_entry(
        v, c, "accounts", EntryEdit("accounts", "a" * 32, Edit({"platform": "instagram", "handle": "@x"}))
    ),
    "description": lambda v, c: evidence.describe(v, c, first_item(v, c), description="SAMPLE described"),
    "link": lambda v, c: evidence.add_link(v, c, url="https://example.com/SAMPLE", seen_at=None),
    "consent": lambda v, c: counselor.record_consent(v, c, first_item(v, c), True),
    "counselor note": lambda v, c: counselor.add_note(v, c, "Sam", "SAMPLE note"),
    "letter sent": lambda v, c: letters.record_sent(
        v,
        c,
        writer().write(v.load_case(c), "take-it-down", "x", "en"),
        channel="form",
        sent_at="2026-11-20T10:00+01:00",
    ),  # fmt: skip
    "rename": lambda v, c: cases.rename(v, c, "SAMPLE renamed"),
    "close": lambda v, c: cases.set_closed(v, c, True),
}


@pytest.fixture
def writes(monkeypatch):
    """Every file the case files write from now on: (path, bytes)."""
    seen: list[tuple[str, int]] = []
    real = casefiles.atomic_write_bytes

    def counting(target, data):
        seen.append((str(target), len(data)))
        return real(target, data)

    monkeypatch.setattr(casefiles, "atomic_write_bytes", counting)
    return seen


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edit_writes_as_little_in_a_case_of_600_items_as_in_one_of_5(unlocked, writes, edit):
    written = {}
    for count in (5, 600):
        case_id = case_of(unlocked, count)
        record = unlocked.path / CASES / f"{case_id}.age"
        before = record.stat().st_ino
        writes.clear()
        EDITS[edit](unlocked, case_id)
        assert record.stat().st_ino == before  # the record was not written again
        ((path, size),) = writes
        assert f"{case_id}.adds" in path
        written[count] = size
        fresh = UnlockedVault(unlocked.path, unlocked.identity)
        assert fresh.load_case(case_id) == unlocked.load_case(case_id)
        assert fresh.journal(case_id) == unlocked.journal(case_id)
    assert abs(written[600] - written[5]) < 64  # a few digits more, not 595 items more


def test_a_change_file_says_only_what_changed(unlocked):
    case_id = case_of(unlocked, 50)
    item = first_item(unlocked, case_id)
    evidence.describe(unlocked, case_id, item, description="SAMPLE described")
    (path,) = (unlocked.path / CASES / f"{case_id}.adds").iterdir()
    data = json.loads(crypto.decrypt_bytes(path.read_bytes(), unlocked.identity))
    assert data["format"] == changes.CHANGE_FORMAT
    assert data["fields"] == {}
    assert [e["id"] for e in data["put"]["evidence"]] == [item]
    assert [e["action"] for e in data["journal"]] == ["evidence.described"]
    assert data["summary"]["items"] == 50


def test_a_draft_changes_no_journal_and_keeps_the_revision_rule(unlocked):
    case_id = case_of(unlocked, 3)
    before = unlocked.load_case(case_id)
    entries = unlocked.journal(case_id)
    walkthrough.save_draft(unlocked, case_id, Edit({"narrative": "SAMPLE"}, revision=before.revision))
    fresh = UnlockedVault(unlocked.path, unlocked.identity)
    assert fresh.load_case(case_id).revision == before.revision + 1
    assert fresh.load_case(case_id).incident.narrative == "SAMPLE"
    assert fresh.journal(case_id) == entries


def test_an_entry_removed_is_said_by_its_whole_collection_and_reads_back(unlocked):
    case_id = case_of(unlocked, 3)
    links = [
        evidence.add_link(unlocked, case_id, url=f"https://example.com/{n}", seen_at=None) for n in range(3)
    ]
    evidence.remove_link(unlocked, case_id, links[1].id)
    fresh = UnlockedVault(unlocked.path, unlocked.identity)
    assert [link.id for link in fresh.load_case(case_id).links] == [links[0].id, links[2].id]


def test_an_item_taken_out_of_a_big_case_folds_it(unlocked):
    case_id = case_of(unlocked, 600)
    record = unlocked.path / CASES / f"{case_id}.age"
    before = record.stat().st_size
    unlocked.update_case(case_id, lambda c: c.without_evidence(first_item(unlocked, case_id)), "x", {})
    assert record.stat().st_size < before  # written whole, not as a change as big as the record
    assert len(UnlockedVault(unlocked.path, unlocked.identity).load_case(case_id).evidence) == 599


def test_what_a_change_file_cannot_say_is_written_whole_and_reads_back(unlocked):
    """Two links with the same id: a change would put the second over the first."""
    case_id = case_of(unlocked, 3)
    link = Link(id=new_id(), url="https://example.com", added_at=utc_now())
    unlocked.update_case(case_id, lambda c: replace(c, links=(link, link)), "x", {})
    assert UnlockedVault(unlocked.path, unlocked.identity).load_case(case_id).links == (link, link)


def test_a_change_a_read_would_refuse_is_never_written(unlocked):
    from helper.case import InvalidRecord

    case_id = case_of(unlocked, 3)
    adds = unlocked.path / CASES / f"{case_id}.adds"
    with pytest.raises(InvalidRecord):  # a number where the record keeps text
        unlocked.update_case(case_id, lambda c: c.with_incident(narrative=5), "x", {})
    assert not adds.exists() or list(adds.iterdir()) == []


def test_edits_are_folded_in_every_so_often(unlocked, monkeypatch):
    monkeypatch.setattr(casefiles, "FOLD_AFTER", 4)
    case_id = case_of(unlocked, 20)
    for n in range(10):
        walkthrough.save_draft(unlocked, case_id, Edit({"narrative": f"SAMPLE {n}"}))
        cases.rename(unlocked, case_id, f"Renamed {n}")
    assert len(list((unlocked.path / CASES / f"{case_id}.adds").iterdir())) < 4
    fresh = UnlockedVault(unlocked.path, unlocked.identity)
    assert fresh.load_case(case_id) == unlocked.load_case(case_id)
    assert fresh.load_case(case_id).incident.narrative == "SAMPLE 9"


def test_change_files_never_outweigh_the_record(unlocked, monkeypatch):
    monkeypatch.setattr(casefiles, "FOLD_BYTES", 1)
    case_id = case_of(unlocked, 30)
    record = unlocked.path / CASES / f"{case_id}.age"
    adds = unlocked.path / CASES / f"{case_id}.adds"
    for n in range(40):
        walkthrough.save_draft(unlocked, case_id, Edit({"narrative": f"SAMPLE {n} " * 100}))
        assert sum(p.stat().st_size for p in adds.iterdir()) <= record.stat().st_size
    assert (
        UnlockedVault(unlocked.path, unlocked.identity)
        .load_case(case_id)
        .incident.narrative.startswith("SAMPLE 39 ")
    )


def test_a_crash_between_folding_edits_and_deleting_them_applies_nothing_twice(unlocked, monkeypatch):
    case_id = case_of(unlocked, 3)
    counselor.add_note(unlocked, case_id, "Sam", "SAMPLE first")
    evidence.describe(unlocked, case_id, first_item(unlocked, case_id), description="SAMPLE")
    adds = unlocked.path / CASES / f"{case_id}.adds"
    saved = {p.name: p.read_bytes() for p in adds.iterdir()}
    monkeypatch.setattr(casefiles, "FOLD_AFTER", 3)  # the next change folds
    counselor.add_note(unlocked, case_id, "Sam", "SAMPLE second")
    monkeypatch.undo()
    for name, data in saved.items():  # as if the deletion after the fold never happened
        (adds / name).write_bytes(data)
    fresh = UnlockedVault(unlocked.path, unlocked.identity)
    assert [n.text for n in fresh.load_case(case_id).counselor_notes] == ["SAMPLE first", "SAMPLE second"]
    assert fresh.load_case(case_id) == unlocked.load_case(case_id)


def test_a_lost_edit_is_noticed_never_skipped(unlocked):
    case_id = case_of(unlocked, 3)
    for n in range(3):
        cases.rename(unlocked, case_id, f"Renamed {n}")
    (unlocked.path / CASES / f"{case_id}.adds" / f"{2:010d}.age").unlink()
    with pytest.raises(DamagedCase):
        UnlockedVault(unlocked.path, unlocked.identity).load_case(case_id)


def test_a_change_that_does_not_raise_the_revision_is_damage(unlocked):
    case_id = case_of(unlocked, 3)
    cases.rename(unlocked, case_id, "Renamed")
    cases.rename(unlocked, case_id, "Renamed again")
    adds = unlocked.path / CASES / f"{case_id}.adds"
    path = adds / f"{2:010d}.age"
    data = json.loads(crypto.decrypt_bytes(path.read_bytes(), unlocked.identity))
    data["revision"] -= 1
    path.write_bytes(crypto.encrypt_bytes(json.dumps(data).encode(), unlocked.identity.to_public()))
    with pytest.raises(DamagedCase):
        UnlockedVault(unlocked.path, unlocked.identity).load_case(case_id)


def test_an_addition_written_before_changes_existed_still_reads(unlocked):
    case_id = case_of(unlocked, 3)
    cached = unlocked._cases.current(case_id)
    from helper.vault import journal

    item = synthetic_items(4)[3]
    entries = journal.append(cached.entries, utc_now(), "evidence.added", {"item": item.id})
    old_style = {
        "seq": 1,
        "revision": cached.case.revision + 1,
        "item": item.to_dict(),
        "entry": entries[-1].to_dict(),
    }
    adds = unlocked.path / CASES / f"{case_id}.adds"
    adds.mkdir()
    (adds / f"{1:010d}.age").write_bytes(
        crypto.encrypt_bytes(json.dumps(old_style).encode(), unlocked.identity.to_public())
    )
    fresh = UnlockedVault(unlocked.path, unlocked.identity)
    assert [it.id for it in fresh.load_case(case_id).evidence][-1] == item.id
    cases.rename(fresh, case_id, "After the old addition")
    again = UnlockedVault(unlocked.path, unlocked.identity)
    assert again.load_case(case_id).title == "After the old addition"
    assert len(again.load_case(case_id).evidence) == 4


def test_a_reader_whose_change_files_were_folded_away_reads_the_record_again(unlocked, monkeypatch):
    """Readers hold no lock: another window may fold between the reader's listing of the change files
    and its reading them."""
    case_id = case_of(unlocked, 3)
    for n in range(3):
        cases.rename(unlocked, case_id, f"Renamed {n}")
    reader = UnlockedVault(unlocked.path, unlocked.identity)
    real = reader._cases._add_seqs
    raced = []

    def listing_then_fold(cid):
        seqs = real(cid)
        if not raced:
            raced.append(True)
            monkeypatch.setattr(casefiles, "FOLD_AFTER", 1)
            cases.rename(unlocked, case_id, "Folded meanwhile")
            monkeypatch.setattr(casefiles, "FOLD_AFTER", 256)
        return seqs

    monkeypatch.setattr(reader._cases, "_add_seqs", listing_then_fold)
    assert reader.load_case(case_id).title == "Folded meanwhile"
