"""Checks that a page in Spanish shows no sentence of the English or French interface (the Spanish
browser tests share them)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.support.browser import assert_accessible

ROOT = Path(__file__).resolve().parents[2]


@cache
def foreign_sentences() -> tuple[str, ...]:
    """The interface's sentences as English and French write them, where Spanish writes them otherwise:
    long enough (12 characters) that no Spanish sentence or sample value contains one by chance."""
    with (ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        spanish = read_po(f)
    with (ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        french = read_po(f)
    found: set[str] = set()
    for message in spanish:
        if not message.id or isinstance(message.id, tuple):
            continue
        es = str(message.string)
        fr = str(french[message.id].string) if message.id in french else ""
        for other in (str(message.id), fr):
            # Only what stands without placeholders: a filled one reads otherwise on the page.
            if other and other != es and len(other) >= 12 and "%(" not in other:
                found.add(other)
    return tuple(sorted(found))


def page_words(page) -> str:
    """What the page says in its own language: the main part and the header, without the letter
    written for its recipient (a `lang` of its own) and without the language switch."""
    return page.evaluate(
        """() => {
            const copy = document.body.cloneNode(true);
            copy.querySelectorAll('[lang]:not(html), textarea, form.language').forEach(e => e.remove());
            return copy.innerText;
        }"""
    )


def assert_spanish(page, label: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^es"))
    text = " ".join(page_words(page).split())
    shown = [sentence for sentence in foreign_sentences() if " ".join(sentence.split()) in text]
    assert shown == [], (label, shown)
    assert_accessible(page, f"es-{label}")
