"""The guided walkthrough, step by step: answers, lists, the under-18 path, drafts and a full disk.

In real Chromium, keyboard only, in English and French, with axe scans; the helpers and page objects
they share are in tests/support/browser.py."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support import samples
from tests.support.browser import (
    assert_accessible,
    choose_radio,
    open_new_case,
    press_button,
    saved_case,
    tab_to,
    type_into,
)

pytestmark = pytest.mark.browser


WALK = {
    "en": {
        "safe": "I am safe for now",
        "read": "I have read this",
        "save": "Save and continue",
        "no": "#minor-1",
        "yes": "#minor-0",
        "done": "Step by step",
    },
    "fr": {
        "safe": "Je suis en sécurité",
        "read": "J’ai lu",
        "save": "Enregistrer et continuer",
        "no": "#minor-1",
        "yes": "#minor-0",
        "done": "Pas à pas",
    },
}


DONE = {"en": "Done with this step", "fr": "Étape terminée"}


FINISH = {"en": "Finish for now", "fr": "Terminer pour l’instant"}


def save_entry_then_continue(page, lang, fields):
    for selector, text in fields:
        type_into(page, selector, text)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a field saves the entry
    expect(page.locator("ul.entries li")).to_have_count(1)
    with page.expect_navigation():
        press_button(page, DONE[lang])


@pytest.mark.parametrize(("lang", "kind"), [("en", 0), ("fr", 3)])
def test_full_walkthrough_by_keyboard(browser, live, lang, kind):
    """Financial sextortion in English, AI-altered images in French: every step, keyboard only,
    axe on each screen, help one link away on each."""
    words = WALK[lang]
    context, page, app, seen = open_new_case(
        browser, live, f"Walkthrough {lang}", {"en": "en-US", "fr": "fr-FR"}[lang]
    )

    def check(label):
        expect(page.locator("a.help-now")).to_be_visible()
        assert_accessible(page, f"{lang}-w-{label}")

    check("1-safety")
    with page.expect_navigation():
        press_button(page, words["safe"])
    check("2-right-now")
    with page.expect_navigation():
        press_button(page, words["read"])
    check("3-age")
    choose_radio(page, "minor", 1)
    with page.expect_navigation():
        press_button(page, words["save"])
    check("4-kind")
    choose_radio(page, "kind", kind)
    with page.expect_navigation():
        press_button(page, words["save"])
    check("5-story")
    type_into(page, "#narrative", "SAMPLE: they wrote to me on a game, then asked for money.")
    type_into(page, "#first_contact_platform", "SAMPLE game")
    with page.expect_navigation():
        press_button(page, words["save"])
    check("6-accounts")
    save_entry_then_continue(page, lang, [("#platform", "SAMPLE app"), ("#handle", "@sample_account")])
    check("7-threats")
    save_entry_then_continue(page, lang, [("#targets", "SAMPLE: my family")])
    check("8-payments")
    save_entry_then_continue(page, lang, [("#amount", "150"), ("#currency", "USD")])
    check("9-places")
    save_entry_then_continue(page, lang, [("#platform", "SAMPLE site")])
    if lang == "fr":  # AI-altered images: which ordinary photos were used
        check("9b-originals")
        save_entry_then_continue(page, lang, [("#description", "SAMPLE photo de profil")])
    check("9c-takedown")  # where the person lives decides the laws and police; then on
    tab_to(page, "#country")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        press_button(page, {"en": "Save", "fr": "Enregistrer"}[lang])
    expect(page.locator("main")).to_contain_text({"en": "StopNCII", "fr": "StopNCII"}[lang])
    with page.expect_navigation():
        press_button(page, {"en": "Continue", "fr": "Continuer"}[lang])
    check("10-reports")
    save_entry_then_continue(page, lang, [("#name", "SAMPLE platform"), ("#reference", "REF-0001")])
    check("10b-evidence")
    page.locator("#files").set_input_files(
        [{"name": "profile-SAMPLE.png", "mimeType": "image/png", "buffer": samples.png(640, 480)}]
    )
    tab_to(page, "form.upload button[type=submit]")
    with page.expect_navigation(url=re.compile(r"/walkthrough/[0-9a-f]{32}/evidence$")):
        page.keyboard.press("Enter")
    expect(page.locator("ul.entries li")).to_contain_text("profile-SAMPLE.png")
    with page.expect_navigation():
        press_button(page, DONE[lang])
    check("11-timeline")
    with page.expect_navigation():
        press_button(page, DONE[lang])
    check("12-review")
    expect(page.locator("main")).to_contain_text("@sample_account")
    with page.expect_navigation():
        press_button(page, FINISH[lang])
    assert re.search(r"/cases/[0-9a-f]{32}", page.url)

    case = saved_case(live, f"Walkthrough {lang}")
    assert case.incident.kind == {"en": "financial", "fr": "ai_altered"}[lang]
    assert case.incident.minor == "no"
    assert [a.handle for a in case.accounts] == ["@sample_account"]
    assert [p.amount for p in case.payments] == ["150"]
    assert len(case.originals) == (1 if lang == "fr" else 0)
    assert case.incident.country
    assert case.reports[0].reference == "REF-0001"
    assert [it.original_name for it in case.evidence] == ["profile-SAMPLE.png"]
    assert "review" in case.steps_done
    assert seen == []
    context.close()


def test_minor_path_page_is_accessible(browser, live):
    context, page, app, seen = open_new_case(browser, live, "Mineur", "fr-FR")
    page.goto(page.url.replace("/safety", "/age"))
    choose_radio(page, "minor", 0)
    with page.expect_navigation():
        press_button(page, WALK["fr"]["save"])
    assert page.url.endswith("/minor")
    expect(page.locator("main")).to_contain_text("Take It Down")
    assert_accessible(page, "fr-w-minor")
    assert seen == []
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_list_steps_by_keyboard(browser, live, lang):
    """Add an account and a payment with a mistyped IBAN; the warning is kind; axe on each list step."""
    context, page, app, seen = open_new_case(
        browser, live, f"Lists {lang}", {"en": "en-US", "fr": "fr-FR"}[lang]
    )
    base = page.url.rsplit("/", 1)[0]
    page.goto(f"{base}/accounts")
    tab_to(page, "#platform")
    page.keyboard.type("SAMPLE app")
    tab_to(page, "#handle")
    page.keyboard.type("@sample_account")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("ul.entries")).to_contain_text("@sample_account")
    assert_accessible(page, f"{lang}-l1-accounts")
    page.goto(f"{base}/payments")
    choose_radio(page, "paid", 1)
    tab_to(page, "#amount")
    page.keyboard.type("150")
    tab_to(page, "#iban")
    page.keyboard.type("GB82 WEST 1234 5698 7654 33")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("ul.entries .flash-warning")).to_have_count(1)
    assert_accessible(page, f"{lang}-l2-payments")
    for step in ("threats", "places", "reports", "timeline", "review"):
        page.goto(f"{base}/{step}")
        assert_accessible(page, f"{lang}-l3-{step}")
    assert seen == []
    context.close()


def test_minor_path_refuses_an_image_upload(browser, live, tmp_path):
    context, page, app, seen = open_new_case(browser, live, "Under 18", "en-US")
    page.goto(page.url.replace("/safety", "/age"))
    choose_radio(page, "minor", 0)
    with page.expect_navigation():
        press_button(page, "Save and continue")
    app.go_to_case_page()
    expect(page.locator("#minor-upload-note")).to_be_visible()
    photo = tmp_path / "photo-SAMPLE.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\nSAMPLE")
    app.upload(photo)
    expect(page.locator(".flash-warning").first).to_contain_text("cannot keep intimate images")
    assert_accessible(page, "en-m-refused")
    case = saved_case(live, "Under 18")
    assert case.evidence == ()
    assert seen == []
    context.close()


def test_story_draft_survives_closing_the_window(browser, live):
    context, page, app, seen = open_new_case(browser, live, "Draft", "en-US")
    story_url = page.url.replace("/safety", "/story")
    page.goto(story_url)
    type_into(page, "#narrative", "SAMPLE words typed before the window closed")
    expect(page.locator(".autosave-status")).to_have_text("Draft saved on this computer.", timeout=15_000)
    page.close()
    page = context.new_page()
    page.goto(story_url)
    expect(page.locator("#narrative")).to_have_value("SAMPLE words typed before the window closed")
    assert seen == []
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_full_disk_is_said_plainly_and_what_was_typed_is_kept(browser, live, monkeypatch, lang):
    """The disk fills while the person writes their story: the draft line says so, the text stays in the
    box, and "continue" shows a calm page that gives the text back (the live server runs in this
    process, so the full disk is injected where every vault file is opened)."""
    from tests.support.disk import fill_disk

    context, page, app, seen = open_new_case(
        browser, live, f"Full {lang}", {"en": "en-US", "fr": "fr-FR"}[lang]
    )
    story_url = page.url.replace("/safety", "/story")
    page.goto(story_url)
    fill_disk(monkeypatch)
    typed = "SAMPLE: he wrote first on the 3rd"
    type_into(page, "#narrative", typed)
    full = {"en": "The disk is full", "fr": "Le disque est plein"}[lang]
    expect(page.locator(".autosave-status")).to_contain_text(full, timeout=15_000)
    expect(page.locator("#narrative")).to_have_value(typed)
    tab_to(page, "main form button.primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(full)
    expect(page.locator("main textarea[readonly]")).to_have_value(typed)
    assert_accessible(page, f"{lang}-disk-full")
    monkeypatch.undo()
    assert saved_case(live, f"Full {lang}").incident.narrative == ""
    assert seen == []
    context.close()


def test_continue_keeps_an_entry_typed_but_not_saved(browser, live):
    context, page, app, seen = open_new_case(browser, live, "Hurried", "en-US")
    base = page.url.rsplit("/", 1)[0]
    page.goto(f"{base}/accounts")
    tab_to(page, "#handle")
    page.keyboard.type("@typed_not_saved")
    tab_to(page, "button.primary[formaction]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/threats")
    assert saved_case(live, "Hurried").accounts[0].handle == "@typed_not_saved"
    context.close()
