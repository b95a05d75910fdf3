"""The letters' verbs, without Flask: one language rule, one id format, one write per act."""

from __future__ import annotations

import contextlib
from dataclasses import replace

import pytest

from helper.casework import letters
from helper.ids import is_id
from tests.support.disk import case_write_fails
from tests.support.letters import SIGNER, full_case, writer


@pytest.fixture
def letter_case(unlocked):
    """A saved case with everything a US TAKE IT DOWN request to X needs."""
    sample = full_case("US")
    case = unlocked.create_case("Sample case")
    unlocked.update_case(
        case.id,
        lambda c: replace(sample, id=c.id, title=c.title, created_at=c.created_at, reports=(), letters=()),
        None,
        {},
    )
    return unlocked.load_case(case.id)


def take_it_down(case):
    return writer().write(case, "take-it-down", "x", "en")


def test_the_language_asked_for_wins_the_readers_comes_next_then_the_letters_first():
    kind = writer().content.kind("take-it-down")
    assert letters.letter_language(kind, "en", "fr") == "en"
    assert letters.letter_language(kind, None, "en") == "en"
    assert letters.letter_language(kind, None, "xx") == kind.langs[0]


def test_a_language_the_letter_is_not_written_in_is_refused_not_replaced():
    kind = writer().content.kind("take-it-down")
    with pytest.raises(letters.LanguageNotOffered):
        letters.letter_language(kind, "de", "en")


def test_record_sent_keeps_the_copy_and_the_report_in_one_write(unlocked, letter_case):
    before = unlocked.load_case(letter_case.id).revision
    report_id = letters.record_sent(
        unlocked, letter_case.id, take_it_down(letter_case), channel="form", sent_at="2026-11-20T10:00+01:00"
    )
    case = unlocked.load_case(letter_case.id)
    assert case.revision == before + 1  # one write, not two
    (report,) = case.reports
    (copy,) = case.letters
    assert report.id == report_id
    assert report.letter_id == copy.id
    assert [e.action for e in unlocked.journal(case.id)][-2:] == ["letter.written", "report.recorded"]


@pytest.mark.parametrize("failing_write", [1, 2])
def test_a_failed_write_while_recording_leaves_both_the_letter_and_its_report_or_neither(
    unlocked, letter_case, failing_write
):
    """Before, the copy and the report were two writes: a crash between them left a letter with no
    report. Whichever write fails now, the case holds both or neither."""
    with case_write_fails(letter_case.id, failing_write), contextlib.suppress(OSError):
        letters.record_sent(
            unlocked, letter_case.id, take_it_down(letter_case), channel="form", sent_at="2026-11-20T10:00Z"
        )
    case = unlocked.load_case(letter_case.id)
    assert (len(case.letters), len(case.reports)) in ((0, 0), (1, 1))


def test_a_letter_lacking_what_its_law_requires_is_not_recorded(unlocked, letter_case):
    unlocked.update_case(letter_case.id, lambda c: c.with_signer(SIGNER.__class__()), None, {})
    case = unlocked.load_case(letter_case.id)
    with pytest.raises(letters.LetterIncomplete):
        letters.record_sent(
            unlocked, case.id, take_it_down(case), channel="form", sent_at="2026-11-20T10:00Z"
        )
    assert unlocked.load_case(case.id).reports == ()


def test_copies_and_reports_get_ids_of_the_one_format_whoever_makes_them(unlocked, letter_case):
    kept = letters.keep_copy(unlocked, letter_case.id, take_it_down(letter_case), "txt")
    sent = letters.record_sent(
        unlocked, letter_case.id, take_it_down(letter_case), channel="form", sent_at="2026-11-20T10:00Z"
    )
    case = unlocked.load_case(letter_case.id)
    assert all(is_id(i) for i in (kept, sent, *(c.id for c in case.letters)))


def test_a_reply_with_no_words_is_refused_and_a_gone_report_is_named(unlocked, letter_case):
    report_id = letters.record_sent(
        unlocked, letter_case.id, take_it_down(letter_case), channel="form", sent_at="2026-11-20T10:00Z"
    )
    with pytest.raises(letters.EmptyReply):
        letters.add_reply(unlocked, letter_case.id, report_id, "   ", "2026-11-21T10:00Z")
    with pytest.raises(letters.ReportNotFound):
        letters.add_reply(unlocked, letter_case.id, "0" * 32, "They answered (SAMPLE).", "2026-11-21T10:00Z")
    letters.add_reply(unlocked, letter_case.id, report_id, " They answered (SAMPLE). ", "2026-11-21T10:00Z")
    letters.update_report(
        unlocked, letter_case.id, report_id, status="removed", reference="R-1", sent_at=None, notice_at=None
    )
    (report,) = unlocked.load_case(letter_case.id).reports
    assert report.status == "removed"
    assert report.replies[0].text == "They answered (SAMPLE)."
