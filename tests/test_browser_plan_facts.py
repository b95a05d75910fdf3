"""The facts behind the plan, in real Chromium, keyboard only, in English and French, with axe scans:
the country in words on "Get it taken down" and on the review, changed from each; and a StopNCII case
number and PIN kept in the vault, the PIN shown on demand and hidden again."""

from __future__ import annotations

import re

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
from tests.support.cases import sample_case, save_case

pytestmark = pytest.mark.browser

NUMBER = "SNCII-SAMPLE-2026-0042"
PIN = "PIN-SAMPLE-7391"

WORDS = {
    "en": {
        "locale": "en-US",
        "first": "France",
        "second": ("United Kingdom", "GB"),
        "third": ("Canada", "CA"),
        "where": "Where you live",
        "save": "Save",
        "keep": "Keep them",
        "show": "Show the PIN",
        "hide": "Hide the PIN",
        "applies": "When it applies:",
    },
    "fr": {
        "locale": "fr-FR",
        "first": "France",
        "second": ("Royaume-Uni", "GB"),
        "third": ("Canada", "CA"),
        "where": "Où vous vivez",
        "save": "Enregistrer",
        "keep": "Les conserver",
        "show": "Afficher le code PIN",
        "hide": "Masquer le code PIN",
        "applies": "Quand l’utiliser :",
    },
}


def prepare(live, title: str) -> str:
    """What the walkthrough would have recorded: an adult living in France, where the images are."""
    vault = next(iter(live.services.keyring._entries.values())).vault
    return save_case(vault, sample_case(country="FR", minor="no"), saved_case(live, title).id).id


def choose_country(page, name: str, code: str) -> None:
    """On the country page: the select, reached with Tab, takes the country's name typed."""
    tab_to(page, "#country")
    page.keyboard.type(name)
    expect(page.locator("#country")).to_have_value(code)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_country_is_seen_and_changed_and_stopncii_numbers_are_kept(browser, live, lang):
    words = WORDS[lang]
    title = f"Plan facts {lang}"
    context, page, app, seen = open_new_case(browser, live, title, words["locale"])
    case_id = prepare(live, title)
    app.go_to_case_page()
    open_link(page, "main a.button[href$='/takedown']")

    facts = page.locator("#plan-facts")
    expect(facts).to_contain_text(words["where"])
    expect(facts).to_contain_text(words["first"])
    assert_accessible(page, f"{lang}-pf-plan")
    if lang == "fr":
        assert not re.search(r"\b(and|Where you live|Change)\b", facts.inner_text())

    # Change it from the plan: the country's page opens with the current choice selected.
    open_link(page, "#plan-facts a[href*='/country']")
    expect(page.locator("#country")).to_have_value("FR")
    assert_accessible(page, f"{lang}-pf-country")
    name, code = words["second"]
    choose_country(page, name, code)
    press_button(page, words["save"])
    page.wait_for_url(re.compile(rf"/letters/{case_id}/takedown$"))
    expect(page.locator("#plan-facts")).to_contain_text(name)

    # The review shows it too, and changes it.
    page.goto(f"{live.url}/walkthrough/{case_id}/review")
    expect(page.locator("main")).to_contain_text(name)
    assert_accessible(page, f"{lang}-pf-review")
    open_link(page, "main a[href*='/country?back=review']")
    name, code = words["third"]
    choose_country(page, name, code)
    press_button(page, words["save"])
    page.wait_for_url(re.compile(rf"/walkthrough/{case_id}/review$"))
    expect(page.locator("main")).to_contain_text(name)

    # StopNCII: when it applies, then its case number and PIN kept; the PIN shown only on demand.
    page.goto(f"{live.url}/letters/{case_id}/takedown")
    expect(page.locator("main")).to_contain_text(words["applies"])
    open_link(page, "main a[href$='/numbers/stopncii']")
    assert_accessible(page, f"{lang}-pf-numbers")
    type_into(page, "#case_number", NUMBER)
    type_into(page, "#pin", PIN)
    press_button(page, words["keep"])
    page.wait_for_url(re.compile(rf"/letters/{case_id}/numbers/stopncii$"))
    main = page.locator("main")
    expect(main).to_contain_text(NUMBER)
    assert PIN not in page.content()
    assert PIN not in page.url

    press_button(page, words["show"])
    expect(page.locator("#pin-shown")).to_have_text(PIN)
    assert PIN not in page.url
    assert PIN not in page.title()
    assert_accessible(page, f"{lang}-pf-pin-shown")
    tab_to(page, f"main a:has-text('{words['hide']}')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text(NUMBER)
    assert PIN not in page.content()

    kept = next(iter(live.services.keyring._entries.values())).vault.load_case(case_id).hash_case("stopncii")
    assert (kept.case_number, kept.pin) == (NUMBER, PIN)
    assert seen == []
    context.close()
