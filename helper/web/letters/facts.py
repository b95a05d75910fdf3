"""Where the person lives: the facts the plan and its letters rest on, shown on the plan and the
review, and the page that changes the country (the others are changed at their walkthrough step).

A save carries the revision the page was built from and the country it showed selected, so a stale
page never replaces, without saying so, a country another window chose."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from helper.casework import walkthrough
from helper.casework.walkthrough import EditConflict
from helper.web.letters import bp
from helper.web.letters.planning import country_form, country_name
from helper.web.views import case_or_404, vault_required
from helper.web.walkthrough.edits import page_revision

# Where "Save" goes back to: the plan page, the walkthrough's plan step, or the review.
BACK = {
    "": "letters.takedown",
    "walkthrough": "walkthrough.takedown",
    "review": "walkthrough.review",
}


def _back() -> str:
    back = request.values.get("back", "")
    return back if back in BACK else ""


@bp.route("/<case_id>/country", methods=["GET", "POST"])
@vault_required
def country(vault, case_id):
    """The country form on a page of its own, the current choice selected. The plan's own box (shown
    while no country is chosen) posts here too."""
    case = case_or_404(vault, case_id)
    back = _back()
    there = url_for(BACK[back], case_id=case.id)
    if request.method == "GET":
        form = country_form(data={"country": case.incident.country})
        return render_template("letters/country.html", case=case, form=form, back=back, back_url=there)
    form = country_form()
    if not form.validate_on_submit():
        return render_template("letters/country.html", case=case, form=form, back=back, back_url=there), 400
    shown = request.form.get("shown_country", "")
    try:
        walkthrough.set_country(
            vault, case.id, walkthrough.country_edit(form.country.data or "", page_revision(), shown)
        )
    except EditConflict as conflict:
        flash(
            _(
                "Another window had already saved where you live: %(saved)s. Your choice, %(typed)s, was "
                "not saved over it.",
                saved=country_name(conflict.saved["country"]) or conflict.saved["country"],
                typed=country_name(conflict.typed["country"]) or conflict.typed["country"],
            ),
            "warning",
        )
    else:
        flash(_("Saved."), "success")
    return redirect(there)
