"""Page objects and helpers for the browser tests (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.hostile import png_with_text

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
_axe = Axe()

# How the tests start Debian's Chromium (tests/conftest.py), and the marks and words they look for.
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


def assert_accessible(page: Page, label: str) -> None:
    """No serious or critical axe violation; a screenshot is kept for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{label}.png", full_page=True)
    violations = _axe.run(page).response["violations"]
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{label}: {bad}"


def tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Reach an element with the Tab key only, as a keyboard user would."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


class App:
    """The user's path through Incident Helper, in words of the page."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def create_vault(self, passphrase: str) -> str:
        page = self.page
        tab_to(page, "#passphrase")
        page.keyboard.type(passphrase)
        page.keyboard.press("Tab")
        page.keyboard.type(passphrase)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/session/recovery-key$"))
        return page.locator(".recovery-key code").inner_text()

    def confirm_recovery_key(self) -> None:
        tab_to(self.page, "#written_down")
        self.page.keyboard.press("Space")
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(re.compile(r"/cases/$"))

    def start_case(self, title: str) -> None:
        """Start a case: it opens on the walkthrough's first step."""
        tab_to(self.page, "#title")
        self.page.keyboard.type(title)
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(re.compile(r"/walkthrough/[0-9a-f]{32}/safety$"))

    def go_to_case_page(self) -> None:
        tab_to(self.page, "p.progress-text a")
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(re.compile(r"/cases/[0-9a-f]{32}$"))

    def upload(self, *paths: Path) -> None:
        page = self.page
        page.locator("#files").set_input_files([str(p) for p in paths])  # the OS file picker's part
        tab_to(page, "form.upload button[type=submit]")
        with page.expect_navigation(timeout=60_000):
            page.keyboard.press("Enter")

    def lock(self) -> None:
        tab_to(self.page, "#lock-form button")
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(re.compile(r"/session/unlock"))

    def unlock(self, passphrase: str) -> None:
        page = self.page
        field = page.locator("#passphrase")
        expect(field).to_be_focused()  # autofocus: type straight away
        page.keyboard.type(passphrase)
        for _ in range(3):  # a loaded machine can drop a keystroke: check, and type it again, by keyboard
            if field.input_value() == passphrase:
                break
            field.focus()
            page.keyboard.press("Control+a")
            page.keyboard.type(passphrase)
        page.keyboard.press("Enter")
        try:
            page.wait_for_url(re.compile(r"/cases/$"), timeout=30_000)
        except PlaywrightTimeout as exc:  # say what the page said, for whoever reads the failure
            said = page.locator("main").inner_text()
            raise AssertionError(f"not unlocked; the page says: {said!r}") from exc

    def open_case(self, title: str) -> None:
        tab_to(self.page, f"ul.cases a:text-is('{title}')")
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(re.compile(r"/cases/[0-9a-f]{32}$"))


# -- helpers shared by the browser tests ---------------------------------------------------------


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
    return vault.find_case(title)


def sample_files(folder: Path) -> list[Path]:
    shot = folder / "screenshot-SAMPLE.png"
    # A real picture carrying ~900 KB of marker text: past every spooling threshold.
    shot.write_bytes(png_with_text(b"Comment", MARKER * 30_000))
    note = folder / "chat-export-SAMPLE.txt"
    note.write_bytes(b"SAMPLE chat line\n" + MARKER)
    return [shot, note]


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


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def open_link(page, selector):
    tab_to(page, selector, limit=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def wait_until_locked(live, seconds: float = 10.0) -> None:
    """The page leaves at once and the lock request goes on in the background (a kept-alive fetch):
    wait for the server to have dropped every key, a few seconds at most."""
    import time

    deadline = time.monotonic() + seconds
    while len(live.services.keyring) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(live.services.keyring) == 0
