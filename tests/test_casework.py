"""The verbs of a case, without Flask: each act is one write, journaled as the act it is."""

from __future__ import annotations

import pytest

from helper.casework import cases, counselor, evidence
from helper.evidence.chats.model import Chat, Message
from helper.ids import is_id
from helper.vault import ItemNotFound, StaleRevision
from tests.support.evidence import add_file


def actions(vault, case_id):
    return [e.action for e in vault.journal(case_id)]


def test_a_case_is_created_renamed_closed_reopened_each_with_its_entry(unlocked):
    case = cases.create(unlocked, "  Sample\u200b case ")
    cases.rename(unlocked, case.id, "Instagram, March")
    assert cases.set_closed(unlocked, case.id, True).closed_at
    assert cases.set_closed(unlocked, case.id, False).closed_at is None
    assert unlocked.load_case(case.id).title == "Instagram, March"
    assert actions(unlocked, case.id) == ["case.created", "case.renamed", "case.closed", "case.reopened"]


def test_a_blank_name_is_refused_and_a_stale_rename_is_not_applied(unlocked):
    case = cases.create(unlocked, "Sample")
    with pytest.raises(cases.NameMissing):
        cases.rename(unlocked, case.id, " \u200b ")
    cases.rename(unlocked, case.id, "Tab one", expected_revision=case.revision)
    with pytest.raises(StaleRevision):
        cases.rename(unlocked, case.id, "Tab two", expected_revision=case.revision)
    assert unlocked.load_case(case.id).title == "Tab one"


def test_a_case_is_deleted_only_when_its_name_is_typed(unlocked):
    case = cases.create(unlocked, "Sample Case")
    with pytest.raises(cases.NameNotConfirmed):
        cases.delete(unlocked, case, "Sample")
    assert unlocked.has_case(case.id)
    cases.delete(unlocked, case, "  sample   case ")
    assert not unlocked.has_case(case.id)


def test_links_are_added_and_removed_with_ids_of_the_one_format(unlocked):
    case = cases.create(unlocked, "Sample")
    link = evidence.add_link(unlocked, case.id, url=" https://example.org/p/1 ", seen_at=None, platform="X ")
    assert is_id(link.id)
    assert unlocked.load_case(case.id).links[0].url == "https://example.org/p/1"
    evidence.remove_link(unlocked, case.id, link.id)
    assert unlocked.load_case(case.id).links == ()
    assert actions(unlocked, case.id)[-2:] == ["link.added", "link.removed"]


def test_an_item_is_described_then_removed_with_its_files(unlocked):
    case = cases.create(unlocked, "Sample")
    item = add_file(unlocked, case.id, b"SAMPLE notes, plain text", "notes.txt", "text/plain")
    evidence.describe(unlocked, case.id, item.id, description="The first message (SAMPLE)")
    assert unlocked.load_case(case.id).item(item.id).description == "The first message (SAMPLE)"
    evidence.remove(unlocked, case.id, item.id)
    assert unlocked.load_case(case.id).evidence == ()
    assert all(not (unlocked.path / "blobs" / f"{b}.age").exists() for b in item.blobs)
    assert actions(unlocked, case.id)[-2:] == ["evidence.described", "evidence.removed"]
    with pytest.raises(ItemNotFound):
        evidence.remove(unlocked, case.id, item.id)


def test_quotes_follow_the_ticks_on_the_page_and_leave_the_other_pages_alone(unlocked):
    case = cases.create(unlocked, "Sample")
    item = add_file(unlocked, case.id, b"SAMPLE notes, plain text", "notes.txt", "text/plain")
    messages = tuple(Message(sender="sample_account", at=None, text=f"SAMPLE {n}") for n in range(4))
    chat = Chat(format="whatsapp", title="Sample", participants=("sample_account",), messages=messages)
    evidence.choose_quotes(unlocked, case.id, item, chat, shown=[0, 1], ticked=[0, 1])
    evidence.choose_quotes(unlocked, case.id, item, chat, shown=[1, 2, 99], ticked=[2, 99])
    assert sorted(q.index for q in unlocked.load_case(case.id).quotes) == [0, 2]


def test_the_counselors_traces_are_journaled_and_a_blank_note_refused(unlocked):
    case = cases.create(unlocked, "Sample")
    counselor.note_present(unlocked, case.id, "Sample Counselor", "Sample Line")
    counselor.record_consent(unlocked, case.id, "0" * 32, True)
    with pytest.raises(counselor.EmptyNote):
        counselor.add_note(unlocked, case.id, "Sample Counselor", "  ")
    note = counselor.add_note(unlocked, case.id, "Sample Counselor", " Call back Monday (SAMPLE) ")
    assert is_id(note.id)
    assert unlocked.load_case(case.id).counselor_notes[0].text == "Call back Monday (SAMPLE)"
    counselor.remove_note(unlocked, case.id, note.id)
    counselor.note_summary_taken(unlocked, case.id, "fr")
    counselor.note_ended(unlocked, case.id, "Sample Counselor", 1)
    assert actions(unlocked, case.id)[1:] == [
        "counselor.started", "consent.granted", "note.added", "note.removed", "summary.exported",
        "counselor.ended",
    ]  # fmt: skip
