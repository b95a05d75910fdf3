"""English, French and Spanish everywhere: every message has its French and its Spanish translation,
and each compiled catalogue matches its source."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = ("fr", "es")  # every language but English, whose words are the message ids
# The same keywords as `make translations`: N_ marks the vocabulary, say/warn the command line.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "_l": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "say": None,
    "warn": None,
}


def po_path(lang: str) -> Path:
    return ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"


def load_po(lang: str):
    with po_path(lang).open("rb") as f:
        return read_po(f)


def extracted_ids() -> set[str]:
    ids = set()
    for sub, method in (("helper", "python"), ("templates", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        for _, _, message, _, _ in extract_from_dir(
            ROOT / sub, method_map=[(pattern, method)], keywords=KEYWORDS, comment_tags=()
        ):
            ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_has_its_translation(lang):
    catalog = load_po(lang)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy
    }
    missing = sorted(extracted_ids() - translated)
    assert missing == [], f"run `make translations` and translate: {missing}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalogue_is_up_to_date(lang):
    def normal(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    source = {normal(m.id): normal(m.string) for m in load_po(lang) if m.id and not m.fuzzy}
    mo = po_path(lang).with_suffix(".mo")
    compiled = {normal(m.id): normal(m.string) for m in read_mo(io.BytesIO(mo.read_bytes())) if m.id}
    assert compiled == source, f"run `make translations` to compile translations/{lang}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_survive_translation(lang):
    import re

    for message in load_po(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)s", ids[0]))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)s", string)) == wanted, message.id


# -- the language a page speaks --------------------------------------------------------------------


def test_the_browsers_language_is_honoured_on_first_start(client):
    page = client.get("/cases/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    text = page.get_data(as_text=True)
    assert '<html lang="es' in text
    assert "Tus casos" in text
    assert "Your cases" not in text
    assert "Vos dossiers" not in text


@pytest.mark.parametrize(
    ("lang", "offered"),
    [("en", ("fr", "es")), ("fr", ("en", "es")), ("es", ("en", "fr"))],
)
def test_the_language_switch_offers_the_other_two_languages(client, lang, offered):
    from helper.vocabulary import LANGUAGE_NAMES
    from tests.support.web import csrf_token

    client.post("/session/language", data={"csrf_token": csrf_token(client, "/cases/"), "lang": lang})
    text = client.get("/cases/").get_data(as_text=True)
    assert f'<html lang="{lang}' in text
    switch = text.split('class="language"', 1)[1].split("</form>", 1)[0]
    for code in offered:
        assert f'value="{code}" lang="{code}">{LANGUAGE_NAMES[code]}</button>' in switch
    assert f'value="{lang}"' not in switch


# -- content in the reader's language --------------------------------------------------------------


def test_every_content_text_has_its_spanish():
    """The loader refuses a text without its Spanish; this says which records would be refused."""
    import tomllib

    from helper.vocabulary import LANGUAGES

    lacking = []

    def walk(node, where):
        if isinstance(node, dict):
            if "en" in node and all(isinstance(v, str) for v in node.values()):
                if set(node) != set(LANGUAGES) or not all(node[lang].strip() for lang in node):
                    lacking.append(f"{where}: {node['en'][:50]}")
                return
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    for path in sorted((ROOT / "content").rglob("*.toml")):
        walk(tomllib.loads(path.read_text(encoding="utf-8")), path.relative_to(ROOT).as_posix())
    assert lacking == []


def test_a_spanish_help_page_reads_its_content_in_spanish(client):
    from tests.support.web import csrf_token

    client.post("/session/language", data={"csrf_token": csrf_token(client, "/cases/"), "lang": "es"})
    text = client.get("/help/?country=US").get_data(as_text=True)
    assert "Manda un SMS al 988" in text
    assert "Gratis y confidencial" in text
    for foreign in ("Text 988", "SMS au 988", "Free and confidential", "Gratuit et confidentiel"):
        assert foreign not in text, foreign
