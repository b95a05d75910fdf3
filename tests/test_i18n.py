"""English and French everywhere: every message has a French translation, and the compiled
catalogue matches its source."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
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


def load_po():
    with PO.open("rb") as f:
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


def test_every_message_has_a_french_translation():
    catalog = load_po()
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy
    }
    missing = sorted(extracted_ids() - translated)
    assert missing == [], f"run `make translations` and translate: {missing}"


def test_compiled_catalogue_is_up_to_date():
    def normal(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    source = {normal(m.id): normal(m.string) for m in load_po() if m.id and not m.fuzzy}
    compiled = {normal(m.id): normal(m.string) for m in read_mo(io.BytesIO(MO.read_bytes())) if m.id}
    assert compiled == source, "run `make translations` to compile translations/fr"


def test_placeholders_survive_translation():
    import re

    for message in load_po():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)s", ids[0]))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)s", string)) == wanted, message.id
