"""Help now: emergency numbers and crisis lines, one click from every page, even the closed one."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale

from helper.web.services import services

bp = Blueprint("help", __name__, url_prefix="/help")

# Where the browser's language names a region we know, start there.
_REGIONS = {"US": "US", "FR": "FR", "GB": "GB", "UK": "GB", "CA": "CA", "AU": "AU"}


def guess_country() -> str:
    """The country the browser's languages point to (fr-CA: Canada; plain fr: France)."""
    for value, _quality in request.accept_languages:
        parts = value.replace("_", "-").split("-")
        if len(parts) > 1 and parts[1].upper() in _REGIONS:
            return _REGIONS[parts[1].upper()]
    best = request.accept_languages.best or ""
    return "FR" if best.lower().startswith("fr") else "INTL"


# Removal services for young people that work wherever they live.
YOUNG_WORLDWIDE = ("take-it-down",)


@bp.get("/")
def index():
    content = services().content
    codes = {c.code for c in content.countries}
    chosen = request.args.get("country", "").upper()
    if chosen not in codes:
        chosen = guess_country()
    return render_template(
        "help/index.html",
        country=content.country(chosen),
        lines=content.lines_for(chosen),
        countries=content.countries,
        removal=[s for s in content.removal if s.audience == "everyone" or s.id in YOUNG_WORLDWIDE],
        lang=get_locale().language,
    )
