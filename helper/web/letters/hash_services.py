"""Keep the case number and PIN a hash-matching service (StopNCII, Take It Down) gave: those services
cannot find them again if they are lost.

The PIN is shown only after a deliberate click ("Show the PIN", a POST), and hidden again by going
back to the page: it is never behind an address the browser's history could open again, never in the
page's title (constant), never in a log (the server logs only the path), and the PIN box is always
empty when the page opens.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from helper import vocabulary
from helper.case import Case
from helper.casework import hash_services
from helper.web.letters import bp
from helper.web.letters.forms import NumbersForm, RevealForm
from helper.web.letters.planning import lang
from helper.web.services import services
from helper.web.views import case_or_404, vault_required


def _service_or_404(service: str) -> str:
    if service not in vocabulary.HASH_SERVICES:
        abort(404)
    return service


def _form(case: Case, service: str) -> NumbersForm:
    """The form as the page opens: the kept case number, an empty PIN box, and which numbers it shows."""
    kept = case.hash_case(service)
    return NumbersForm(
        formdata=None,
        data={
            "case_number": kept.case_number if kept else "",
            "pin": "",
            "shown": str(hash_services.kept_revision(case, service)),
        },
    )


def render_numbers(case: Case, service: str, form: NumbersForm, *, revealed=False, changed=False, status=200):
    found = next((s for s in services().content.removal if s.id == service), None)
    return (
        render_template(
            "letters/numbers.html",
            case=case,
            service_id=service,
            service=found,
            name=vocabulary.HASH_SERVICES.label(service),
            kept=case.hash_case(service),
            form=form,
            reveal=RevealForm(formdata=None),
            revealed=revealed,
            changed=changed,
            lang=lang(),
        ),
        status,
    )


@bp.route("/<case_id>/numbers/<service>", methods=["GET", "POST"])
@vault_required
def numbers(vault, case_id, service):
    case = case_or_404(vault, case_id)
    _service_or_404(service)
    if request.method == "GET":
        return render_numbers(case, service, _form(case, service))
    form = NumbersForm()
    if not form.validate_on_submit():
        return render_numbers(case, service, form, status=400)
    shown = form.shown.data or ""
    try:
        hash_services.keep_numbers(
            vault,
            case.id,
            service,
            case_number=form.case_number.data or "",
            pin=form.pin.data or "",
            shown=int(shown) if shown.isdigit() else None,
        )
    except hash_services.NothingToKeep:
        form.case_number.errors = [_("Type the case number or the PIN it gave you, or go back.")]
        return render_numbers(case, service, form, status=400)
    except hash_services.NumbersChanged:
        # Saved in another window meanwhile: nothing saved over it. What was typed stays in the boxes,
        # and sending it again now replaces what is kept, knowingly.
        latest = case_or_404(vault, case.id)
        form.shown.data = str(hash_services.kept_revision(latest, service))
        return render_numbers(latest, service, form, changed=True, status=409)
    flash(_("Kept, encrypted with the case. The PIN stays hidden until you ask to see it."), "success")
    return redirect(url_for("letters.numbers", case_id=case.id, service=service))


@bp.post("/<case_id>/numbers/<service>/pin")
@vault_required
def show_pin(vault, case_id, service):
    """The page again, with the PIN shown: only in answer to the person's click."""
    case = case_or_404(vault, case_id)
    _service_or_404(service)
    if not RevealForm().validate_on_submit():
        return redirect(url_for("letters.numbers", case_id=case.id, service=service))
    kept = case.hash_case(service)
    return render_numbers(case, service, _form(case, service), revealed=bool(kept and kept.pin))
