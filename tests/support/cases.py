"""The tests' one sample case, with synthetic, decent data: invented people, accounts and addresses.

`sample_case()` builds it in memory (no vault): every part of the record filled, every element of every
kind of letter present. A test that needs other values passes them: a part (`accounts=(...)`, `()` for
none), or a field of the incident (`country="FR"`). `save_case(vault, sample)` stores it in a vault, in
one write, as the walkthrough would have. `case_with_everything` is the sample with every payment
method and every report target, and a real file, for the tests that look for every label.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from helper import vocabulary
from helper.case import (
    Account,
    Case,
    Complaint,
    Event,
    EvidenceItem,
    Link,
    Original,
    Payment,
    Place,
    Report,
    Signer,
    Threat,
    Witness,
)
from tests.support import samples
from tests.support.evidence import add_file

SENT_AT = "2026-11-20T10:00:00+01:00"

SIGNER = Signer(
    name="Sam Example",
    email="sam.sample@example.org",
    phone="+1 555 0100",
    address="1 Sample Street, Sampletown",
    signature="Sam Q. Example",
    acting_for="self",
    harm="I could not sleep or go to school for a week (SAMPLE).",
    good_faith=True,
    accurate=True,
    perjury=True,
    own_photo=True,
    intimate_declared=True,
)

INCIDENT = {
    "kind": "financial",
    "minor": "no",
    "country": "US",
    "narrative": "Someone met online (SAMPLE) asked for pictures, then for money, threatening to post them.",
    "started_on": "2026-11-01",
    "first_contact_platform": "Instagram",
    "moved_to_platform": "Snapchat",
}

# Every platform a test may name, with an exact address of the content on it.
PLACES = {
    "instagram": "https://www.instagram.com/p/SAMPLE123/",
    "x": "https://x.com/sample_account/status/1234567890",
    "discord": "https://discord.com/channels/111/222/333",
    "reddit": "https://www.reddit.com/r/sample/comments/abc123/sample/",
    "generic": "https://sample-host.example/gallery/42",
}

ACCOUNTS = (
    Account(
        id="a1",
        platform="Instagram",
        display_name="Sample Person",
        handle="@sample_account",
        platform_id="1234567",
        profile_url="https://www.instagram.com/sample_account/",
        email="extortion.sample@example.net",
    ),
)

THREATS = (
    Threat(
        id="t1",
        wording="Pay or I send them to everyone (SAMPLE)",
        received_at="2026-11-02T21:15:00+01:00",
        deadline="2026-11-03T21:00:00+01:00",
        targets="family and school",
    ),
)

PAYMENTS = (
    Payment(
        id="p1",
        paid=True,
        amount="150.00",
        currency="USD",
        method="crypto",
        at="2026-11-03T10:00:00+01:00",
        wallet_address="bc1qsampleaddress0000000000000000000000",
        tx_hash="ab" * 32,
    ),
    Payment(
        id="p2",
        paid=True,
        amount="100.00",
        currency="EUR",
        method="gift_card",
        at="2026-11-04T09:00:00+01:00",
        gift_card_brand="SampleCard",
        gift_card_code="SAMPLE-0000-1111",
    ),
    Payment(
        id="p3",
        paid=False,
        amount="500",
        currency="EUR",
        method="bank_transfer",
        iban="FR7630006000011234567890189",
    ),
)

# What a complaint to the prosecutor asks for beyond the letters' details (état civil, the court).
COMPLAINT = Complaint(
    birth_date="1994-03-02",
    birth_place="Sampleville",
    court_city="Sampleville",
    witnesses=(
        Witness("Alex Sample", "2 Sample Road, Sampletown", "Saw the messages on my phone (SAMPLE)."),
    ),
)

ORIGINALS = (
    Original(
        id="o1", description="A holiday photo (SAMPLE)", where_posted="Instagram", url=PLACES["instagram"]
    ),
)

# The requests the letters' escalations follow up.
REPORTS = tuple(
    Report(
        id=f"r{n}",
        target="platform",
        kind=earlier,
        platform="instagram",
        channel="form",
        status="sent",
        sent_at=SENT_AT,
        made_on=SENT_AT[:10],
        reference=f"REF-{n}",
    )
    for n, earlier in enumerate(("take-it-down", "dsa-notice", "gdpr-erasure", "uk-data-complaint"))
)

# An item described in the record only: for a case that never meets a vault.
ITEM = EvidenceItem(
    id="e1",
    blob="b1",
    sha256="0" * 63 + "1",
    size=10,
    original_name="shot-SAMPLE.png",
    media_type="image/png",
    added_at="2026-11-05T10:00:00+00:00",
)


def sample_case(
    *,
    title: str = "Sample case",
    signer: Signer = SIGNER,
    accounts: tuple[Account, ...] = ACCOUNTS,
    threats: tuple[Threat, ...] = THREATS,
    payments: tuple[Payment, ...] = PAYMENTS,
    places: tuple[Place, ...] | None = None,
    originals: tuple[Original, ...] = ORIGINALS,
    reports: tuple[Report, ...] = REPORTS,
    events: tuple[Event, ...] = (),
    links: tuple[Link, ...] = (),
    evidence: tuple[EvidenceItem, ...] = (ITEM,),
    complaint: Complaint = COMPLAINT,
    **incident: Any,
) -> Case:
    """The sample case; `places` by default is one on each platform of PLACES, seen on 5 November."""
    if places is None:
        places = tuple(
            Place(id=f"pl{n}", url=url, platform=platform, seen_on="2026-11-05")
            for n, (platform, url) in enumerate(PLACES.items())
        )
    case = Case(id="c1", title=title, created_at="2026-11-01T09:00:00+00:00", signer=signer)
    return replace(
        case.with_incident(**{**INCIDENT, **incident}),
        accounts=accounts,
        threats=threats,
        payments=payments,
        places=places,
        originals=originals,
        reports=reports,
        events=events,
        links=links,
        evidence=evidence,
        complaint=complaint,
    )


def save_case(vault, sample: Case, case_id: str | None = None, step: str | None = "review") -> Case:
    """Store `sample` in `vault`, in one write, journalled as a save of the walkthrough's `step` (None:
    not journalled): as a new case named as the sample, or in place of what the case `case_id`
    recorded. Its id, name and revision stay the vault's."""
    if case_id is None:
        case_id = vault.create_case(sample.title).id

    def fill(c: Case) -> Case:
        return replace(sample, id=c.id, title=c.title, created_at=c.created_at, revision=c.revision)

    if step is None:
        vault.update_case(case_id, fill, None, {})
    else:
        vault.update_case(case_id, fill, "walkthrough.saved", {"step": step})
    return vault.load_case(case_id)


