"""Page objects and helpers for the browser tests (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
_axe = Axe()


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
