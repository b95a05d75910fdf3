"""Find copies: check a picture found elsewhere against the vault, in memory, without keeping it."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from helper.evidence.copies import NotAnImage, find_copies, probe
from helper.evidence.desk import REFUSED, Outcome
from helper.evidence.rejections import Rejected
from helper.web.evidence import bp
from helper.web.evidence.forms import FindCopiesForm, KeepCopyForm
from helper.web.services import evidence_desk, services, session_handle
from helper.web.uploads import MemoryUpload, keeps_upload_in_memory
from helper.web.views import case_or_404, vault_required


@bp.route("/<case_id>/copies", methods=["GET", "POST"])
@keeps_upload_in_memory(64 * 1024 * 1024)  # the picture is only compared, never kept
@vault_required
def find_copies_view(vault, case_id):
    case = case_or_404(vault, case_id)
    form = FindCopiesForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("evidence/copies.html", case=case, form=form, checked=False)
    upload = request.files.get("image")
    if upload is None or not isinstance(upload.stream, MemoryUpload) or not upload.stream.getbuffer().nbytes:
        flash(_("Please choose a picture to compare."), "warning")
        return render_template("evidence/copies.html", case=case, form=form, checked=False), 400
    data = upload.stream.getvalue()
    name = upload.filename or ""
    try:
        found = probe(data, name)
    except Rejected as exc:
        flash(Outcome(REFUSED, name, reason=exc.reason).message(_), "error")
        return render_template("evidence/copies.html", case=case, form=form, checked=False), 422
    except NotAnImage:
        flash(_("This file is not a picture. Find copies compares pictures only."), "warning")
        return render_template("evidence/copies.html", case=case, form=form, checked=False), 422
    cases = vault.cases()
    matches = find_copies(found, cases)
    keep = None
    if not case.incident.is_minor_path:
        keep = KeepCopyForm(token=services().keyring.hold(session_handle(), data, name))
    return render_template(
        "evidence/copies.html",
        case=case,
        form=FindCopiesForm(),
        checked=True,
        found=found,
        matches=matches,
        keep=keep,
    )


@bp.post("/<case_id>/copies/keep")
@vault_required
def keep_copy(vault, case_id):
    """The picture just checked, added to the case after all, at the person's request."""
    case_or_404(vault, case_id)
    form = KeepCopyForm()
    held = (
        services().keyring.take_held(session_handle(), form.token.data or "")
        if form.validate_on_submit()
        else None
    )
    if held is None:
        flash(_("That picture is no longer in memory. Please choose it again."), "warning")
        return redirect(url_for("evidence.find_copies_view", case_id=case_id))
    data, name = held
    # The same desk as every upload: on the under-18 path it refuses, as it does for any picture.
    outcome = evidence_desk(vault).receive_stream(
        case_id, io.BytesIO(data), name=name, intimate=bool(form.intimate.data)
    )
    if not outcome.saved:
        flash(outcome.message(_), "warning" if outcome.status == "minor" else "error")
        return redirect(url_for("cases.show", case_id=case_id))
    flash(_("The picture was saved and encrypted in this case."), "success")
    return redirect(url_for("cases.show", case_id=case_id))
