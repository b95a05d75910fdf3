"""Unlocking, locking, the quick exit, help and the error pages: what keeps a person safe on every page.

In real Chromium, keyboard only, in English and French, with axe scans; the helpers and page objects
they share are in tests/support/browser.py."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support import samples
from tests.support.browser import (
    CHROMIUM_ARGS,
    EXIT_URL,
    MARKER,
    TEXT,
    App,
    assert_accessible,
    guard_outbound,
    open_new_case,
    sample_files,
    saved_case,
    tab_to,
    wait_until_locked,
)
from tests.support.web import start_live

pytestmark = pytest.mark.browser


PASSPHRASE = "river lantern forty owls"


@pytest.fixture
def fresh_live(tmp_path):
    server, live = start_live(tmp_path / "vault")
    yield live
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_create_upload_lock_unlock_and_quick_exit(browser, fresh_live, tmp_path, lang):
    text = TEXT[lang]
    context = browser.new_context(locale={"en": "en-US", "fr": "fr-FR"}[lang])
    seen = guard_outbound(context)
    page = context.new_page()
    app = App(page)
    temp_before = set(Path(tempfile.gettempdir()).iterdir())

    page.goto(fresh_live.launch_url())
    assert "token" not in page.url
    expect(page.locator("h1")).to_contain_text(text["welcome"])
    assert_accessible(page, f"{lang}-1-setup")

    key = app.create_vault(PASSPHRASE)
    assert re.fullmatch(r"[A-Z2-9]{5}(-[A-Z2-9]{5}){7}", key)
    assert_accessible(page, f"{lang}-2-recovery-key")
    app.confirm_recovery_key()
    expect(page.locator("h1")).to_have_text(text["cases"])
    assert_accessible(page, f"{lang}-3-cases")

    app.start_case("Instagram, SAMPLE")
    app.go_to_case_page()
    assert_accessible(page, f"{lang}-4-case")
    app.upload(*sample_files(tmp_path))
    expect(page.locator(".flash-success")).to_have_text(text["saved"])
    expect(page.locator("table.evidence")).to_contain_text("screenshot-SAMPLE.png")
    assert_accessible(page, f"{lang}-5-uploaded")

    app.lock()
    expect(page.locator(".flash-success")).to_contain_text(text["locked"])
    assert_accessible(page, f"{lang}-6-unlock")
    app.unlock(PASSPHRASE)
    tab_to(page, "nav.tools a[href$='/session/passphrase']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/session/passphrase$"))
    assert_accessible(page, f"{lang}-6b-passphrase")
    page.go_back()
    app.open_case("Instagram, SAMPLE")
    expect(page.locator("table.evidence")).to_contain_text("chat-export-SAMPLE.txt")

    # Quick exit from the keyboard: Escape twice. The page is replaced; Back shows nothing.
    page.locator("main h1").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL)
    expect(page.locator("h1")).to_have_text("Weather")
    assert fresh_live.services.keyring._entries == {}
    page.go_back()
    assert "Instagram" not in page.content()
    if page.url.startswith("http://127.0.0.1"):
        expect(page.locator("h1")).to_have_text(text["forbidden"])

    assert seen == [EXIT_URL], f"outbound requests: {seen}"
    context.close()

    # No plaintext left on disk: not in the vault, not in the temp folder.
    new_temp = set(Path(tempfile.gettempdir()).iterdir()) - temp_before
    for root in [fresh_live.vault_path, *new_temp]:
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for path in files:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            assert MARKER not in data, f"plaintext in {path}"


def test_quick_exit_button_works_without_the_shortcut(browser, live):
    context = browser.new_context()
    seen = guard_outbound(context)
    page = context.new_page()
    page.goto(live.launch_url())
    tab_to(page, "button.quick-exit")
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL)
    assert seen == [EXIT_URL]
    context.close()


def unlocked_without_script(browser, live):
    """A browser with scripts turned off that came in through the launch link and unlocked."""
    context = browser.new_context(java_script_enabled=False)
    seen = guard_outbound(context)
    page = context.new_page()
    page.goto(live.launch_url())
    page.locator("#passphrase").fill("blue kettle under seven hills")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cases/$"), timeout=30_000)
    return context, page, seen


def test_quick_exit_without_javascript_still_leaves_and_locks(browser, live):
    context, page, seen = unlocked_without_script(browser, live)
    assert len(live.services.keyring) == 1
    page.locator("button.quick-exit").click()
    page.wait_for_url(EXIT_URL)
    wait_until_locked(live)
    assert seen == [EXIT_URL]
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_error_and_recovery_pages_are_accessible(browser, live, lang):
    context = browser.new_context(locale={"en": "en-US", "fr": "fr-FR"}[lang])
    page = context.new_page()
    page.goto(live.url + "/cases/")
    expect(page.locator("h1")).to_have_text(TEXT[lang]["forbidden"])
    assert_accessible(page, f"{lang}-7-forbidden")
    page.goto(live.launch_url())
    page.goto(live.url + "/session/recover")
    assert_accessible(page, f"{lang}-8-recover")
    page.goto(live.url + "/nowhere")
    assert_accessible(page, f"{lang}-9-not-found")
    # Switch language with the keyboard from any page.
    tab_to(page, "form.language button")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "fr" if lang == "en" else "en")
    context.close()


def test_passphrase_strength_hint_updates_as_you_type(browser, fresh_live):
    context = browser.new_context()
    page = context.new_page()
    page.goto(fresh_live.launch_url())
    field = page.locator("#passphrase")
    field.fill("short")
    expect(page.locator("#strength")).to_have_attribute("data-level", "0")
    field.fill("correct horse battery staple")
    expect(page.locator("#strength")).to_have_attribute("data-level", "3")
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_help_is_one_keypress_away_from_every_page(browser, live, lang):
    context = browser.new_context(locale={"en": "en-US", "fr": "fr-FR"}[lang])
    seen = guard_outbound(context)
    page = context.new_page()
    page.goto(live.url + "/cases/")  # even the closed page offers help
    tab_to(page, "a.help-now")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/help/"))
    heading = {"en": "Help now", "fr": "Aide immédiate"}[lang]
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator(".emergency a.big-number")).to_have_text({"en": "911", "fr": "112"}[lang])
    assert_accessible(page, f"{lang}-10-help")
    tab_to(page, "nav.countries a[href$='country=AU']")
    page.keyboard.press("Enter")
    expect(page.locator(".emergency a.big-number")).to_have_text("000")
    assert seen == []
    context.close()


CLOSED_TEXT = {
    "en": ("This page is closed", "Open my safe space"),
    "fr": ("Cette page est fermée", "Ouvrir mon espace protégé"),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_coming_back_after_a_quick_exit_needs_no_terminal(browser, live, lang):
    """After a quick exit the launch link is spent: the app's own address asks for the passphrase."""
    locale = {"en": "en-US", "fr": "fr-FR"}[lang]
    context, page, app, seen = open_new_case(browser, live, f"Back {lang}", locale)
    page.locator("main h1").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL)
    wait_until_locked(live)
    page.goto(f"{live.url}/")
    title, button = CLOSED_TEXT[lang]
    expect(page.locator("main h1")).to_have_text(title)
    assert_accessible(page, f"{lang}-9-closed")
    tab_to(page, "form.reopen #passphrase")
    page.keyboard.type("blue kettle under seven hills")
    expect(page.locator("form.reopen button")).to_have_text(button)
    with page.expect_navigation(timeout=30_000):
        page.keyboard.press("Enter")
    expect(page.locator("ul.cases")).to_contain_text(f"Back {lang}")
    assert len(live.services.keyring) == 1
    assert seen == [EXIT_URL]
    context.close()


