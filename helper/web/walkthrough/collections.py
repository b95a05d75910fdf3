"""Steps that collect a list (accounts, threats, payments...): add, edit, remove, then go on.

One view serves them all; each collection declares its form, its record type and how to
summarise an entry in one line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, RadioField

from helper import vocabulary
from helper.case import Account, Case, Event, Original, Payment, Place, Report, Threat
from helper.timeline import build_timeline
from helper.web.filters import moment
from helper.web.labels import label
from helper.web.moments import parse_day, parse_moment, to_minutes
from helper.web.walkthrough import forms


@dataclass(frozen=True)
class CollectionStep:
    step: str
    collection: str
    form: type[FlaskForm]
    entry: type
    summary: Callable[[Any], str]
    template: str = "walkthrough/collection.html"
    context: Callable[[Case], dict[str, Any]] | None = None  # more for the template, from the case


def _join(*parts: str | None) -> str:
    return " · ".join(p for p in parts if p)


COLLECTION_STEPS: dict[str, CollectionStep] = {
    s.step: s
    for s in (
        CollectionStep(
            "accounts",
            "accounts",
            forms.AccountForm,
            Account,
            lambda a: _join(a.platform, a.handle or a.display_name, a.platform_id),
        ),
        CollectionStep(
            "threats",
            "threats",
            forms.ThreatForm,
            Threat,
            lambda t: _join(
                moment(t.received_at), (t.wording[:80] + "…") if len(t.wording) > 80 else t.wording
            ),
        ),
        CollectionStep(
            "payments",
            "payments",
            forms.PaymentForm,
            Payment,
            lambda p: _join(
                moment(p.at),
                " ".join(x for x in (p.amount, p.currency) if x),
                label("paid" if p.paid else "demanded", vocabulary.PAYMENT_STATE_SHORT),
            ),
        ),
        CollectionStep(
            "places", "places", forms.PlaceForm, Place, lambda p: _join(moment(p.seen_on), p.platform, p.url)
        ),
        CollectionStep(
            "originals",
            "originals",
            forms.OriginalForm,
            Original,
            lambda o: _join(o.description, o.where_posted),
        ),
        CollectionStep(
            "reports",
            "reports",
            forms.ReportForm,
            Report,
            lambda r: _join(
                moment(r.made_on), r.name or label(r.target, vocabulary.REPORT_TARGETS), r.reference
            ),
        ),
        CollectionStep(
            "timeline",
            "events",
            forms.EventForm,
            Event,
            lambda e: _join(moment(e.at), e.text),
            template="walkthrough/timeline.html",
            context=lambda case: {"timeline": build_timeline(case)},
        ),
    )
}


def _asked(spec: CollectionStep) -> list[dataclasses.Field]:
    """The entry's fields the step's form asks for. Others (a report's tracker status, its replies)
    are set elsewhere and kept as they are when the entry is edited here."""
    return [f for f in dataclasses.fields(spec.entry) if f.name != "id" and hasattr(spec.form, f.name)]


def form_is_blank(spec: CollectionStep, form: FlaskForm) -> bool:
    """Nothing typed in the entry's form (a radio left at its default counts as nothing)."""
    for f in _asked(spec):
        field = form[f.name]
        raw = " ".join(v for v in (field.raw_data or []) if isinstance(v, str)).strip()
        if raw and raw != (field.default or ""):
            return False
    return True


def entry_values(spec: CollectionStep, form: FlaskForm) -> dict[str, Any]:
    """The values of the entry the form asks for, as the record keeps them. What the form does not ask
    (a report's tracking) is kept from the saved entry when one is edited."""
    values: dict[str, Any] = {}
    for f in _asked(spec):
        field = form[f.name]
        data = field.data
        if isinstance(field, DateTimeLocalField):
            values[f.name] = to_minutes(data)
        elif isinstance(field, DateField):
            values[f.name] = data.isoformat() if data else None
        elif f.name == "paid":
            values[f.name] = data == "paid"
        else:
            values[f.name] = (data or "").strip()
    return values


def asked_values(spec: CollectionStep, entry: Any) -> dict[str, Any]:
    """The values of a saved entry that the step's form shows."""
    return {f.name: getattr(entry, f.name) for f in _asked(spec)}


def form_data(spec: CollectionStep, values: dict[str, Any]) -> dict[str, Any]:
    """The form's data for an entry's values, as the record keeps them."""
    form = spec.form
    data: dict[str, Any] = {}
    for f in _asked(spec):
        value = values.get(f.name)
        unbound = getattr(form, f.name)
        field_class = unbound.field_class
        if field_class is DateTimeLocalField:
            data[f.name] = parse_moment(value)
        elif field_class is DateField:
            data[f.name] = parse_day(value)
        elif field_class is RadioField and f.name == "paid":
            data[f.name] = "paid" if value else "demanded"
        else:
            data[f.name] = value
    return data


def form_data_from_entry(spec: CollectionStep, entry: Any) -> dict[str, Any]:
    return form_data(spec, asked_values(spec, entry))


# Fields whose stored value is a code, and the vocabulary that puts it into words.
CODED_FIELDS = {
    "method": vocabulary.PAYMENT_METHODS,
    "target": vocabulary.REPORT_TARGETS,
    "status": vocabulary.REPORT_STATUSES,
    "channel": vocabulary.REPORT_CHANNELS,
}
# What the tracker records about a report beyond the step's own questions, as the review names it.
TRACKED = {"status": _l("Status"), "channel": _l("How"), "sent_at": _l("When did you send it?")}


def entry_details(spec: CollectionStep, entry: Any) -> list[tuple[str, str]]:
    """Every value recorded in an entry, each with its question's label, as the person will proofread
    it before the dossier and the letters use it. Codes and dates are put into words."""
    form = spec.form(formdata=None, meta={"csrf": False})
    rows = []
    for f in dataclasses.fields(entry):
        if f.name == "id" or (not hasattr(spec.form, f.name) and f.name not in TRACKED):
            continue
        value = getattr(entry, f.name)
        field = form[f.name] if hasattr(spec.form, f.name) else None
        if f.name == "paid":
            shown = label("paid" if value else "demanded", vocabulary.PAYMENT_STATE_SHORT)
        elif f.name in CODED_FIELDS:
            shown = label(value, CODED_FIELDS[f.name])
        elif isinstance(field, DateTimeLocalField | DateField) or f.name == "sent_at":
            shown = moment(value)
        else:
            shown = value or ""
        if shown:
            rows.append((str(field.label.text if field else TRACKED[f.name]), shown))
    return rows
