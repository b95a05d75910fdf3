"""The dossier's words in the reader's language, from the same catalogue as the app (Babel, no Flask)."""

from __future__ import annotations

from functools import cache

from babel.support import NullTranslations, Translations

from helper import PROJECT_ROOT

LANGUAGES = ("en", "fr")


@cache
def translator(lang: str) -> NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"no dossier language {lang!r}")
    if lang == "en":
        return NullTranslations()
    return Translations.load(str(PROJECT_ROOT / "translations"), [lang], domain="messages")
