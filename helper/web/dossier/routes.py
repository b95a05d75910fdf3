"""Export a case's dossier: built in memory, handed to the browser as a download."""

from __future__ import annotations

import logging
import re
from datetime import date

from flask import Response, abort, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from helper.dossier import DossierOptions, export_dossier
from helper.dossier.bundle import originals_bundle
from helper.dossier.data import item_numbers
from helper.vault import MissingItem, TamperedItem
from helper.vocabulary import LANGUAGES
from helper.web.dossier import bp
from helper.web.dossier.forms import DossierForm
from helper.web.dossier.progress import is_token, new_token
from helper.web.evidence.media import attachment, changed_item_page
from helper.web.services import services, session_handle
from helper.web.views import case_or_404, vault_required

log = logging.getLogger(__name__)


# Up to this many files, the page lists each with a box to untick; past it, the person types the
# numbers of those to leave out (a list of thousands of boxes helps nobody, and costs every visit).
LIST_ITEMS_UP_TO = 200


def _chosen_items(case, form: DossierForm, listed: bool) -> frozenset[str] | None:
    """The ids of the files to include (None: all), or an error on the form."""
    if listed:
        if not request.form.get("items_listed"):
            return None
        return frozenset(request.form.getlist("item")) & {it.id for it in case.evidence}
    try:
        left_out = item_numbers(form.leave_out.data or "", len(case.evidence))
    except ValueError as exc:
        form.leave_out.errors = [
            _("“%(part)s” is not a file number of this case (E1 to E%(last)s).")
            % {"part": str(exc)[:20], "last": len(case.evidence)}
        ]
        return None
    if not left_out:
        return None
    return frozenset(it.id for n, it in enumerate(case.evidence, start=1) if n not in left_out)


@bp.route("/<case_id>", methods=["GET", "POST"])
@vault_required
def export(vault, case_id):
    case = case_or_404(vault, case_id)
    form = DossierForm()
    if request_is_get := not form.is_submitted():
        form.lang.data = get_locale().language if get_locale().language in LANGUAGES else "en"
    listed = len(case.evidence) <= LIST_ITEMS_UP_TO
    valid = not request_is_get and form.validate_on_submit()
    chosen = _chosen_items(case, form, listed) if valid else None
    if not valid or form.leave_out.errors:
        status = 200 if request_is_get else 400
        page = render_template(
            "dossier/export.html", case=case, form=form, listed=listed, progress=new_token()
        )
        return page, status
    intimate = (
        frozenset(it.id for it in case.evidence if it.intimate)
        if form.intimate.data == "show"
        else frozenset()
    )
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
    pdf = _export_followed(vault, case_id, options, request.form.get("progress", ""))
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = attachment(f"dossier{suffix}.pdf")
    return response


def _export_followed(vault, case_id: str, options: DossierOptions, token: str) -> bytes:
    """The dossier, its progress told to the page that asked for it under `token` (its script shows a
    bar; without script nothing asks, and the download comes all the same)."""
    handle = session_handle()
    if not handle or not is_token(token):
        return export_dossier(vault, case_id, options)
    board = services().dossier_progress
    try:
        pdf = export_dossier(vault, case_id, options, on_progress=board.start(handle, token))
    except BaseException:
        board.finish(handle, token, failed=True)
        raise
    board.finish(handle, token)
    return pdf


@bp.get("/<case_id>/progress/<token>")
def progress(case_id, token):
    """How far the dossier this page asked for has come: {"done", "total", "finished", "failed"}. Only
    the browser session that asked can read it; asking touches no key (the idle lock runs on)."""
    handle = session_handle()
    stage = services().dossier_progress.get(handle, token) if handle and is_token(token) else None
    if stage is None:
        abort(404)
    return jsonify(
        {"done": stage.done, "total": stage.total, "finished": stage.finished, "failed": stage.failed}
    )
