"""A letter page says where the letter goes and what it discloses, to whom (issue 20, parts 1 and 2).

In real Chromium, keyboard only, in English and French, with axe scans: a US adult's TAKE IT DOWN
request to Reddit, where no such form is known (no legal deadline starts), and to X, through its US
form; a French adult's DSA notice to X, whose EU form could not be confirmed, and the report to X in
its app. The helpers and page objects are in tests/support/browser.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, open_link, open_new_case, saved_case
from tests.support.cases import sample_case, save_case

pytestmark = pytest.mark.browser


def record_for_letters(live, title: str, country: str) -> None:
    """What the walkthrough would have recorded: the images on Reddit and X, every detail for letters."""
    from helper.case import Place

    sample = sample_case(
        country=country,
        narrative="SAMPLE: asked for pictures, then for money.",
        places=(
            Place(id="p1", url="https://www.reddit.com/r/sample/comments/abc123/sample/", platform="Reddit"),
            Place(id="p2", url="https://x.com/sample_account/status/42", platform="X"),
        ),
        reports=(),
        evidence=(),
    )
    vault = next(iter(live.services.keyring._entries.values())).vault
    save_case(vault, sample, saved_case(live, title).id, step="places")


def open_plan(page, app) -> None:
    app.go_to_case_page()
    open_link(page, "main a.button[href$='/takedown']")


def disclosure(page):
    return page.locator("#disclosure")


def test_english_letters_say_where_they_go_what_they_disclose_and_start_no_clock_without_a_form(
    browser, live
):
    context, page, app, seen = open_new_case(browser, live, "Channels en")
    record_for_letters(live, "Channels en", "US")
    open_plan(page, app)

    open_link(page, "main a[href*='/take-it-down?platform=reddit']")
    assert_accessible(page, "en-ch-tida-reddit")
    main = page.locator("main")
    expect(page.locator("#no-channel")).to_contain_text(
        "No form for this letter is known for Reddit where you live."
    )
    expect(page.locator("#no-channel")).to_contain_text("TAKE IT DOWN Act form was not found")
    expect(main).not_to_contain_text("reddit.com/report")
    expect(main).not_to_contain_text("Deadline set by law")
    expect(disclosure(page)).to_contain_text("Your details in it: your signature and your e-mail address.")
    expect(disclosure(page)).to_contain_text("the letter gives a one-line summary")
    text = page.locator("#letter-text").input_value()
    assert "sam.sample@example.org" in text
    assert "+1 555 0100" not in text  # no telephone number goes to a platform
    assert "SAMPLE: asked for pictures" not in text

    page.go_back()
    page.wait_for_load_state()
    open_link(page, "main a[href*='/take-it-down?platform=x']")
    assert_accessible(page, "en-ch-tida-x")
    expect(main).to_contain_text("help.x.com/forms/safety-and-sensitive-content/take-it-down")
    expect(main).to_contain_text("X says people in the United States without an X account can use this form.")
    expect(main).to_contain_text("Deadline set by law")
    expect(disclosure(page)).to_contain_text("Who reads it: X (Twitter).")
    assert seen == []
    context.close()


def test_french_letters_say_where_they_go_and_what_they_disclose_in_french(browser, live):
    context, page, app, seen = open_new_case(browser, live, "Canaux fr", "fr-FR")
    record_for_letters(live, "Canaux fr", "FR")
    open_plan(page, app)

    open_link(page, "main a[href*='/dsa-notice?platform=x']")
    assert_accessible(page, "fr-ch-dsa-x")
    main = page.locator("main")
    expect(page.locator("#no-channel")).to_contain_text(
        "Pour ce courrier, aucun formulaire de X (Twitter) n’est connu pour l’endroit où vous vivez."
    )
    expect(page.locator("#no-channel")).to_contain_text(
        "Vu, mais non confirmé : vérifiez-le avant de l’utiliser."
    )
    expect(disclosure(page)).to_contain_text("Ce que le courrier révèle, et à qui")
    expect(disclosure(page)).to_contain_text(
        "Vos coordonnées qui y figurent : votre nom, votre signature et votre adresse e-mail."
    )
    expect(disclosure(page)).to_contain_text(
        "Laissées de côté : votre numéro de téléphone, votre adresse postale, votre date de naissance et "
        "votre lieu de naissance."
    )
    expect(disclosure(page)).to_contain_text("article 17")
    text = page.locator("#letter-text").input_value()
    assert "+1 555 0100" not in text
    assert "1 Sample Street" not in text

    page.go_back()
    page.wait_for_load_state()
    open_link(page, "main a[href*='/platform-report?platform=x']")
    assert_accessible(page, "fr-ch-report-x")
    expect(main).to_contain_text(
        "Signalez-le dans l’application, et collez le texte là où elle demande des précisions"
    )
    expect(main).not_to_contain_text("take-it-down")
    expect(disclosure(page)).to_contain_text("Les comptes qui vous menacent : cités.")
    shown = main.inner_text()
    for english in ("Where it goes", "What it tells them", "Your details in it", "Left out", "In the app"):
        assert english not in shown, english
    assert seen == []
    context.close()
