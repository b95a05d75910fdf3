"""Cases built for tests, with synthetic, decent data."""

from __future__ import annotations

from helper import vocabulary
from helper.case import Account, Event, Link, Payment, Place, Report, Threat
from tests.support import samples
from tests.support.evidence import add_file


def case_with_everything(unlocked) -> str:
    """A case with every payment method, every report target and every detail a letter needs."""
    case = unlocked.create_case("Sample case")

    def change(c):
        c = c.with_incident(
            kind="known_person", minor="no", started_on="2026-03-01", narrative="SAMPLE story"
        )
        c = c.with_entry(
            "accounts", Account(id="a1", platform="Snapchat", handle="@sample_x", phone="+33 6 00")
        )
        c = c.with_entry("threats", Threat(id="t1", wording="SAMPLE threat", deadline="2026-03-02T20:00"))
        for n, method in enumerate(vocabulary.PAYMENT_METHODS.codes):
            c = c.with_entry(
                "payments",
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
                ),
            )
        for n, target in enumerate(vocabulary.REPORT_TARGETS.codes):
            c = c.with_entry("reports", Report(id=f"r{n}", target=target, made_on="2026-03-04"))
        c = c.with_entry("places", Place(id="pl", url="https://example.invalid/p", seen_on="2026-03-05"))
        c = c.with_entry("events", Event(id="e1", at="2026-03-06T09:00", text="SAMPLE event"))
        return c.with_entry(
            "links", Link(id="l1", url="https://example.invalid/l", seen_at="2026-03-07T10:00")
        )

    unlocked.update_case(case.id, change, "walkthrough.saved", {"step": "review"})
    add_file(unlocked, case.id, samples.png(64, 48), "shot.png", "image/png")
    return case.id
