"""A picture's preview while it is prepared, and the dossier's progress bar, in real Chromium: keyboard
only, in English and French, with axe scans (no serious or critical violation)."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect

from helper.evidence.renditions import RenditionWorker
from tests.support import samples
from tests.support.browser import assert_accessible, open_new_case, saved_case, tab_to

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-US", "fr": "fr-FR"}
WORDS = {
    "en": {
        "preparing": "Preparing the preview…",
        "making": "Making the dossier…",
        "made": "The dossier is made.",
    },
    "fr": {
        "preparing": "Aperçu en préparation…",
        "making": "Création du dossier…",
        "made": "Le dossier est prêt.",
    },
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_picture_says_preparing_then_shows_its_thumbnail(browser, live, tmp_path, lang):
    worker = RenditionWorker(paused=True)  # holds the picture until the page has been seen preparing
    live.services.renditions = worker
    context, page, app, seen = open_new_case(browser, live, f"Preparing {lang}", LOCALES[lang])
    try:
        app.go_to_case_page()
        picture = tmp_path / "screenshot-SAMPLE.jpg"
        picture.write_bytes(samples.jpeg(1600, 1200))
        app.upload(picture)
        placeholder = page.locator("table.evidence .placeholder.preparing")
        expect(placeholder).to_have_text(WORDS[lang]["preparing"])
        expect(page.locator("table.evidence img.thumb")).to_have_count(0)
        assert_accessible(page, f"{lang}-p1-preparing")

        worker.resume()
        item = saved_case(live, f"Preparing {lang}").evidence[0]
        thumb = page.locator(f"table.evidence img.thumb[src$='/{item.id}/thumbnail']")
        expect(thumb).to_be_visible(timeout=30_000)  # put in place by the page's script, no reload
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
        expect(page.locator("table.evidence .placeholder")).to_have_count(0)
        assert_accessible(page, f"{lang}-p2-thumbnail")
        assert seen == []
    finally:
        worker.close()
        context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_dossier_page_shows_its_progress_bar(browser, live, tmp_path, lang):
    context, page, app, seen = open_new_case(browser, live, f"Progress {lang}", LOCALES[lang])
    board = live.services.dossier_progress
    halfway, release = threading.Event(), threading.Event()
    real_start = board.start

    def start(handle, token):
        heard = real_start(handle, token)

        def told(done, total):
            heard(done, total)
            if total and done >= total // 2 and not halfway.is_set():
                halfway.set()
                release.wait(60)  # the dossier waits here while the test looks at its page

        return told

    board.start = start
    try:
        app.go_to_case_page()
        picture = tmp_path / "profile-SAMPLE.png"
        picture.write_bytes(samples.png(640, 480))
        app.upload(picture)
        tab_to(page, "a[href*='/dossier/']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        bar = page.locator(".dossier-progress progress")
        expect(bar).to_be_hidden()
        tab_to(page, "main form button.primary")
        with page.expect_download(timeout=120_000) as download:
            page.keyboard.press("Enter")
            _wait_while_serving(page, halfway)
            # The form's request is still on its way (it becomes a download): Playwright's locators
            # wait for it, so the page still shown is read directly.
            shown = _shown_progress(page)
            for _ in range(50):
                if shown["value"] >= 40:
                    break
                page.wait_for_timeout(100)
                shown = _shown_progress(page)
            assert shown == {"hidden": False, "status": WORDS[lang]["making"], "value": shown["value"]}
            assert shown["value"] >= 40
            assert_accessible(page, f"{lang}-p3-dossier-progress")
            release.set()
        assert download.value.suggested_filename.endswith(".pdf")
        expect(page.locator("#dossier-progress-status")).to_contain_text(WORDS[lang]["made"])
        expect(bar).to_have_attribute("value", "100")
        assert_accessible(page, f"{lang}-p4-dossier-made")
        assert seen == []
    finally:
        release.set()
        board.start = real_start
        context.close()


def _wait_while_serving(page, event: threading.Event, seconds: float = 60) -> None:
    """Wait for `event` in Playwright's own time: every request of the page goes through this test's
    route handler (tests/support/browser.py), which a plain wait would hold up."""
    for _ in range(int(seconds * 10)):
        if event.is_set():
            return
        page.wait_for_timeout(100)
    raise AssertionError("the dossier never reached its halfway point")


def _shown_progress(page) -> dict:
    return page.evaluate(
        """() => {
            const box = document.querySelector(".dossier-progress");
            return {
                hidden: box.hidden,
                status: document.querySelector("#dossier-progress-status").textContent,
                value: box.querySelector("progress").value,
            };
        }"""
    )
