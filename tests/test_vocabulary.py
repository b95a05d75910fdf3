"""One vocabulary: every code the record stores has its label, and no person ever reads a code, or
English inside French, on a page or in the dossier."""

from __future__ import annotations

import ast
import html
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from helper import vocabulary
from helper.dossier import DossierOptions, export_dossier
from helper.evidence.rejections import REASONS
from helper.i18n import translator
from tests.support.cases import case_with_everything

ROOT = Path(__file__).resolve().parent.parent


def test_every_refusal_reason_has_its_sentence():
    assert vocabulary.REFUSALS.codes == REASONS


def test_the_record_stores_the_vocabularys_codes():
    from helper import case

    assert vocabulary.PAYMENT_METHODS.codes == case.PAYMENT_METHODS
    assert vocabulary.REPORT_TARGETS.codes == case.REPORT_TARGETS
    assert vocabulary.KINDS.codes == case.KINDS


def _journal_code_arguments(node: ast.Call) -> list[ast.expr]:
    """The journal codes a call writes: `update_case(id, change, CODE, …)`, `note(id, CODE, …)`, and
    the first element of each `(CODE, detail)` in `events=[…]`."""
    name = getattr(node.func, "attr", "")
    if name not in ("update_case", "note", "note_handed_out"):
        return []
    found = []
    if name == "update_case" and len(node.args) > 2:
        found.append(node.args[2])
    if name in ("note", "note_handed_out") and len(node.args) > 1:
        found.append(node.args[1])
    for keyword in node.keywords:
        if keyword.arg == "action":
            found.append(keyword.value)
        if keyword.arg == "events" and isinstance(keyword.value, ast.List | ast.Tuple):
            found += [e.elts[0] for e in keyword.value.elts if isinstance(e, ast.Tuple) and e.elts]
    return found


def _code_of(expression: ast.expr) -> list[str]:
    """The codes an argument can be: a named constant of the vocabulary (either branch of `a if c else b`)."""
    if isinstance(expression, ast.IfExp):
        return _code_of(expression.body) + _code_of(expression.orelse)
    name = getattr(expression, "id", None) or getattr(expression, "attr", None)
    if isinstance(expression, ast.Constant) and expression.value is None:
        return []  # a draft: no journal entry
    value = getattr(vocabulary, name, None) if isinstance(name, str) and name.isupper() else None
    return [value if isinstance(value, str) else f"<not a named code: {ast.unparse(expression)}>"]


def test_every_journal_action_the_code_writes_is_a_named_code_with_a_label():
    """Whatever writes a journal entry names its code by a constant of `helper.vocabulary`, and that
    code has a label the chain of custody shows."""
    written = set()
    for path in (ROOT / "helper").rglob("*.py"):
        if path.is_relative_to(ROOT / "helper/vault"):
            continue  # the engine passes its callers' codes on (its own are checked in test_architecture)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                for argument in _journal_code_arguments(node):
                    written.update(_code_of(argument))
    assert len(written) > 10
    assert written <= set(vocabulary.JOURNAL_ACTIONS.codes), written - set(vocabulary.JOURNAL_ACTIONS.codes)


def test_labels_are_translated_and_unknown_codes_are_refused():
    fr = translator("fr").gettext
    assert vocabulary.PAYMENT_METHODS.label("gift_card", fr) == "Carte cadeau"
    assert vocabulary.PAYMENT_METHODS.label("paypal", fr) == "PayPal"  # a brand stays a brand
    with pytest.raises(vocabulary.UnknownCode):
        vocabulary.PAYMENT_METHODS.label("bitcoin")


# -- a case that uses every code, seen in English and French ------------------------------------

# Codes that read like words ("crypto", "police") may appear in ordinary text; these never may.
RAW_CODES = sorted(
    {
        t.code
        for v in vocabulary.ALL
        for t in v
        if t.translate and ("_" in t.code or "." in t.code or "-" in t.code)
    }
)


def labels_foreign_to(lang: str) -> list[str]:
    """The labels a page in `lang` must not show: each English label its catalogue says otherwise, and
    each label as the other languages write it where `lang` writes it differently."""
    own = translator(lang).gettext
    labels = set()
    for other in ("en", "fr", "es"):
        if other == lang:
            continue
        theirs = translator(other).gettext
        for label in english_labels_that_differ_in(lang):
            if theirs(label) != own(label) and len(theirs(label)) > 4:
                labels.add(theirs(label))
    return sorted(labels)


def english_labels_that_differ_in(lang: str = "fr") -> list[str]:
    fr = translator(lang).gettext
    labels = set()
    for v in (
        vocabulary.PAYMENT_METHODS,
        vocabulary.PAYMENT_STATE_SHORT,
        vocabulary.PAYMENT_DETAILS,
        vocabulary.REPORT_TARGETS,
        vocabulary.TIMELINE_KINDS,
        vocabulary.JOURNAL_ACTIONS,
        vocabulary.MINOR_ANSWERS,
        vocabulary.KINDS,
    ):
        for t in v:
            if t.translate and fr(t.label) != t.label and len(t.label) > 4:
                labels.add(t.label)
    return sorted(labels)


@pytest.fixture
def everything(unlocked):
    return case_with_everything(unlocked)


def visible_text(page: str) -> str:
    """What a person reads: no tags, no attribute values (a `<option value="gift_card">` is fine)."""
    body = page.split("<main", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with table cells' line wraps undone."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_no_page_shows_a_code_or_another_language(client, everything, lang):
    client.post("/session/language", data={"csrf_token": _token(client), "lang": lang})
    pages = [f"/cases/{everything}", f"/walkthrough/{everything}/review", f"/dossier/{everything}"]
    pages += [
        f"/walkthrough/{everything}/{step}" for step in ("payments", "reports", "timeline", "kind", "age")
    ]
    for path in pages:
        text = visible_text(client.get(path).get_data(as_text=True))
        for code in RAW_CODES:
            assert code not in text, (path, code)
        if lang != "en":
            for label in labels_foreign_to(lang):
                assert not re.search(rf"\b{re.escape(label)}\b", text), (path, label)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_dossier_shows_no_code_and_no_other_language(unlocked, everything, lang):
    text = pdf_text(export_dossier(unlocked, everything, DossierOptions(lang=lang)))
    for code in RAW_CODES:
        assert code not in text, code
    for label in ("Gift card", "Bank transfer", "A platform or app", "The police"):
        assert (label in text) == (lang == "en"), label
    if lang == "fr":
        for english in ("Wallet:", "Tx:", "Gift card:", "Handle:", "Note:", "File added", "Case started"):
            assert english not in text, english
        for french in ("Carte cadeau", "Adresse de portefeuille", "La police", "Fichier ajouté"):
            assert (french in text) == (lang == "fr"), french
    if lang == "es":
        for english in ("Wallet:", "Tx:", "Gift card:", "Handle:", "Note:", "File added", "Case started"):
            assert english not in text, english
        for spanish in ("Tarjeta regalo", "Dirección de la billetera", "La policía", "Archivo añadido"):
            assert spanish in text, spanish
        for label in labels_foreign_to("es"):
            assert not re.search(rf"\b{re.escape(label)}\b", text), label


def _token(client) -> str:
    from tests.support.web import csrf_token

    return csrf_token(client, "/cases/")
