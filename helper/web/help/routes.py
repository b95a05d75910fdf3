"""Help now: emergency numbers and crisis lines, one click from every page, even the closed one."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale

from helper.web.help import bp
from helper.web.help.countries import guess_country
from helper.web.services import services

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
