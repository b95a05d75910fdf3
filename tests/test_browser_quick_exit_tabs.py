"""A quick exit leaves every tab of the app, and counselor mode ends with it (issue 21, items 10 and 11).

In real Chromium, keyboard only, in English and French, with axe scans. Two tabs share one browser
session: the quick exit is made in the first, with its script or without it (the script refused, as in
a browser that runs none); the second, with a story being typed, must leave too."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyrage
import pytest
from playwright.sync_api import expect

from helper.vault import UnlockedVault
from tests.support import samples
from tests.support.browser import (
    assert_accessible,
    open_link,
    open_new_case,
    saved_case,
    tab_to,
    type_into,
    wait_until_locked,
)
from tests.support.evidence import add_file
from tests.support.web import start_live

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-US", "fr": "fr-FR"}
WORDS = {
    "en": {"mode": "Counselor mode", "not_shown": "Not shown in counselor mode", "copy": "unencrypted copy"},
    "fr": {
        "mode": "Mode accompagnement",
        "not_shown": "Non affiché en mode accompagnement",
        "copy": "copie non chiffrée",
    },
}
STORY = "SAMPLE story, still being typed"


class Weather(BaseHTTPRequestHandler):
    """The neutral site, here on 127.0.0.1: a quick exit without script reaches it through the app's
    303, and Playwright's routes never see a redirect's second request."""

    def do_GET(self) -> None:
        body = b"<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def exit_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Weather)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/weather"
    server.shutdown()
    server.server_close()


@pytest.fixture
def live(vault_dir, exit_url):
    """The app on 127.0.0.1, leaving for the neutral site above."""
    server, live_app = start_live(vault_dir, exit_url=exit_url)
    yield live_app
    server.shutdown()
    server.server_close()


def quick_exit_by_keyboard(page, exit_url) -> None:
    tab_to(page, "#quick-exit-form button")
    page.keyboard.press("Enter")
    page.wait_for_url(exit_url)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("script_in_first", [True, False], ids=["with-script", "without-script"])
def test_a_quick_exit_in_one_tab_takes_every_other_tab_out_of_the_case(
    browser, live, exit_url, lang, script_in_first
):
    title = f"TABCASEMARK {lang}"
    context, second, _app, seen = open_new_case(browser, live, title, LOCALES[lang])
    case = saved_case(live, title)
    second.goto(f"{live.url}/walkthrough/{case.id}/story")
    type_into(second, "#narrative", STORY)
    assert_accessible(second, f"{lang}-tabs1-story")

    first = context.new_page()
    if not script_in_first:
        first.route("**/static/app.js", lambda route: route.abort())  # this tab runs no script
    first.goto(f"{live.url}/cases/{case.id}")
    expect(first.locator("main")).to_contain_text(title)
    assert_accessible(first, f"{lang}-tabs2-case")
    quick_exit_by_keyboard(first, exit_url)
    wait_until_locked(live)

    if script_in_first:
        # Told at once by the first tab: well before the second asks the server on its own.
        second.wait_for_url(exit_url, timeout=3_000)
    else:
        # No message came: it learns when it is seen again.
        second.bring_to_front()
        second.wait_for_url(exit_url, timeout=10_000)
    for page in (first, second):
        text = page.content()
        assert title not in text
        assert STORY not in text
        expect(page).to_have_title("Weather")
    # Back does not return to the case either.
    second.go_back()
    assert title not in second.content()
    assert seen == []  # nothing left 127.0.0.1
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_counselor_mode_says_what_it_does_not_show_and_ends_with_a_quick_exit(
    browser, live, exit_url, vault_template, lang
):
    words = WORDS[lang]
    title = f"Counselor exit {lang}"
    context, page, app, seen = open_new_case(browser, live, title, LOCALES[lang])
    vault = next(iter(live.services.keyring._entries.values())).vault
    case = saved_case(live, title)
    intimate = add_file(
        vault, case.id, samples.png(320, 200, seed=9), "private-SAMPLE.png", "image/png", intimate=True
    )
    app.go_to_case_page()
    open_link(page, f"header a:text-is('{words['mode']}')")
    type_into(page, "#name", "Alex Sample")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".counselor-banner")).to_be_visible()

    page.goto(f"{live.url}/evidence/{case.id}/{intimate.id}")
    expect(page.locator("main")).not_to_contain_text(words["copy"])
    assert page.locator("img").count() == 0
    assert_accessible(page, f"{lang}-cx1-intimate-item")

    page.goto(f"{live.url}/evidence/{case.id}/{intimate.id}/view")  # the picture's address, typed
    expect(page.locator("main h1")).to_have_text(words["not_shown"])
    expect(page.locator(".counselor-banner")).to_be_visible()  # the app is open, the mode still on
    assert_accessible(page, f"{lang}-cx2-not-shown")
    open_link(page, f"main a[href='/evidence/{case.id}/{intimate.id}']")
    expect(page.locator("main h1")).to_have_text("private-SAMPLE.png")

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(exit_url)
    wait_until_locked(live)
    reopened = UnlockedVault(live.vault_path, pyrage.x25519.Identity.from_str(vault_template.identity))
    ended = [e.detail for e in reopened.journal(case.id) if e.action == "counselor.ended"]
    assert ended == [{"counselor": "Alex Sample", "count": 0}]
    assert seen == []
    context.close()
