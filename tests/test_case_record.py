"""The incident record: round trips, old formats, the timeline, and ledger checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helper.case import (
    Account,
    Case,
    CaseFormatError,
    Event,
    Incident,
    Payment,
)
from helper.checks import crypto_address_kind, iban_is_valid, payment_warnings
from helper.timeline import build_timeline
from tests.support.cases import REPORTS, sample_case, save_case

KNOWN_ANSWERS = Path(__file__).parent / "data" / "case-v1.json"


def full_case() -> Case:
    """The sample case, with markup in its story and an event on the day a threat came."""
    return sample_case(narrative="Someone I met on a game <b>&</b> asked for photos.").with_entry(
        "events", Event(id="e1", at="2026-11-02", text="Blocked on Snapchat")
    )


def test_the_full_record_round_trips_through_json():
    case = full_case()
    assert Case.from_dict(json.loads(json.dumps(case.to_dict()))) == case


def test_the_full_record_round_trips_through_the_vault(unlocked):
    full = full_case()
    loaded = save_case(unlocked, full, step="all")
    assert loaded.payments == full.payments
    assert loaded.incident.narrative == full.incident.narrative


def test_a_version_1_case_still_loads_with_empty_parts():
    data = json.loads(KNOWN_ANSWERS.read_text())
    case = Case.from_dict(data)
    assert case.title == "Known answer"
    assert case.evidence[0].sha256 == "a" * 64
    assert case.incident == Incident()
    assert case.accounts == ()


@pytest.mark.parametrize(
    "breakage",
    [
        {"format": "helper.case.v99"},
        {"surprise": 1},
        {"accounts": [{"id": "a", "shoe_size": 4}]},
        {"payments": [{"id": "p", "paid": "yes"}]},
        {"revision": "3"},
    ],
)
def test_a_malformed_record_is_refused_not_guessed(breakage):
    data = {**full_case().to_dict(), **breakage}
    with pytest.raises(CaseFormatError):
        Case.from_dict(data)


def test_with_entry_replaces_by_id_and_keeps_order():
    case = full_case().with_entry("accounts", Account(id="a2", platform="Snapchat"))
    case = case.with_entry("accounts", Account(id="a1", platform="Instagram", handle="@renamed"))
    assert [(a.id, a.handle) for a in case.accounts] == [("a1", "@renamed"), ("a2", "")]
    assert [a.id for a in case.without_entry("accounts", "a1").accounts] == ["a2"]


def test_not_sure_about_age_takes_the_minor_path():
    assert Incident(minor="unsure").is_minor_path
    assert Incident(minor="yes").is_minor_path
    assert not Incident(minor="no").is_minor_path
    assert not Incident().is_minor_path


def test_timeline_is_chronological_across_every_part():
    kinds = [(e.at, e.kind) for e in build_timeline(full_case())]
    assert kinds == [
        ("2026-11-01", "started"),
        ("2026-11-02", "event"),  # a bare date before the times of its day
        ("2026-11-02T21:15:00+01:00", "threat"),
        ("2026-11-03T10:00:00+01:00", "payment"),
        ("2026-11-03T21:00:00+01:00", "deadline"),
        ("2026-11-04T09:00:00+01:00", "payment"),  # the demand never paid has no date: not on it
        *[("2026-11-05", "place")] * 5,
        *[("2026-11-20T10:00:00+01:00", "report")] * len(REPORTS),
    ]


def test_timeline_keeps_entries_with_odd_dates_at_the_end():
    case = full_case().with_entry("events", Event(id="e2", at="around Easter", text="First message"))
    assert build_timeline(case)[-1].at == "around Easter"


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("GB82 WEST 1234 5698 7654 32", True),
        ("FR14 2004 1010 0505 0001 3M02 606", True),
        ("GB82 WEST 1234 5698 7654 33", False),
        ("DE00", False),
        ("not an iban", False),
    ],
)
def test_iban_checksum(iban, valid):
    assert iban_is_valid(iban) is valid


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "bitcoin"),
        ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "bitcoin"),
        ("0x52908400098527886E0F7030069857D2E4169EE7", "ethereum"),
        ("TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7", "tron"),
        ("hello", None),
        ("0x123", None),
    ],
)
def test_crypto_address_shapes(address, kind):
    assert crypto_address_kind(address) == kind


def test_ledger_warnings_are_kind_and_never_change_the_entry():
    payment = Payment(
        id="p", amount="12,5O", iban="GB82 WEST 1234 5698 7654 33", wallet_address="nope", tx_hash="abc"
    )
    codes = {(w.field, w.code) for w in payment_warnings(payment)}
    assert codes == {
        ("amount", "amount"),
        ("iban", "iban_checksum"),
        ("wallet_address", "wallet_shape"),
        ("tx_hash", "tx_hash_shape"),
    }
    assert payment.iban == "GB82 WEST 1234 5698 7654 33"


def test_a_correct_payment_has_no_warning():
    payment = Payment(
        id="p",
        amount="150.00",
        iban="GB82 WEST 1234 5698 7654 32",
        wallet_address="bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        tx_hash="0x" + "ab" * 32,
    )
    assert payment_warnings(payment) == []


def test_describing_evidence_and_the_minor_rule():
    from helper.case import EvidenceItem, MinorImageRefused

    item = EvidenceItem(
        id="i1",
        blob="b" * 32,
        sha256="a" * 64,
        size=1,
        original_name="x.png",
        media_type="image/png",
        added_at="2026-11-01T00:00:00+00:00",
    )
    case = full_case().with_evidence(item)
    described = case.with_evidence_details("i1", description="Profile", intimate=True)
    assert described.item("i1").intimate
    minor = case.with_incident(minor="yes")
    with pytest.raises(MinorImageRefused):
        minor.with_evidence_details("i1", intimate=True)
    assert minor.with_evidence_details("i1", description="Chat").item("i1").description == "Chat"
    with pytest.raises(KeyError):
        case.with_evidence_details("nope", description="x")
