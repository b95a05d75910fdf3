"""What a page carries so that a save from a stale page is never applied blindly.

Every form that saves part of a case carries the revision it was built from and a fingerprint of each
value as it showed it (`shown`); after a conflict, also a fingerprint of each saved value it showed
beside what was typed (`saved`), and the person's choice comes as `keep`. The merge itself is the
casework's (`helper.casework.walkthrough`); this module only reads and writes those hidden fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import request
from flask_babel import gettext as _
from wtforms import BooleanField, DateField, DateTimeLocalField, RadioField, SelectField

from helper.casework.walkthrough import Edit, EditConflict, fingerprints
from helper.web.filters import moment


def encode(prints: Mapping[str, str]) -> str:
    return " ".join(f"{name}:{value}" for name, value in prints.items())


def decode(text: str) -> dict[str, str]:
    pairs = (part.partition(":") for part in text.split())
    return {name: value for name, _sep, value in pairs if name and value}


def page_revision() -> int | None:
    """The revision the page that sent this form was built from (None: not from a page of ours)."""
    revision = request.form.get("revision", "")
    return int(revision) if revision.isdigit() else None


def page_edit(values: Mapping[str, Any]) -> Edit:
    """The values a form sent, with the revision and fingerprints the page carried, and the person's
    choice after a conflict."""
    return with_choice(Edit(values, page_revision(), decode(request.form.get("shown", ""))))


def with_choice(edit: Edit) -> Edit:
    """The person's answer to a conflict, if this form brings one."""
    keep = request.form.get("keep", "")
    return edit.choosing(keep, decode(request.form.get("saved", ""))) if keep else edit


@dataclass(frozen=True)
class Clash:
    """One field both windows changed, as the conflict box shows it."""

    label: str
    saved: str
    typed: str


@dataclass(frozen=True)
class PageState:
    """The hidden fields of a form that saves, and the conflict box when there is one."""

    revision: int
    shown: str
    saved: str = ""
    clashes: tuple[Clash, ...] = ()


def state_for(revision: int, values: Mapping[str, Any]) -> PageState:
    """A page built from `revision`, showing `values`; or, when this request is a form a page sent and
    it is shown again (to fix what failed its checks), still that page's revision and fingerprints: a
    typo fixed never makes a stale page look fresh."""
    sent = page_revision()
    if request.method == "POST" and sent is not None:
        return PageState(sent, request.form.get("shown", ""), request.form.get("saved", ""))
    return PageState(revision, encode(fingerprints(values)))


def state_after(edit: Edit, conflict: EditConflict, form) -> PageState:
    """The page shown after a conflict: still from the revision it was built from (so that a draft
    saved before the person chooses is refused too), with both versions of each clashing field."""
    clashes = tuple(
        Clash(str(form[name].label.text), shown_value(form[name], conflict.saved[name]),
              shown_value(form[name], conflict.typed[name]))
        for name in conflict.fields
    )  # fmt: skip
    return PageState(
        edit.revision if edit.revision is not None else 0,
        encode(conflict.shown),
        encode(fingerprints(conflict.saved)),
        clashes,
    )


def shown_value(field, value: Any) -> str:
    """A stored value in words, as the field asks it."""
    if isinstance(field, BooleanField):
        return _("Yes") if value else _("No")
    if value in (None, ""):
        return _("(nothing)")
    if isinstance(field, RadioField) and isinstance(value, bool):
        value = "paid" if value else "demanded"  # the one yes/no kept as a bool: a payment's state
    if isinstance(field, RadioField | SelectField):
        return str(next((choice[1] for choice in field.iter_choices() if choice[0] == value), value))
    if isinstance(field, DateField | DateTimeLocalField):
        return moment(value)
    return str(value)
