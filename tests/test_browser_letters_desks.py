"""Letters fit for their desks, followed in real Chromium (issue 20, "Done when"): a French adult's case
and a US minor's case, from the plan to a letter and "recorded as sent", each page showing where the
letter goes, what it discloses and the country it is written for. Keyboard only, EN and FR, axe scans
with no serious or critical violation; the helpers and page objects are in tests/support/browser.py."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    assert_accessible,
    open_link,
    open_new_case,
    press_button,
    saved_case,
    tab_to,
    type_into,
)
from tests.support.cases import SIGNER, sample_case, save_case
from tests.support.evidence import add_file

pytestmark = pytest.mark.browser


def record(live, title: str, sample):
    """What the walkthrough would have recorded, saved in the case the browser started."""
    vault = next(iter(live.services.keyring._entries.values())).vault
    case = save_case(vault, sample, saved_case(live, title).id, step="places")
    return vault, case.id


def type_date(page, selector: str, year: int, month: int, day: int) -> None:
    """Type a date into a date box by keyboard, in the order the box reads it: Chromium's box follows
    the browser's own language (month first in English), not the page's."""
    tab_to(page, selector)
    page.keyboard.type(f"{day:02d}{month:02d}{year}")
    iso = f"{year}-{month:02d}-{day:02d}"
    if page.locator(selector).input_value() != iso:  # the box reads month first: go back and retype
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(f"{month:02d}{day:02d}{year}")
    expect(page.locator(selector)).to_have_value(iso)


def open_plan(page, app) -> None:
    app.go_to_case_page()
    open_link(page, "main a.button[href$='/takedown']")


def back_to_plan(page) -> None:
    """From a letter or a report: its "Back to “Get it taken down”" link."""
    open_link(page, "main a[href$='/takedown']")


def test_a_french_adult_adds_the_complaint_details_and_records_the_bank_letter_for_one_payee(browser, live):
    from helper.case import Complaint, Payment, Place

    title = "Bureaux fr"
    context, page, app, seen = open_new_case(browser, live, title, "fr-FR")
    transfer = Payment(
        id="m1",
        paid=True,
        amount="150.00",
        currency="EUR",
        method="bank_transfer",
        at="2026-11-02T10:00",
        iban="FR7630006000011234567890189",
        own_account="4242",
        reference="VIR-SAMPLE-0042",
    )
    card = Payment(
        id="m2", paid=True, amount="50", currency="EUR", method="gift_card", gift_card_brand="SampleCard",
        gift_card_code="SAMPLE-0000-2222",
    )  # fmt: skip
    sample = sample_case(
        country="FR",
        places=(Place(id="p1", url="https://x.com/sample_account/status/42", platform="X"),),
        payments=(transfer, card),
        reports=(),
        evidence=(),
        complaint=Complaint(),
    )
    vault, case_id = record(live, title, sample)
    add_file(vault, case_id, b"SAMPLE chat line\n", "chat-SAMPLE.txt", "text/plain")

    open_plan(page, app)
    assert_accessible(page, "fr-d-plan")
    main = page.locator("main")
    expect(page.locator(".fact-country").first).to_have_text("France")
    expect(main).to_contain_text(
        "Signalement à votre banque ou service de paiement — FR7630006000011234567890189"
    )
    expect(main).to_contain_text("Signalement à votre banque ou service de paiement — SampleCard")

    # The procureur letter asks for the court and the état civil, and says where to add them.
    open_link(page, "main a[href$='/police-fr-procureur']")
    assert_accessible(page, "fr-d-procureur-missing")
    expect(page.locator("#missing")).to_contain_text("La ville du tribunal judiciaire")
    expect(page.locator("#missing")).to_contain_text("Vos date et lieu de naissance")
    open_link(page, "#missing a[href*='/complaint?next=']")
    assert_accessible(page, "fr-d-complaint")
    type_date(page, "#birth_date", 1994, 3, 2)
    type_into(page, "#birth_place", "Sampleville")
    type_into(page, "#court_city", "Lyon")
    type_into(page, "#witnesses-0-name", "Alex Sample")
    type_into(page, "#witnesses-0-address", "2 Sample Road, Sampletown")
    press_button(page, "Enregistrer")
    page.wait_for_url(re.compile(r"/letters/[0-9a-f]{32}/police-fr-procureur$"))
    assert_accessible(page, "fr-d-procureur")
    letter = page.locator("#letter-text").input_value()
    assert "Madame, Monsieur le Procureur de la République,\n" in letter
    assert "Tribunal judiciaire de Lyon" in letter
    assert "né(e) le 2 mars 1994 à Sampleville" in letter
    assert "- Alex Sample, 2 Sample Road, Sampletown" in letter
    assert "- Pièce E1 : chat-SAMPLE.txt" in letter
    assert "/s/" not in letter
    disclosure = page.locator("#disclosure")
    expect(disclosure).to_contain_text("votre date de naissance et votre lieu de naissance.")
    expect(disclosure).to_contain_text("Votre récit des faits : repris en entier.")
    expect(page.locator("#where-heading")).to_have_text("Destinataire")
    expect(main).to_contain_text("Le procureur de la République, tribunal judiciaire")

    # The bank letter: one payee, the person's own card, the bank's reference, a SEPA recall by name.
    back_to_plan(page)
    open_link(page, "main a[href*='/payment-report?payment=m1']")
    assert_accessible(page, "fr-d-bank")
    letter = page.locator("#letter-text").input_value()
    assert "demande de rappel de fonds (recall SEPA)" in letter
    assert "Compte ou carte débité, se terminant par : 4242" in letter
    assert "Référence de l’opération : VIR-SAMPLE-0042" in letter
    assert "150,00\u00a0€" in letter
    assert "SAMPLE-0000-2222" not in letter  # the other payee gets its own letter
    assert "Someone met online" not in letter  # no account of the facts goes to a bank
    expect(page.locator("#disclosure")).to_contain_text("Les comptes qui vous menacent : non cités.")
    expect(main).to_contain_text("Chaque bénéficiaire reçoit son propre courrier.")
    press_button(page, "L’enregistrer comme envoyé")
    page.wait_for_url(re.compile(r"/letters/[0-9a-f]{32}/reports/[0-9a-f]+$"))
    assert_accessible(page, "fr-d-bank-sent")
    expect(page.locator("body")).to_contain_text("Enregistré comme envoyé.")
    (report,) = vault.load_case(case_id).reports
    assert report.payment == "m1"

    back_to_plan(page)
    bank = page.locator("main li", has=page.locator("a[href*='payment=m1']"))
    expect(bank.locator(".tag")).to_have_text("envoyé")
    other = page.locator("main li", has=page.locator("a[href*='payment=m2']"))
    expect(other.locator(".tag")).not_to_have_text("envoyé")
    shown = main.inner_text()
    for english in ("Where it goes", "Record it as sent", "Details for a complaint", " and "):
        assert english not in shown, english
    assert seen == []
    context.close()


def test_a_us_minors_parent_sends_the_take_it_down_request_through_xs_form(browser, live):
    from helper.case import Place

    title = "Desks en"
    context, page, app, seen = open_new_case(browser, live, title)
    parent = replace(SIGNER, acting_for="parent", person_name="Alex Sample", own_photo=False)
    sample = sample_case(
        country="US",
        minor="yes",
        signer=parent,
        places=(
            Place(id="p1", url="https://x.com/sample_account/status/42", platform="X"),
            Place(id="p2", url="https://www.reddit.com/r/sample/comments/abc123/sample/", platform="Reddit"),
        ),
        payments=(),
        reports=(),
        evidence=(),
    )
    vault, case_id = record(live, title, sample)

    open_plan(page, app)
    assert_accessible(page, "en-d-plan")
    main = page.locator("main")
    expect(page.locator(".fact-country").first).to_have_text("United States")
    expect(main).to_contain_text("Take It Down")
    expect(main).not_to_contain_text("Report to your bank")  # nothing was paid
    open_link(page, "main a[href*='/take-it-down?platform=x']")
    assert_accessible(page, "en-d-tida")
    expect(main).to_contain_text("help.x.com/forms/safety-and-sensitive-content/take-it-down")
    expect(main).to_contain_text("Deadline set by law")
    disclosure = page.locator("#disclosure")
    expect(disclosure).to_contain_text("Who reads it: X (Twitter).")
    expect(disclosure).to_contain_text("Your details in it: your signature and your e-mail address.")
    letter = page.locator("#letter-text").input_value()
    assert "https://x.com/sample_account/status/42" in letter
    assert "reddit.com" not in letter  # another site's address never goes to X
    assert "Known identical copies: this address is every copy on your service known to me." in letter
    assert "+1 555 0100" not in letter
    press_button(page, "Record it as sent")
    page.wait_for_url(re.compile(r"/letters/[0-9a-f]{32}/reports/[0-9a-f]+$"))
    assert_accessible(page, "en-d-tida-sent")
    expect(page.locator("body")).to_contain_text("Recorded as sent.")
    expect(main).to_contain_text("Due by")
    (report,) = vault.load_case(case_id).reports
    assert (report.kind, report.platform, report.status) == ("take-it-down", "x", "sent")

    # Now, and only now, the FTC complaint can follow it; its status says no answer, not "Sent".
    page.goto(f"{live.url}/letters/{case_id}/escalation-ftc?platform=x")
    assert_accessible(page, "en-d-ftc")
    letter = page.locator("#letter-text").input_value()
    assert re.search(r"Status: no answer as of \w+ \d+, 2026", letter)
    assert "Status: Sent" not in letter
    assert seen == []
    context.close()
