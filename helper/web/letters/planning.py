"""What the plan needs, on its own page and as a step of the walkthrough (a module with no views, so
the walkthrough need not import this blueprint's routes)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _

from helper.case import Case
from helper.letters.plan import plan
from helper.web.letters.forms import CountryForm
from helper.web.services import services

EU_CHOICE = "EU"


def lang() -> str:
    return get_locale().language


def now() -> datetime:
    return services().clock()


def country_choices():
    content = services().content
    listed = [(c.code, c.name.get(lang())) for c in content.countries if c.code != "INTL"]
    return [
        ("", _("Choose…")),
        *listed,
        (EU_CHOICE, _("Another country of the European Union")),
        ("INTL", _("Somewhere else")),
    ]


def country_name(code: str) -> str:
    """Where the person lives, in words (never the code), as the country form names it."""
    return str(dict(country_choices()).get(code, "")) if code else ""


def country_form(**kwargs) -> CountryForm:
    """The country form with its choices (`data={"country": ...}`: the one shown selected)."""
    form = CountryForm(**kwargs)
    form.country.choices = country_choices()
    return form


def plan_context(case: Case) -> dict:
    """What the plan needs, on its own page and as a walkthrough step."""
    writer = services().letters
    content = writer.content
    # A letter of the plan asks for the details of a complaint (état civil, the court): say where to add them.
    asks = {"civil_status", "court"}
    actions = plan(writer, case)
    return {
        "actions": actions,
        "asks_complaint": any(
            a.kind is not None and any(content.element(e).check in asks for e in a.kind.elements)
            for a in actions
        ),
        "country_form": country_form(data={"country": case.incident.country}),
        "country_name": country_name(case.incident.country),
        "whats_next": services().tracker.whats_next(case, now()),
    }
