"""The app's words in the reader's language, without Flask: the dossier, the letters and the command
line read the same catalogue (translations/) as the pages."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache

from babel import Locale
from babel.lists import format_list
from babel.support import NullTranslations, Translations

from helper.resources import data_dir
from helper.vocabulary import LANGUAGES


@cache
def translator(lang: str) -> NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"no language {lang!r}")
    if lang == "en":
        return NullTranslations()
    return Translations.load(str(data_dir("translations")), [lang], domain="messages")


def listed(items: Iterable[str], locale: Locale | str) -> str:
    """Names as the reader's language lists them ("Childline and IWF", "Childline et IWF"): never an
    English "and" or a bare comma joined in code."""
    words = [str(item) for item in items]
    return format_list(words, locale=locale) if words else ""


def terminal_language(environ: os._Environ | dict | None = None) -> str:
    """The terminal's language, as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG): `fr` for
    `fr_FR.UTF-8` or `fr_CA`, `es` for `es_ES.UTF-8`, `es_MX` or `es_US`; English when unset, `C` or a
    language the app does not speak."""
    env = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if not value:
            continue
        for choice in value.split(":"):  # LANGUAGE may list several, in order of preference
            lang = choice.split(".")[0].split("@")[0].split("_")[0].lower()
            if lang in LANGUAGES:
                return lang
        if variable != "LANGUAGE":
            break  # the first set LC_* / LANG decides, as gettext does
    return "en"