def test_the_browsers_profile_keeps_no_case_title_or_file_name(browser_type, live, tmp_path):
    """Chromium's History database keeps titles and addresses after the browser closes: a partner or
    parent looking there must find no case name, file name or searched word."""
    profile = tmp_path / "profile"
    context = browser_type.launch_persistent_context(
        profile,
        executable_path=os.environ.get("CHROMIUM_PATH") or shutil.which("chromium"),
        args=CHROMIUM_ARGS,
        locale="en-US",
    )
    seen = guard_outbound(context)
    page = context.new_page()
    app = App(page)
    page.goto(live.launch_url())
    app.unlock("blue kettle under seven hills")
    app.start_case("ZQXCASEMARK Instagram")
    app.go_to_case_page()
    chat = tmp_path / "WhatsApp Chat with ZQXFILEMARK.txt"
    chat.write_text(samples.WHATSAPP_ANDROID, encoding="utf-8")
    app.upload(chat)
    case = saved_case(live, "ZQXCASEMARK Instagram")
    item = case.evidence[0]
    page.goto(f"{live.url}/evidence/{case.id}/{item.id}")
    page.goto(f"{live.url}/evidence/{case.id}/{item.id}/messages")
    tab_to(page, "#q")
    page.keyboard.type("ZQXSEARCHMARK")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{live.url}/walkthrough/{case.id}/review")
    app.lock()
    context.close()
    assert seen == []
    leaks = []
    for path in profile.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for marker in (b"ZQXCASEMARK", b"ZQXFILEMARK", b"ZQXSEARCHMARK"):
                if marker in data or marker.decode().encode("utf-16-le") in data:
                    leaks.append((str(path.relative_to(profile)), marker.decode()))
    assert leaks == [], "\n".join(map(str, leaks))


def test_quick_exit_from_a_stale_tab_without_script_still_leaves(browser, live):
    """A quick exit elsewhere (another tab) ends the session this page's token belongs to: the page is
    stale, and its button must still leave."""
    context, page, seen = unlocked_without_script(browser, live)
    token = page.locator("#quick-exit-form input[name=csrf_token]").input_value()
    other_tab = context.request.post(
        f"{live.url}/session/exit", form={"csrf_token": token}, headers={"Origin": live.url}, max_redirects=0
    )
    assert other_tab.status == 303
    wait_until_locked(live)
    page.locator("button.quick-exit").click()  # its token belonged to the session just ended
    page.wait_for_url(EXIT_URL)
    expect(page.locator("h1")).to_have_text("Weather")
    assert seen == [EXIT_URL]
    context.close()
