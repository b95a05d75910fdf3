"""Cases for the letters: one with everything every kind of letter needs, built in memory (no vault).

Synthetic and decent: invented people, accounts and addresses.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from helper.case import (
    Account,
    Case,
    EvidenceItem,
    Original,
    Payment,
    Place,
    Report,
    Signer,
    Threat,
)
from helper.content import load_content
from helper.letters.engine import LetterWriter
from helper.resources import data_dir

CONTENT_ROOT = data_dir("content")
TODAY = date(2026, 11, 28)
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

# Every platform a test may name, with an exact address of the content on it.
PLACES = {
    "instagram": "https://www.instagram.com/p/SAMPLE123/",
    "x": "https://x.com/sample_account/status/1234567890",
    "discord": "https://discord.com/channels/111/222/333",
    "reddit": "https://www.reddit.com/r/sample/comments/abc123/sample/",
    "generic": "https://sample-host.example/gallery/42",
}


def writer() -> LetterWriter:
    return LetterWriter.from_content_root(load_content(CONTENT_ROOT), CONTENT_ROOT)


def full_case(country: str = "US", minor: str = "no", kind: str = "financial") -> Case:
    """A case in which every element of every kind of letter is present."""
    case = Case(id="c1", title="Sample case", created_at="2026-11-01T09:00:00+00:00", signer=SIGNER)
    case = case.with_incident(
        kind=kind,
        minor=minor,
        country=country,
        narrative="Someone met online (SAMPLE) asked for pictures, then for money, threatening to post them.",
        started_on="2026-11-01",
        first_contact_platform="Instagram",
        moved_to_platform="Snapchat",
    )
    case = case.with_entry(
        "accounts",
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
    case = case.with_entry(
        "threats",
        Threat(
            id="t1",
            wording="Pay or I send them to everyone (SAMPLE)",
            received_at="2026-11-02T21:15:00+01:00",
            deadline="2026-11-03T21:00:00+01:00",
            targets="family and school",
        ),
    )
    case = case.with_entry(
        "payments",
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
    )
    case = case.with_entry(
        "payments",
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
    )
    case = case.with_entry(
        "payments",
        Payment(
            id="p3",
            paid=False,
            amount="500",
            currency="EUR",
            method="bank_transfer",
            iban="FR7630006000011234567890189",
        ),
    )
    for n, (platform, url) in enumerate(PLACES.items()):
        case = case.with_entry("places", Place(id=f"pl{n}", url=url, platform=platform, seen_on="2026-11-05"))
    case = case.with_entry(
        "originals",
        Original(
            id="o1", description="A holiday photo (SAMPLE)", where_posted="Instagram", url=PLACES["instagram"]
        ),
    )
    item = EvidenceItem(
        id="e1",
        blob="b1",
        sha256="0" * 63 + "1",
        size=10,
        original_name="shot-SAMPLE.png",
        media_type="image/png",
        added_at="2026-11-05T10:00:00+00:00",
    )
    case = replace(case, evidence=(item,))
    # The requests the escalations follow up.
    for n, earlier in enumerate(("take-it-down", "dsa-notice", "gdpr-erasure")):
        case = case.with_entry(
            "reports",
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
            ),
        )
    return case


def empty_case(country: str = "") -> Case:
    return Case(id="c0", title="Empty", created_at="2026-11-01T09:00:00+00:00").with_incident(country=country)


# The country a complete case needs for each kind to apply.
COUNTRY_OF = {
    "uk-intimate-image-report": "GB",
    "dsa-notice": "FR",
    "gdpr-erasure": "FR",
    "police-us-ic3": "US",
    "police-fr-procureur": "FR",
    "police-fr-thesee": "FR",
    "police-uk": "GB",
    "police-ca": "CA",
    "esafety": "AU",
    "escalation-arcom": "FR",
    "escalation-cnil": "FR",
    "escalation-ico": "GB",
}

# The platform each kind is written for in tests.
PLATFORM_OF = {"search-delisting": "google-search"}
