"""Nothing a person typed or chose in the walkthrough is silently dropped (issue 19, part 6).

In real Chromium, keyboard only, in English and French, with an axe scan on each screen: a country
chosen and then "Continue" pressed is saved; files chosen and then "Done with this step" pressed are
added; two tabs on "What happened" never overwrite each other's story without the person choosing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support import samples
from tests.support.browser import App, assert_accessible, tab_to

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-US", "fr": "fr-FR"}
WORDS = {
    "en": {
        "continue": "Continue",
        "done": "Done with this step",
        "save": "Save and continue",
        "saved_one": "1 file saved and encrypted.",
        "draft_clash": "changed in another window",
        "clash": "also changed in another window",
        "keep_typed": "Keep what I typed here",
        "keep_saved": "Keep the version saved in the other window",
    },
    "fr": {
        "continue": "Continuer",
        "done": "Étape terminée",
        "save": "Enregistrer et continuer",
        "saved_one": "1 fichier enregistré et chiffré.",
        "draft_clash": "modifié dans une autre fenêtre",
        "clash": "aussi été modifié dans une autre fenêtre",
        "keep_typed": "Garder ce que j’ai écrit ici",
        "keep_saved": "Garder la version enregistrée dans l’autre fenêtre",
    },
}




def open_case(browser, live, title: str, lang: str):
    """A browser that unlocked the test vault and started a case; requests leaving 127.0.0.1 are
    recorded and stopped (the list returned last)."""
    context = browser.new_context(locale=LOCALES[lang])
    seen: list[str] = []

    def handle(route):
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            seen.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    page = context.new_page()
    app = App(page)
    page.goto(live.launch_url())
    app.unlock("blue kettle under seven hills")
    app.start_case(title)
    return context, page, page.url.rsplit("/", 1)[0], seen


def saved_case(live, title: str):
    vault = next(iter(live.services.keyring._entries.values())).vault
    return vault.find_case(title)


def press(page, selector: str) -> None:
    """Tab to a button and press Enter, waiting for the page it leads to."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def button(text: str) -> str:
    return f"main button:has-text('{text}')"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_country_chosen_then_continue_is_saved(browser, live, lang):
    words = WORDS[lang]
    title = f"Country {lang}"
    context, page, base, seen = open_case(browser, live, title, lang)
    page.goto(f"{base}/takedown")
    assert_accessible(page, f"{lang}-saves-1-takedown")
    tab_to(page, "#country")
    page.keyboard.press("ArrowDown")  # the first country in the list; "Save" is not pressed
    chosen = page.locator("#country").input_value()
    assert chosen
    press(page, button(words["continue"]))
    assert page.url.endswith("/reports")
    assert_accessible(page, f"{lang}-saves-2-reports")
    case = saved_case(live, title)
    assert case.incident.country == chosen
    assert "takedown" in case.steps_done
    assert seen == []
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_files_chosen_then_done_with_this_step_are_added(browser, live, lang):
    words = WORDS[lang]
    title = f"Files {lang}"
    context, page, base, seen = open_case(browser, live, title, lang)
    page.goto(f"{base}/evidence")
    page.locator("#files").set_input_files(
        [{"name": "profile-SAMPLE.png", "mimeType": "image/png", "buffer": samples.png(320, 240)}]
    )  # the OS file picker's part; "Save these files" is not pressed
    assert_accessible(page, f"{lang}-saves-3-evidence")
    tab_to(page, button(words["done"]))
    with page.expect_navigation(url=re.compile(r"/timeline$"), timeout=60_000):
        page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text(words["saved_one"])
    assert_accessible(page, f"{lang}-saves-4-timeline")
    case = saved_case(live, title)
    assert [item.original_name for item in case.evidence] == ["profile-SAMPLE.png"]
    assert "evidence" in case.steps_done
    assert seen == []
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_two_tabs_on_the_story_never_overwrite_each_other(browser, live, lang):
    """Tab one saves its story; tab two, built before, cannot save over it, not even as a draft: it
    says so, keeps its text, shows both and lets the person choose (English keeps what tab two typed,
    French keeps the version tab one saved)."""
    words = WORDS[lang]
    title = f"Two tabs {lang}"
    context, first, base, seen = open_case(browser, live, title, lang)
    first.goto(f"{base}/story")
    second = context.new_page()
    second.goto(f"{base}/story")

    first.bring_to_front()
    tab_to(first, "#narrative")
    first.keyboard.type("SAMPLE: written in the first tab.")
    press(first, button(words["save"]))
    assert first.url.endswith("/accounts")

    second.bring_to_front()
    tab_to(second, "#narrative")
    second.keyboard.type("SAMPLE: written in the second tab.")
    status = second.locator(".autosave-status")
    expect(status).to_contain_text(words["draft_clash"], timeout=15_000)  # the draft is not saved over it
    expect(second.locator("#narrative")).to_have_value("SAMPLE: written in the second tab.")
    assert saved_case(live, title).incident.narrative == "SAMPLE: written in the first tab."
    assert_accessible(second, f"{lang}-saves-5-draft-clash")

    tab_to(second, "main form button.primary")
    with second.expect_navigation():
        second.keyboard.press("Enter")
    conflict = second.locator("section.conflict")
    expect(conflict).to_contain_text(words["clash"])
    expect(conflict).to_contain_text("SAMPLE: written in the first tab.")
    expect(second.locator("#narrative")).to_have_value("SAMPLE: written in the second tab.")
    assert saved_case(live, title).incident.narrative == "SAMPLE: written in the first tab."
    assert_accessible(second, f"{lang}-saves-6-conflict")

    keep = words["keep_typed"] if lang == "en" else words["keep_saved"]
    press(second, button(keep))
    assert second.url.endswith("/accounts")
    case = saved_case(live, title)
    kept = "second" if lang == "en" else "first"
    assert case.incident.narrative == f"SAMPLE: written in the {kept} tab."
    assert "story" in case.steps_done
    assert seen == []
    context.close()
