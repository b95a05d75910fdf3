"""Getting it taken down: the plan, the details for letters, each letter, and the tracker's deadlines.

In real Chromium, keyboard only, in English and French, with axe scans; the helpers and page objects
they share are in tests/support/browser.py."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    assert_accessible,
    choose_radio,
    open_link,
    open_new_case,
    press_button,
    saved_case,
    tab_to,
    type_into,
)
from tests.support.cases import sample_case, save_case

pytestmark = pytest.mark.browser


def prepare_for_letters(live, title: str, country: str, with_money: bool = False):
    """What the walkthrough would have recorded: where the images are, and (French case) the ledger."""
    from helper.case import Account, Payment, Place, Signer

    payments = (
        Payment(
            id="m1",
            paid=True,
            amount="200",
            currency="EUR",
            method="bank_transfer",
            at="2026-11-02T10:00",
            iban="FR7630006000011234567890189",
        ),
        Payment(
            id="m2",
            paid=True,
            amount="0.01",
            currency="BTC",
            method="crypto",
            at="2026-11-03T10:00",
            wallet_address="bc1qsamplebrowser000000000000000000000",
            tx_hash="cd" * 32,
        ),
    )
    sample = sample_case(
        country=country,
        narrative="SAMPLE: asked for pictures, then for money.",
        first_contact_platform="",
        moved_to_platform="",
        signer=Signer(),  # the test types the details for letters itself
        places=(
            Place(id="p1", url="https://x.com/sample_account/status/42", platform="X"),
            Place(id="p2", url="https://www.instagram.com/p/SAMPLE42/", platform="Instagram"),
        ),
        accounts=(Account(id="a1", platform="Instagram", handle="@sample_account"),),
        threats=(),
        payments=payments if with_money else (),
        originals=(),
        reports=(),
        evidence=(),
    )
    vault = next(iter(live.services.keyring._entries.values())).vault
    case = save_case(vault, sample, saved_case(live, title).id, step="places")
    return vault, case.id


def fill_details_by_keyboard(page, lang):
    open_link(page, "main a[href*='/details']")
    assert_accessible(page, f"{lang}-l-details")
    choose_radio(page, "acting_for", 0)
    for selector, text in (
        ("#name", "Sam Example"),
        ("#email", "sam.sample@example.org"),
        ("#address", "1 rue de l’Exemple, Sampleville"),
        ("#harm", "SAMPLE: I could not sleep."),
    ):
        type_into(page, selector, text)
    for box in ("#intimate_declared", "#good_faith", "#accurate"):
        tab_to(page, box)
        page.keyboard.press("Space")
    type_into(page, "#signature", "Sam Example")
    press_button(page, {"en": "Save", "fr": "Enregistrer"}[lang])


def test_english_case_takes_it_down_and_sees_it_overdue_after_48_hours(browser, live):
    from datetime import datetime, timedelta

    context, page, app, seen = open_new_case(browser, live, "Letters en")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    vault, case_id = prepare_for_letters(live, "Letters en", "EU")
    app.go_to_case_page()
    open_link(page, "main a.button[href$='/takedown']")
    assert_accessible(page, "en-l-plan")
    expect(page.locator("main")).to_contain_text("StopNCII")
    fill_details_by_keyboard(page, "en")
    open_link(page, "main a[href*='/take-it-down?platform=x']")
    assert_accessible(page, "en-l-tida")
    text = page.locator("#letter-text").input_value()
    assert "https://x.com/sample_account/status/42" in text
    assert "/s/ Sam Example" in text
    # Outside the US, the request goes through X’s in-app TAKE IT DOWN report (its web form is for
    # people in the US without an account), and the page says so.
    expect(page.locator("main")).to_contain_text("X does not say this route is only for the United States")
    tab_to(page, "button[data-copy]")
    page.keyboard.press("Enter")
    expect(page.locator(".copy-status")).to_have_text("Copied. Now paste it where it goes.")
    assert page.evaluate("navigator.clipboard.readText()") == text
    press_button(page, "Record it as sent")
    page.wait_for_url(re.compile(r"/letters/[0-9a-f]{32}/reports/[0-9a-f]+$"))
    assert_accessible(page, "en-l-report")
    expect(page.locator("main")).to_contain_text("Due by")

    page.go_back()
    page.go_back()
    page.wait_for_load_state()
    open_link(page, "main a[href*='/dsa-notice?platform=x']")
    assert_accessible(page, "en-l-dsa")
    assert "Article 16" in page.locator("#letter-text").input_value()
    tab_to(page, "button[data-copy]")
    page.keyboard.press("Enter")
    assert "sam.sample@example.org" in page.evaluate("navigator.clipboard.readText()")

    (report,) = vault.load_case(case_id).reports
    sent = datetime.fromisoformat(report.sent_at)
    live.services.clock = lambda: sent + timedelta(hours=49)
    page.goto(f"{live.url}/cases/{case_id}")
    overdue = page.locator("li.overdue")
    expect(overdue).to_contain_text("No answer in time")
    expect(overdue.locator("a.button")).to_contain_text("Complaint to the FTC")
    assert_accessible(page, "en-l-overdue")
    open_link(page, "li.overdue a.button")
    assert (
        "TakeItDown.ftc.gov" in page.locator("main").inner_text() or "FTC" in page.locator("h1").inner_text()
    )
    assert seen == []
    context.close()


def test_french_case_writes_the_procureur_letter_thesee_and_the_bank_report(browser, live):
    context, page, app, seen = open_new_case(browser, live, "Courriers fr", "fr-FR")
    prepare_for_letters(live, "Courriers fr", "FR", with_money=True)
    app.go_to_case_page()
    open_link(page, "main a.button[href$='/takedown']")
    assert_accessible(page, "fr-l-plan")
    expect(page.locator("main")).to_contain_text("Bloquer les images partout à la fois")
    fill_details_by_keyboard(page, "fr")
    open_link(page, "main a[href$='/police-fr-procureur']")
    assert_accessible(page, "fr-l-procureur")
    letter = page.locator("#letter-text").input_value()
    assert "Procureur de la République" in letter
    assert "plainte contre X" in letter
    assert "1er novembre 2026" in letter
    assert "Sam Example" in letter
    page.go_back()
    open_link(page, "main a[href$='/police-fr-thesee']")
    assert_accessible(page, "fr-l-thesee")
    assert "chantage" in page.locator("#letter-text").input_value()
    page.go_back()
    # One letter per payee (issue 20, part 4): the transfer's, then the crypto wallet's.
    open_link(page, "main a[href*='/payment-report?payment=m1']")
    assert_accessible(page, "fr-l-payment")
    letter = page.locator("#letter-text").input_value()
    assert "FR7630006000011234567890189" in letter
    assert "recall SEPA" in letter
    assert "bc1qsamplebrowser000000000000000000000" not in letter
    page.go_back()
    open_link(page, "main a[href*='/payment-report?payment=m2']")
    letter = page.locator("#letter-text").input_value()
    assert "bc1qsamplebrowser000000000000000000000" in letter
    assert "cd" * 32 in letter
    main = page.locator("main").inner_text()
    for english in ("Copy the text", "Record it as sent", "Where it goes", "payment-report"):
        assert english not in main
    assert seen == []
    context.close()
