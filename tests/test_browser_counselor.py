"""A counselor-assisted session: the mode, the guide, consent for media, notes, the summary and the hand-over.

In real Chromium, keyboard only, in English and French, with axe scans; the helpers and page objects
they share are in tests/support/browser.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import samples
from tests.support.browser import (
    assert_accessible,
    open_link,
    open_new_case,
    press_button,
    saved_case,
    tab_to,
    type_into,
)

pytestmark = pytest.mark.browser


COUNSELOR = {
    "en": {
        "mode": "Counselor mode",
        "start": "Start counselor mode",
        "on": "Counselor mode is on",
        "guide": "Guide for the counselor",
        "show": "Show this to the counselor",
        "hidden": "hidden from the counselor",
        "save_note": "Save the note",
        "summary": "Session summary",
        "handover": "Make the hand-over file",
        "end": "End counselor mode",
    },
    "fr": {
        "mode": "Mode accompagnement",
        "start": "Activer le mode accompagnement",
        "on": "Mode accompagnement activé",
        "guide": "Guide pour l’accompagnant·e",
        "show": "Montrer ceci à l’accompagnant·e",
        "hidden": "caché à l’accompagnant·e",
        "save_note": "Enregistrer la note",
        "summary": "Résumé de la séance",
        "handover": "Créer le fichier de transmission",
        "end": "Arrêter le mode accompagnement",
    },
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_counselor_assisted_session_end_to_end(browser, live, tmp_path, lang):
    """Mode on, guide beside a step, consent given for one picture and not for another, a note, the
    summary PDF, a hand-over bundle received into a second vault — keyboard only, axe on each screen."""
    import subprocess

    from helper import handover
    from helper.vault import Vault, crypto
    from tests.support.evidence import add_file

    words = COUNSELOR[lang]
    title = f"Counselor {lang}"
    context, page, app, seen = open_new_case(browser, live, title, {"en": "en-US", "fr": "fr-FR"}[lang])
    vault = next(iter(live.services.keyring._entries.values())).vault
    case = saved_case(live, title)
    shown = add_file(vault, case.id, samples.png(400, 300, seed=5), "profile-SAMPLE.png", "image/png")
    add_file(vault, case.id, samples.png(400, 300, seed=6), "screenshot-SAMPLE.png", "image/png")
    app.go_to_case_page()

    open_link(page, f"header a:text-is('{words['mode']}')")
    assert_accessible(page, f"{lang}-c1-start")
    type_into(page, "#name", "Alex Sample")
    type_into(page, "#organisation", "Sample Helpline")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".counselor-banner")).to_contain_text(words["on"])
    assert_accessible(page, f"{lang}-c2-case")

    page.goto(f"{live.url}/walkthrough/{case.id}/story")
    tab_to(page, "details.counselor-guide summary")
    page.keyboard.press("Enter")
    expect(page.locator("details.counselor-guide")).to_have_attribute("open", "")
    assert_accessible(page, f"{lang}-c3-guide")

    page.goto(f"{live.url}/evidence/{case.id}/{shown.id}")
    expect(page.locator("main")).to_contain_text(words["hidden"])
    assert page.locator("img.full").count() == 0
    press_button(page, words["show"])
    expect(page.locator("img.full")).to_be_visible()
    # Visible comes before loaded: wait for the picture itself (a broken one never gets a width).
    full = page.locator("img.full").element_handle()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=full)
    assert_accessible(page, f"{lang}-c4-consented")
    other = next(it for it in vault.load_case(case.id).evidence if it.id != shown.id)
    page.goto(f"{live.url}/evidence/{case.id}/{other.id}")
    assert page.locator("img.full").count() == 0  # not agreed: stays hidden

    page.goto(f"{live.url}/cases/{case.id}")
    type_into(page, "#note-text", "SAMPLE note: call back on Monday.")
    press_button(page, words["save_note"])
    expect(page.locator("#notes")).to_contain_text("SAMPLE note: call back on Monday.")
    tab_to(page, "#notes a.button", limit=80)
    with page.expect_download() as summary:
        page.keyboard.press("Enter")
    pdf = tmp_path / "summary.pdf"
    summary.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert words["summary"] in text
    assert "Alex Sample" in text

    private, public = handover.keygen("helpline key passphrase")
    page.goto(f"{live.url}/counselor/{case.id}/handover")
    assert_accessible(page, f"{lang}-c5-handover")
    type_into(page, "#recipient", public)
    tab_to(
        page, "main button[value=review]"
    )  # what goes is listed first (tests/test_browser_handover_choice.py)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, f"main button:has-text('{words['handover']}')")
    with page.expect_download() as bundle:
        page.keyboard.press("Enter")
    path = tmp_path / "bundle.age"
    bundle.value.save_as(path)
    second, _ = Vault.create(tmp_path / "second", "second vault passphrase")
    received = handover.receive_bundle(
        second, path, crypto.unwrap_identity(private, "helpline key passphrase")
    )
    assert sorted(it.sha256 for it in received.case.evidence) == sorted(
        it.sha256 for it in vault.load_case(case.id).evidence
    )

    page.goto(f"{live.url}/cases/{case.id}")
    tab_to(page, ".counselor-banner button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".counselor-banner")).to_have_count(0)
    actions = [e.action for e in vault.journal(case.id)]
    assert {
        "counselor.started",
        "consent.granted",
        "note.added",
        "summary.exported",
        "handover.exported",
        "counselor.ended",
    } <= set(actions)
    assert seen == []
    context.close()
