"""Export a case's dossier: built in memory, handed to the browser as a download."""

from __future__ import annotations

import logging
import re
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale

from helper.dossier import DossierOptions, export_dossier
from helper.dossier.bundle import originals_bundle
from helper.vault import MissingItem, TamperedItem
from helper.web.dossier.forms import DossierForm
from helper.web.evidence.media import attachment, changed_item_page
from helper.web.views import case_or_404, vault_required

bp = Blueprint("dossier", __name__, url_prefix="/dossier")
log = logging.getLogger(__name__)


@bp.route("/<case_id>", methods=["GET", "POST"])
@vault_required
def export(vault, case_id):
    case = case_or_404(vault, case_id)
    form = DossierForm()
    if request_is_get := not form.is_submitted():
        form.lang.data = "fr" if str(get_locale()).startswith("fr") else "en"
    if request_is_get or not form.validate_on_submit():
        status = 200 if request_is_get else 400
        return render_template("dossier/export.html", case=case, form=form), status
    intimate = (
        frozenset(it.id for it in case.evidence if it.intimate)
        if form.intimate.data == "show"
        else frozenset()
    )
    chosen = None
    if request.form.get("items_listed"):  # the page listed the items: keep only the ticked ones
        chosen = frozenset(request.form.getlist("item")) & {it.id for it in case.evidence}
    options = DossierOptions(
        lang=form.lang.data,
        person=(form.person.data or "").strip(),
        password=form.password.data or "",
        show_intimate=intimate,
        hide_intimate=form.intimate.data == "hide",
        redact_names=bool(form.redact_names.data),
        show_title=bool(form.show_case_name.data),
        letters=bool(form.letters.data),
        counselor_notes=bool(form.counselor_notes.data),
        items=chosen,
    )
    # The download's name: neutral unless the person chose to print the case's name.
    day = date.today().isoformat()
    name = re.sub(r"[^\w\- ]+", "", case.title).strip()[:60] if options.show_title else ""
    suffix = f" - {name}" if name else f" {day}"
    if request.form.get("action") == "originals":
        try:
            pieces = originals_bundle(vault, case_id, options)
        except (MissingItem, TamperedItem) as exc:
            item = case.item(exc.item_id)
            return changed_item_page(item) if item else abort(404)
        response = Response(pieces, mimetype="application/zip")
        response.headers["Content-Disposition"] = attachment(f"originals{suffix}.zip")
        return response
    pdf = export_dossier(vault, case_id, options)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = attachment(f"dossier{suffix}.pdf")
    return response
