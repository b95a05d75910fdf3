"""Evidence: uploads with and without scripts, describing and removing items, links, chat messages,
find copies.

In real Chromium, keyboard only, in English and French, with axe scans; the helpers and page objects
they share are in tests/support/browser.py."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support import samples
from tests.support.browser import (
    TEXT,
    App,
    assert_accessible,
    open_new_case,
    sample_files,
    saved_case,
    tab_to,
    type_into,
)

pytestmark = pytest.mark.browser


def test_upload_without_javascript_uses_the_plain_form(browser, live, tmp_path):
    """The multipart path, as a browser with scripts turned off sends it."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    app = App(page)
    page.goto(live.launch_url())
    page.locator("#passphrase").fill("blue kettle under seven hills")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cases/$"), timeout=30_000)
    app.start_case("No script")
    app.go_to_case_page()
    app.upload(*sample_files(tmp_path))
    expect(page.locator(".flash-success")).to_have_text(TEXT["en"]["saved"])
    expect(page.locator("table.evidence")).to_contain_text("chat-export-SAMPLE.txt")
    vault = next(iter(live.services.keyring._entries.values())).vault
    assert vault.verify() == []
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_describe_then_remove_an_item_by_keyboard(browser, live, tmp_path, lang):
    context, page, app, seen = open_new_case(
        browser, live, f"Items {lang}", {"en": "en-US", "fr": "fr-FR"}[lang]
    )
    app.go_to_case_page()
    app.upload(*sample_files(tmp_path)[1:])
    tab_to(page, "table.evidence a[href*='/evidence/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page, f"{lang}-e1-describe")
    type_into(page, "#description", "SAMPLE: the first threat")
    tab_to(page, "#intimate")
    page.keyboard.press("Space")
    tab_to(page, "form:not([action]) button[type=submit], main form button.primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("table.evidence")).to_contain_text("SAMPLE: the first threat")
    case = saved_case(live, f"Items {lang}")
    assert case.evidence[0].intimate
    tab_to(page, "table.evidence a[href*='/evidence/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#confirm")
    page.keyboard.press("Space")
    tab_to(page, ".danger-zone button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert saved_case(live, f"Items {lang}").evidence == ()
    assert seen == []
    context.close()


def test_add_a_link_by_keyboard(browser, live):
    context, page, app, seen = open_new_case(browser, live, "Liens", "fr-FR")
    app.go_to_case_page()
    type_into(page, "#url", "https://example.invalid/SAMPLE")
    type_into(page, "#platform", "SAMPLE")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_have_text("Le lien a été enregistré.")
    expect(page.locator("#links-heading + p + ul.entries")).to_contain_text("https://example.invalid/SAMPLE")
    assert_accessible(page, "fr-links")
    assert seen == []  # recording a link never fetches it
    context.close()


EVIDENCE_TEXT = {
    "en": {
        "summary": "2 of 3 files saved. The others were not kept:",
        "damaged": "“broken-SAMPLE.jpg” is damaged or incomplete",
        "show": "Show it to me",
        "match": "It matches 1 picture in your safe space.",
        "quoted": "Saved. The ticked messages are on the timeline.",
    },
    "fr": {
        "summary": "2 fichier(s) sur 3 enregistré(s). Les autres n’ont pas été gardés :",
        "damaged": "« broken-SAMPLE.jpg » est abîmé ou incomplet",
        "show": "Me le montrer",
        "match": "Elle correspond à 1 image de votre espace protégé.",
        "quoted": "Enregistré. Les messages cochés sont sur la chronologie.",
    },
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_evidence_intake_reveal_messages_and_find_copies_by_keyboard(browser, live, tmp_path, lang):
    """Several files at once (one refused kindly), an intimate picture blurred until a logged reveal,
    a chat export's message put on the timeline, and a copy found: keyboard only, axe on each screen."""
    words = EVIDENCE_TEXT[lang]
    title = f"Intake {lang}"
    context, page, app, seen = open_new_case(browser, live, title, {"en": "en-US", "fr": "fr-FR"}[lang])
    app.go_to_case_page()
    picture = tmp_path / "private-SAMPLE.png"
    picture.write_bytes(samples.png(1200, 900, seed=21))
    chat = tmp_path / "WhatsApp Chat with Sam Sample.txt"
    chat.write_text(samples.WHATSAPP_ANDROID, encoding="utf-8")
    broken = tmp_path / "broken-SAMPLE.jpg"
    # Cut inside its header, so it is refused at once (cut later, a picture is kept and marked unreadable).
    broken.write_bytes(samples.jpeg(640, 480)[:600])

    # 1. Three files at once; the intimate box ticked; the broken one refused with its reason.
    page.locator("#files").set_input_files([str(picture), str(chat), str(broken)])
    tab_to(page, "#intimate")
    page.keyboard.press("Space")
    tab_to(page, "form.upload button[type=submit]")
    page.keyboard.press("Enter")
    status = page.locator("#upload-status")
    expect(status).to_contain_text(words["summary"], timeout=30_000)
    expect(status.locator("ul.refusals li")).to_contain_text(words["damaged"])
    assert_accessible(page, f"{lang}-i1-refused")
    tab_to(page, "#upload-status a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    case = saved_case(live, title)
    assert [it.original_name for it in case.evidence] == [picture.name, chat.name]
    assert all(it.intimate for it in case.evidence)
    expect(page.locator("img.thumb.blurred")).to_have_count(1)
    assert_accessible(page, f"{lang}-i2-case")

    # 2. The picture: blurred until "Show it to me", and the reveal is journaled.
    tab_to(page, f"table.evidence a:text-is('{picture.name}')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#preview img.blurred")).to_be_visible()
    expect(page.locator("#preview img.full")).to_have_count(0)
    assert_accessible(page, f"{lang}-i3-hidden")
    tab_to(page, f"#preview button:text-is('{words['show']}')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    shown = page.locator("#preview img.full")
    expect(shown).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth === 1200", arg=shown.element_handle())
    vault = next(iter(live.services.keyring._entries.values())).vault
    assert vault.journal(case.id)[-1].action == "evidence.revealed"
    assert_accessible(page, f"{lang}-i4-revealed")

    # 3. The chat export: one message onto the timeline.
    page.goto(f"{live.url}/evidence/{case.id}/{case.evidence[1].id}/messages")
    assert_accessible(page, f"{lang}-i5-messages")
    tab_to(page, "#quote-3")
    page.keyboard.press("Space")
    tab_to(page, "main form[method=post] button.primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_have_text(words["quoted"])
    [quote] = saved_case(live, title).quotes
    assert quote.text.startswith("I have your pictures")

    # 4. Find copies: a smaller, recompressed copy of the picture is recognised, and not kept.
    page.goto(f"{live.url}/evidence/{case.id}/copies")
    copy = tmp_path / "found-online.jpg"
    copy.write_bytes(
        samples.encode(samples.picture(1200, 900, seed=21).resize((500, 375)), "JPEG", quality=60)
    )
    page.locator("#image").set_input_files(str(copy))
    tab_to(page, "main form[enctype] button.primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#result-heading + p")).to_have_text(words["match"])
    assert_accessible(page, f"{lang}-i6-copies")
    assert len(saved_case(live, title).evidence) == 2

    # 5. The dossier's options for such a case: how intimate pictures appear, names withheld.
    page.goto(f"{live.url}/dossier/{case.id}")
    expect(page.locator("input[name=intimate][value=blur]")).to_be_checked()
    expect(page.locator("#redact_names")).to_be_visible()
    assert_accessible(page, f"{lang}-i7-dossier-options")

    assert seen == []
    context.close()


LONG_CHAT = "\n".join(
    f"13/03/2026 à 08:{n:02d} - Sam Exemple: "
    + "Ceci est un long message d’exemple qui passe à la ligne. " * 4
    for n in range(12)
)


def test_message_boxes_are_big_enough_and_french_answers_stay_whole(browser, live, tmp_path):
    """WCAG 2.2 target size: each tick box at least 24×24 px, even beside a message that wraps; the
    French review page never breaks a short answer in the middle of a word."""
    context, page, app, seen = open_new_case(browser, live, "Tailles", "fr-FR")
    base = page.url.rsplit("/", 1)[0]
    app.go_to_case_page()
    chat = tmp_path / "Discussion WhatsApp avec Sam Exemple.txt"
    chat.write_text(LONG_CHAT, encoding="utf-8")
    app.upload(chat)
    case = saved_case(live, "Tailles")
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(f"{live.url}/evidence/{case.id}/{case.evidence[0].id}/messages")
    boxes = page.locator("ol.messages input[type=checkbox]")
    expect(boxes).to_have_count(12)
    for n in range(12):
        box = boxes.nth(n).bounding_box()
        assert box["width"] >= 24, box
        assert box["height"] >= 24, box
    assert_accessible(page, "fr-9-messages")

    page.goto(f"{base}/story")
    tab_to(page, "#moved_to_platform")
    page.keyboard.type("Snapchat")
    tab_to(page, "main button.primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{base}/review")
    broken = page.evaluate(
        """() => [...document.querySelectorAll('dl.facts dd')]
            .filter(dd => !/\\s/.test(dd.textContent.trim()) && dd.textContent.trim().length < 30)
            .filter(dd => { const r = document.createRange(); r.selectNodeContents(dd);
                            return r.getClientRects().length > 1; })
            .map(dd => dd.textContent.trim())"""
    )
    assert broken == []
    expect(page.locator("main")).to_contain_text("Snapchat")
    assert_accessible(page, "fr-9-review")
    assert seen == []
    context.close()
