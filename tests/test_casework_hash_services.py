"""Keeping a hash service's case number and PIN, without Flask: the record's part (validated on write
as on read, old records still readable), the verb's one journaled write that never journals the
numbers, a stale page that never saves over another window, and a dossier that never prints the PIN."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from helper import vocabulary
from helper.case import CASE_FORMAT, Case, CaseFormatError, HashCase, InvalidRecord
from helper.casework import cases
from helper.casework import hash_services as hs
from helper.dossier import DossierOptions, export_dossier
from helper.vocabulary import UnknownCode
from tests.support.cases import sample_case, save_case

NUMBER = "SNCII-SAMPLE-2026-0042"
PIN = "PIN-SAMPLE-7391"


@pytest.fixture
def case(unlocked):
    return cases.create(unlocked, "Sample")


def actions(vault, case_id):
    return [(e.action, e.detail) for e in vault.journal(case_id)][1:]  # after "case.created"


# -- the record ----------------------------------------------------------------------------------


def test_a_kept_case_number_round_trips_in_the_current_format():
    case = sample_case().with_hash_case(HashCase("stopncii", NUMBER, PIN, "2026-12-03T10:00:00+00:00", 4))
    data = json.loads(json.dumps(case.to_dict()))
    assert data["format"] == CASE_FORMAT
    assert Case.from_dict(data) == case


def test_a_version_6_record_reads_with_no_numbers_kept():
    data = sample_case().to_dict()
    data["format"] = "helper.case.v6"
    del data["hash_cases"]
    assert Case.from_dict(data).hash_cases == ()


@pytest.mark.parametrize(
    "stored",
    [
        {"service": "stop-ncii", "case_number": NUMBER},  # not a service of ours
        {"service": "stopncii"},  # nothing kept
        {"service": "stopncii", "case_number": "1\n2"},  # not one line
        {"service": "stopncii", "pin": "9" * 101},
        {"service": "stopncii", "case_number": NUMBER, "revision": -1},
        {"service": "stopncii", "case_number": NUMBER, "shoe_size": 4},
    ],
)
def test_a_damaged_hash_case_is_refused_on_read(stored):
    data = {**sample_case().to_dict(), "hash_cases": [stored]}
    with pytest.raises(CaseFormatError):
        Case.from_dict(data)


def test_two_cases_of_one_service_are_refused_on_write():
    one = HashCase("stopncii", NUMBER)
    with pytest.raises(InvalidRecord):
        Case(id="c", title="t", created_at="2026-12-03", hash_cases=(one, one))


def test_a_service_kept_again_replaces_its_numbers_and_keeps_the_others():
    case = sample_case().with_hash_case(HashCase("stopncii", "1"))
    case = case.with_hash_case(HashCase("take-it-down", "2")).with_hash_case(HashCase("stopncii", "3"))
    assert [(h.service, h.case_number) for h in case.hash_cases] == [("stopncii", "3"), ("take-it-down", "2")]


def test_every_hash_service_is_a_removal_service_of_the_content(app):
    removal = {s.id for s in app.extensions["helper"].content.removal}
    assert set(vocabulary.HASH_SERVICES.codes) <= removal


# -- the verb ------------------------------------------------------------------------------------


def test_keeping_numbers_is_one_write_journaled_without_the_numbers(unlocked, case):
    saved = hs.keep_numbers(unlocked, case.id, "stopncii", case_number=f" {NUMBER} ", pin=PIN, shown=0)
    kept = saved.hash_case("stopncii")
    assert (kept.case_number, kept.pin, kept.revision) == (NUMBER, PIN, saved.revision)
    assert saved.revision == case.revision + 1
    assert actions(unlocked, case.id) == [(vocabulary.HASH_NUMBERS_KEPT, {"service": "stopncii"})]
    journal = json.dumps([e.to_dict() for e in unlocked.journal(case.id)])
    assert NUMBER not in journal
    assert PIN not in journal


def test_the_numbers_are_never_on_disk_in_clear(unlocked, case, vault_dir):
    hs.keep_numbers(unlocked, case.id, "stopncii", case_number=NUMBER, pin=PIN)
    for path in vault_dir.rglob("*"):
        if path.is_file():
            assert PIN.encode() not in path.read_bytes(), path
            assert NUMBER.encode() not in path.read_bytes(), path


def test_an_empty_pin_keeps_the_pin_already_kept(unlocked, case):
    first = hs.keep_numbers(unlocked, case.id, "take-it-down", case_number="TID-1", pin=PIN, shown=0)
    shown = hs.kept_revision(first, "take-it-down")
    again = hs.keep_numbers(unlocked, case.id, "take-it-down", case_number="TID-2", pin="", shown=shown)
    kept = again.hash_case("take-it-down")
    assert (kept.case_number, kept.pin) == ("TID-2", PIN)


def test_nothing_to_keep_saves_nothing(unlocked, case):
    with pytest.raises(hs.NothingToKeep):
        hs.keep_numbers(unlocked, case.id, "stopncii", case_number=" ", pin="")
    assert unlocked.load_case(case.id).revision == case.revision
    assert actions(unlocked, case.id) == []


def test_a_service_that_is_not_ours_is_refused(unlocked, case):
    with pytest.raises(UnknownCode):
        hs.keep_numbers(unlocked, case.id, "pharos", case_number=NUMBER, pin="")


def test_a_stale_page_never_saves_over_numbers_kept_in_another_window(unlocked, case):
    hs.keep_numbers(unlocked, case.id, "stopncii", case_number=NUMBER, pin=PIN, shown=0)
    with pytest.raises(hs.NumbersChanged) as raised:
        hs.keep_numbers(unlocked, case.id, "stopncii", case_number="MISTYPED-1", pin="1111", shown=0)
    assert raised.value.saved.case_number == NUMBER
    kept = unlocked.load_case(case.id).hash_case("stopncii")
    assert (kept.case_number, kept.pin) == (NUMBER, PIN)


def test_a_stale_page_that_typed_the_same_numbers_is_no_conflict(unlocked, case):
    hs.keep_numbers(unlocked, case.id, "stopncii", case_number=NUMBER, pin=PIN, shown=0)
    saved = hs.keep_numbers(unlocked, case.id, "stopncii", case_number=NUMBER, pin="", shown=0)
    assert saved.hash_case("stopncii").pin == PIN


def test_other_writes_do_not_make_the_numbers_page_stale(unlocked, case):
    first = hs.keep_numbers(unlocked, case.id, "stopncii", case_number=NUMBER, pin=PIN, shown=0)
    cases.rename(unlocked, case.id, "Renamed")
    shown = hs.kept_revision(first, "stopncii")
    saved = hs.keep_numbers(unlocked, case.id, "stopncii", case_number="SNCII-2", pin="", shown=shown)
    assert saved.hash_case("stopncii").case_number == "SNCII-2"


# -- what leaves the vault -----------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_dossier_never_prints_the_pin(unlocked, lang):
    saved = save_case(unlocked, sample_case())
    hs.keep_numbers(unlocked, saved.id, "stopncii", case_number=NUMBER, pin=PIN)
    text = pdf_text(export_dossier(unlocked, saved.id, DossierOptions(lang=lang)))
    assert "Sample" in text or "SAMPLE" in text
    assert PIN not in text
