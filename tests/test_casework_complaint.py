"""The details a complaint to the prosecutor asks for (état civil, witnesses, the court): an optional,
validated part of the record (helper.case.v8; older records read with it empty), saved by one
journaled verb from the page's revision, merged by field or refused with both versions."""

from __future__ import annotations

import pytest

from helper.case import Case, CaseFormatError, Complaint, InvalidRecord, Payment, Witness
from helper.casework import cases
from helper.casework.complaint import complaint_values, save_complaint
from helper.casework.walkthrough import Edit, EditConflict, fingerprints


@pytest.fixture
def case(unlocked):
    return cases.create(unlocked, "Sample")


def page(case, **typed):
    """What the complaint page sends: its fields as typed, from the case it was built from."""
    shown = complaint_values(case.complaint)
    return Edit({**shown, **typed}, case.revision, fingerprints(shown))


WITNESS = {
    "name": "Alex Sample",
    "address": "2 Sample Road\nSampletown",
    "knows": "Saw the messages (SAMPLE).",
}


def test_the_details_for_a_complaint_are_saved_in_one_journaled_write(unlocked, case):
    saved = save_complaint(
        unlocked,
        case.id,
        page(
            case, birth_date="1994-03-02", birth_place="Sampleville", court_city="Lyon", witnesses=[WITNESS]
        ),
    )
    assert saved.revision == case.revision + 1
    assert saved.complaint == Complaint(
        "1994-03-02",
        "Sampleville",
        "Lyon",
        (Witness("Alex Sample", "2 Sample Road\nSampletown", WITNESS["knows"]),),
    )
    journal = [(e.action, e.detail) for e in unlocked.journal(case.id)][1:]
    assert journal == [("complaint.details", {})]  # never the birth date or a witness's name


def test_a_stale_page_keeps_what_another_window_saved_and_refuses_a_clash(unlocked, case):
    save_complaint(unlocked, case.id, page(case, court_city="Lyon"))
    merged = save_complaint(unlocked, case.id, page(case, birth_place="Sampleville"))
    assert (merged.complaint.court_city, merged.complaint.birth_place) == ("Lyon", "Sampleville")
    with pytest.raises(EditConflict) as caught:
        save_complaint(unlocked, case.id, page(case, court_city="Marseille"))
    assert caught.value.fields == ("court_city",)
    assert unlocked.load_case(case.id).complaint.court_city == "Lyon"


def test_a_witness_without_a_name_is_not_kept(unlocked, case):
    saved = save_complaint(unlocked, case.id, page(case, witnesses=[WITNESS, {"name": " ", "address": "x"}]))
    assert [w.name for w in saved.complaint.witnesses] == ["Alex Sample"]


@pytest.mark.parametrize(
    "changes",
    [
        {"birth_date": "02/03/1994"},
        {"birth_date": "1994-3-2"},
        {"birth_place": "Sample\nville"},
        {"court_city": "x" * 201},
    ],
)
def test_a_value_the_record_cannot_keep_is_refused_before_any_write(unlocked, case, changes):
    with pytest.raises(InvalidRecord):
        save_complaint(unlocked, case.id, page(case, **changes))
    assert unlocked.load_case(case.id).revision == case.revision


def test_an_older_record_reads_with_no_complaint_and_an_unknown_field_is_refused():
    stored = Case(id="c1", title="t", created_at="2026-11-01T09:00:00+00:00").to_dict()
    stored.pop("complaint")
    assert Case.from_dict({**stored, "format": "helper.case.v7"}).complaint == Complaint()
    with pytest.raises(CaseFormatError):
        Case.from_dict({**stored, "complaint": {"birth_date": None, "shoe_size": "42"}})


@pytest.mark.parametrize("digits", ["1234", ""])
def test_a_payment_keeps_the_last_four_digits_of_the_persons_own_card(digits):
    assert Payment(id="p", own_account=digits).own_account == digits


@pytest.mark.parametrize("number", ["4111111111111111", "123", "12a4", "1234 "])
def test_a_full_card_number_or_anything_but_four_digits_is_refused(number):
    with pytest.raises(InvalidRecord):
        Payment(id="p", own_account=number)
