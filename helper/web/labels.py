"""The vocabulary's labels for pages and forms, in the language of the request (Flask-Babel).

`helper/vocabulary.py` owns every code and its English message id; this only translates them lazily
for WTForms choices and offers them to templates (`{{ payment.method | label(vocab.PAYMENT_METHODS) }}`).
"""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext, lazy_gettext
from wtforms.fields.choices import SelectChoice

from helper import vocabulary
from helper.vocabulary import Vocabulary


def choices(vocab: Vocabulary, blank: object | None = None) -> list[SelectChoice]:
    """A form's choices, one per code, labelled in the request's language; `blank` first when given."""
    options = [SelectChoice("", blank)] if blank is not None else []
    options += [SelectChoice(t.code, lazy_gettext(t.label) if t.translate else t.label) for t in vocab]
    return options


def label(code: str | None, vocab: Vocabulary) -> str:
    """A stored code in words; empty for no code. A code the vocabulary lacks is never shown raw."""
    if not code:
        return ""
    if code not in vocab:
        return gettext("(unknown)")
    return vocab.label(code, gettext)


def init_labels(app: Flask) -> None:
    app.jinja_env.globals["vocab"] = vocabulary
    app.jinja_env.filters["label"] = label