def case_with_everything(unlocked) -> str:
    """A case with every payment method, every report target and every detail a letter needs."""
    payments = tuple(
        Payment(
            id=f"p{n}",
            paid=n % 2 == 0,
            amount="10",
            currency="EUR",
            method=method,
            at="2026-03-03T10:00",
            wallet_address="bc1qsamplesampleexample",
            tx_hash="ab" * 32,
            gift_card_brand="SampleCard",
            gift_card_code="SAMPLE-0000",
            payee_handle="$sample",
            iban="FR7630006000011234567890189",
            control_number="1234567890",
        )
        for n, method in enumerate(vocabulary.PAYMENT_METHODS.codes)
    )
    sample = sample_case(
        kind="known_person",
        started_on="2026-03-01",
        narrative="SAMPLE story",
        country="",
        first_contact_platform="",
        moved_to_platform="",
        signer=Signer(),
        accounts=(Account(id="a1", platform="Snapchat", handle="@sample_x", phone="+33 6 00"),),
        threats=(Threat(id="t1", wording="SAMPLE threat", deadline="2026-03-02T20:00"),),
        payments=payments,
        reports=tuple(
            Report(id=f"r{n}", target=target, made_on="2026-03-04")
            for n, target in enumerate(vocabulary.REPORT_TARGETS.codes)
        ),
        places=(Place(id="pl", url="https://example.invalid/p", seen_on="2026-03-05"),),
        originals=(),
        events=(Event(id="e1", at="2026-03-06T09:00", text="SAMPLE event"),),
        links=(Link(id="l1", url="https://example.invalid/l", seen_at="2026-03-07T10:00"),),
        evidence=(),
    )
    case = save_case(unlocked, sample)
    add_file(unlocked, case.id, samples.png(64, 48), "shot.png", "image/png")
    return case.id
