"""The user's path in real Chromium, keyboard only, in English and French, with axe scans."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support import samples
from tests.support.browser import App, assert_accessible, tab_to
from tests.support.hostile import png_with_text
from tests.support.web import start_live

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MARKER = b"BROWSER-PLAINTEXT-MARKER-9d2e"
PASSPHRASE = "river lantern forty owls"
EXIT_URL = "https://www.google.com/search?q=weather"

TEXT = {
    "en": {
        "welcome": "You are not alone",
        "cases": "Your cases",
        "saved": "2 files saved and encrypted.",
        "locked": "Locked.",
        "forbidden": "This page is closed",
    },
    "fr": {
        "welcome": "Vous n’êtes pas seul",
        "cases": "Vos dossiers",
        "saved": "2 fichiers enregistrés et chiffrés.",
        "locked": "Verrouillé.",
        "forbidden": "Cette page est fermée",
    },
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH") or shutil.which("chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def fresh_live(tmp_path):
    server, live = start_live(tmp_path / "vault")
    yield live
    server.shutdown()
    server.server_close()


def guard_outbound(context) -> list[str]:
    """Every request not for 127.0.0.1 is recorded and stopped; the quick exit's page is faked."""
    seen: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith("http://127.0.0.1:"):
            route.continue_()
            return
        seen.append(url)
        if url.startswith(EXIT_URL):
            route.fulfill(status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>")
        else:
            route.abort()

    context.route("**/*", handle)
    return seen


def open_new_case(browser, live, title: str, locale: str = "en-US"):
    """A browser that unlocked the test vault and started a case (on the safety step).
    Every request leaving 127.0.0.1 is recorded from the start (the last value returned)."""
    context = browser.new_context(locale=locale)
    seen = guard_outbound(context)
    page = context.new_page()
    app = App(page)
    page.goto(live.launch_url())
    app.unlock("blue kettle under seven hills")
    app.start_case(title)
    return context, page, app, seen


def saved_case(live, title: str):
    vault = next(iter(live.services.keyring._entries.values())).vault
    return next(row.case for row in vault.list_cases() if row.case and row.case.title == title)


def sample_files(folder: Path) -> list[Path]:
    shot = folder / "screenshot-SAMPLE.png"
    # A real picture carrying ~900 KB of marker text: past every spooling threshold.
    shot.write_bytes(png_with_text(b"Comment", MARKER * 30_000))
    note = folder / "chat-export-SAMPLE.txt"
    note.write_bytes(b"SAMPLE chat line\n" + MARKER)
    return [shot, note]


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
    assert len(live.services.keyring) == 0
    assert seen == [EXIT_URL]
    context.close()


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


def choose_radio(page, group: str, index: int) -> None:
    """Tab into a radio group, then move with the arrow keys, as keyboard users do."""
    tab_to(page, f"#{group}-0")
    page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    expect(page.locator(f"#{group}-{index}")).to_be_checked()


def press_button(page, text):
    tab_to(page, f"main button:has-text('{text}')")
    page.keyboard.press("Enter")
    page.wait_for_load_state()


DONE = {"en": "Done with this step", "fr": "Étape terminée"}
FINISH = {"en": "Finish for now", "fr": "Terminer pour l’instant"}


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


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
    broken.write_bytes(samples.jpeg(640, 480)[:2000])

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


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_export_a_dossier_by_keyboard(browser, live, tmp_path, lang):
    """From a case with a picture: the dossier page (axe), a password, the download, and a PDF that opens
    with that password and whose signature verifies."""
    import subprocess

    from helper.dossier.manifest import verify_dossier

    context, page, app, seen = open_new_case(
        browser, live, f"Dossier {lang}", {"en": "en-US", "fr": "fr-FR"}[lang]
    )
    app.go_to_case_page()
    picture = tmp_path / "profile-SAMPLE.png"
    picture.write_bytes(samples.png(640, 480))
    app.upload(picture)
    tab_to(page, "a[href*='/dossier/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page, f"{lang}-d1-dossier")
    expect(page.locator(f"input[name=lang][value={lang}]")).to_be_checked()  # the page's language by default
    type_into(page, "#person", "SAMPLE P.")
    type_into(page, "#password", "SAMPLE pass 42")
    type_into(page, "#password_again", "SAMPLE pass 42")
    tab_to(page, "main form button.primary")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = tmp_path / "dossier.pdf"
    download.value.save_as(path)
    opened = subprocess.run(
        ["pdftotext", "-upw", "SAMPLE pass 42", str(path), "-"], capture_output=True, text=True
    )
    assert opened.returncode == 0
    assert {"en": "CONFIDENTIAL", "fr": "CONFIDENTIEL"}[lang] in opened.stdout
    assert "SAMPLE P." in opened.stdout
    assert verify_dossier(path.read_bytes(), password="SAMPLE pass 42").ok
    assert seen == []
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_big_case_leaves_files_out_by_number_by_keyboard(browser, live, tmp_path, monkeypatch, lang):
    """Past LIST_ITEMS_UP_TO files (lowered here) the dossier page takes the numbers of the files to
    leave out, as the case page shows them: a wrong number is explained (axe) and kept, a right one
    leaves exactly that file out."""
    import json

    from pypdf import PdfReader

    from helper.dossier.manifest import MANIFEST_NAME
    from helper.web.dossier import routes

    monkeypatch.setattr(routes, "LIST_ITEMS_UP_TO", 1)
    context, page, app, seen = open_new_case(
        browser, live, f"Many {lang}", {"en": "en-US", "fr": "fr-FR"}[lang]
    )
    app.go_to_case_page()
    files = []
    for n in range(3):
        files.append(tmp_path / f"shot-{n}-SAMPLE.png")
        files[-1].write_bytes(samples.png(64 + n, 48))
    app.upload(*files)
    expect(page.locator("table.evidence")).to_contain_text("E3")
    tab_to(page, "a[href*='/dossier/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("input[name=item]")).to_have_count(0)
    type_into(page, "#leave_out", "E2, E9")
    tab_to(page, "main form button.primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#leave_out")).to_have_value("E2, E9")
    expect(page.locator("#leave_out-error")).to_contain_text("E9")
    assert_accessible(page, f"{lang}-d2-leave-out-error")
    tab_to(page, "#leave_out")
    page.keyboard.press("Control+A")
    page.keyboard.type("E2")
    tab_to(page, "main form button.primary")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = tmp_path / "dossier.pdf"
    download.value.save_as(path)
    items = json.loads(PdfReader(path).attachments[MANIFEST_NAME][0])["items"]
    case = saved_case(live, f"Many {lang}")
    assert [i["sha256"] for i in items] == [case.evidence[0].sha256, case.evidence[2].sha256]
    assert seen == []
    context.close()


# -- issue 9: a hurried person, a French phone, and the way back ---------------------------------

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
    assert len(live.services.keyring) == 0
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
    assert len(live.services.keyring) == 0
    page.locator("button.quick-exit").click()  # its token belonged to the session just ended
    page.wait_for_url(EXIT_URL)
    expect(page.locator("h1")).to_have_text("Weather")
    assert seen == [EXIT_URL]
    context.close()


# -- issue 11: get it taken down -------------------------------------------------------------------


def prepare_for_letters(live, title: str, country: str, with_money: bool = False):
    """What the walkthrough would have recorded: where the images are, and (French case) the ledger."""
    from helper.case import Account, Payment, Place

    vault = next(iter(live.services.keyring._entries.values())).vault
    case = saved_case(live, title)

    def change(c):
        c = c.with_incident(
            kind="financial",
            minor="no",
            country=country,
            started_on="2026-11-01",
            narrative="SAMPLE: asked for pictures, then for money.",
        )
        c = c.with_entry("places", Place(id="p1", url="https://x.com/sample_account/status/42", platform="X"))
        c = c.with_entry(
            "places", Place(id="p2", url="https://www.instagram.com/p/SAMPLE42/", platform="Instagram")
        )
        c = c.with_entry("accounts", Account(id="a1", platform="Instagram", handle="@sample_account"))
        if with_money:
            c = c.with_entry(
                "payments",
                Payment(
                    id="m1",
                    paid=True,
                    amount="200",
                    currency="EUR",
                    method="bank_transfer",
                    at="2026-11-02T10:00",
                    iban="FR7630006000011234567890189",
                ),
            )
            c = c.with_entry(
                "payments",
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
        return c

    vault.update_case(case.id, change, "walkthrough.saved", {"step": "places"})
    return vault, case.id


def open_link(page, selector):
    tab_to(page, selector, limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")


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
    expect(page.locator("main")).to_contain_text("For people in the United States.")
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
    open_link(page, "main a[href$='/payment-report']")
    assert_accessible(page, "fr-l-payment")
    letter = page.locator("#letter-text").input_value()
    assert "FR7630006000011234567890189" in letter
    assert "bc1qsamplebrowser000000000000000000000" in letter
    assert "cd" * 32 in letter
    main = page.locator("main").inner_text()
    for english in ("Copy the text", "Record it as sent", "Where it goes", "payment-report"):
        assert english not in main
    assert seen == []
    context.close()


# -- issue 12: a counselor-assisted session -------------------------------------------------------

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
    assert page.evaluate("document.querySelector('img.full').naturalWidth") > 0
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
