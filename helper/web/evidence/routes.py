"""Receiving evidence. The bytes were already encrypted while they arrived (see web/uploads.py)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import unquote

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from helper.case import MinorImageRefused
from helper.casework import evidence
from helper.evidence.desk import REFUSED, Incoming, Outcome
from helper.vault import CaseNotFound, DamagedCase, ItemNotFound
from helper.web.counselor import mode as counselor_mode
from helper.web.counselor.forms import ConsentForm
from helper.web.evidence import bp
from helper.web.evidence.forms import DownloadForm, ItemForm, LinkForm, RemoveItemForm, RevealForm
from helper.web.evidence.media import is_visible, preview_kind, text_preview
from helper.web.evidence.ordering import upload_position
from helper.web.evidence.receiving import after_upload, declared_media_type
from helper.web.moments import parse_moment, to_minutes
from helper.web.services import current_vault, evidence_desk, keep_alive, services
from helper.web.uploads import streams_uploads
from helper.web.views import item_or_404, vault_required

log = logging.getLogger(__name__)

MINOR_ITEM_REFUSAL = _l(
    "Because the person in the images was under 18, an intimate image cannot be kept, even by you. Please "
    "remove this file from the case, and use Take It Down or Report Remove to get the images taken down."
)


@bp.app_context_processor
def upload_limits():
    """What the upload form's script checks before sending a file (the server checks again)."""
    return {
        "max_upload_bytes": services().config.max_upload_bytes,
        "refusal_too_large": Outcome(REFUSED, "{name}", reason="too_large").message(_),
    }


# Where a problem sends the person after a form upload: the status's page.
def _after_problem(case_id: str, outcome: Outcome):
    if outcome.status == "case_gone":
        return redirect(url_for("cases.index"))
    if outcome.status == "locked":
        return redirect(url_for("session.unlock"))
    return after_upload(case_id)


@bp.post("/<case_id>/upload")
@streams_uploads
@vault_required
def upload(vault, case_id):
    """The form's files (no script): already encrypted as they arrived; the desk decides each one."""
    received = [f for f in request.files.getlist("files") if isinstance(f.stream, Incoming)]
    rules = {
        "intimate": bool(request.form.get("intimate")),
        "declared_not_intimate": bool(request.form.get("no_intimate")),
    }
    desk = evidence_desk(vault)
    try:
        early = desk.precheck(case_id, **rules)
        if early is not None:
            flash(early.message(_), "warning" if early.status == "minor" else "error")
            return _after_problem(case_id, early)
        outcomes = [
            desk.receive(
                case_id,
                storage.stream,
                name=storage.filename or "",
                media_type=declared_media_type(storage.mimetype),
                **rules,
            )
            for storage in received
            if storage.filename or storage.stream.tell()  # not the empty part sent when none was chosen
        ]
    finally:
        for storage in received:
            storage.stream.discard()  # a no-op for the saved ones
    saved = sum(o.saved for o in outcomes)
    if saved:
        flash(
            ngettext("%(num)s file saved and encrypted.", "%(num)s files saved and encrypted.", saved),
            "success",
        )
    for outcome in outcomes:
        if not outcome.saved:
            flash(outcome.message(_), "error")
    problem = next((o for o in outcomes if o.status not in ("saved", REFUSED)), None)
    if problem is not None:
        return _after_problem(case_id, problem)
    if not outcomes:
        flash(_("No file was chosen, so nothing was added."), "warning")
    return after_upload(case_id)


def file_modified(headers) -> str | None:
    """The file's date on the person's device, which the page's script sends (File.lastModified)."""
    raw = headers.get("X-File-Modified", "")
    if not raw.isdigit():
        return None
    try:
        return datetime.fromtimestamp(int(raw) / 1000, UTC).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return None


# The script's path answers in JSON, with the HTTP status that fits the outcome.
STATUS_CODES = {
    "saved": 200,
    REFUSED: 422,
    "minor": 422,
    "case_gone": 404,
    "locked": 401,
    "disk": 507,
    "disk_full": 507,
    "incomplete": 400,
}


def _json(outcome: Outcome):
    item = outcome.item
    if not outcome.saved or item is None:
        code = 413 if outcome.reason == "too_large" else STATUS_CODES[outcome.status]
        return jsonify({"ok": False, "message": outcome.message(_)}), code
    return jsonify(
        {
            "ok": True,
            "name": item.original_name,
            "size": item.size,
            "sha256": item.sha256,
            "md5": item.md5,
            "type": item.detected_type,
        }
    )


@bp.post("/<case_id>/raw")
def upload_raw(case_id):
    """One file as the raw request body, sent by the page's script with a progress bar.

    The body streams from the socket into the vault's encryption: no form parsing, no temp file.
    The file's name comes percent-encoded in `X-File-Name`; CSRF in `X-CSRFToken`.
    """
    position = upload_position(request.headers)
    order = services().upload_order
    try:
        vault = current_vault()
        if vault is None:
            return _json(Outcome("locked", ""))
        outcome = evidence_desk(vault).receive_stream(
            case_id,
            request.stream,
            name=unquote(request.headers.get("X-File-Name", ""), errors="replace"),
            expected_size=request.content_length,
            on_progress=keep_alive(),
            media_type=declared_media_type(request.content_type),
            file_modified=file_modified(request.headers),
            intimate=request.headers.get("X-Intimate") == "yes",
            declared_not_intimate=request.headers.get("X-No-Intimate") == "yes",
            wait_turn=(lambda: order.wait_turn(*position)) if position else None,
        )
        return _json(outcome)
    finally:
        if position:
            order.done(*position)  # added, refused or broken off: the next file may join


@bp.route("/<case_id>/<item_id>", methods=["GET", "POST"])
@vault_required
def item(vault, case_id, item_id):
    """Describe one item: what it shows, when, which account, and whether it is intimate."""
    case, found = item_or_404(vault, case_id, item_id)
    form = ItemForm(
        data={
            "description": found.description,
            # Until the person says otherwise, the photo's own date (EXIF) is the best guess.
            "captured_at": parse_moment(found.captured_at or (found.image.taken_at if found.image else None)),
            "platform": found.platform,
            "account_id": found.account_id,
            "intimate": found.intimate,
        }
    )
    form.account_id.choices = [
        SelectChoice("", _("Not sure, or none")),
        *(
            SelectChoice(a.id, " · ".join(x for x in (a.platform, a.handle or a.display_name) if x) or a.id)
            for a in case.accounts
        ),
    ]
    if form.validate_on_submit():
        try:
            evidence.describe(
                vault,
                case_id,
                item_id,
                description=(form.description.data or "").strip(),
                captured_at=to_minutes(form.captured_at.data),
                platform=(form.platform.data or "").strip(),
                account_id=form.account_id.data or "",
                intimate=bool(form.intimate.data),
            )
        except MinorImageRefused:
            flash(MINOR_ITEM_REFUSAL, "warning")
            return redirect(url_for("evidence.item", case_id=case_id, item_id=item_id))
        flash(_("Saved."), "success")
        return redirect(url_for("cases.show", case_id=case_id))

    shown = counselor_mode.allows(case_id, found)  # counselor mode: only with the person's consent
    visible = is_visible(case_id, found) and shown
    kind = preview_kind(found)
    return render_template(
        "evidence/item.html",
        case=case,
        item=found,
        form=form,
        remove=RemoveItemForm(),
        reveal=RevealForm(),
        download=DownloadForm(),
        visible=visible,
        shown=shown,
        consent=ConsentForm(),
        preview=kind,
        text=text_preview(vault, case_id, found) if kind == "text" and visible and not found.chat else None,
        account=next((a for a in case.accounts if a.id == found.account_id), None),
    )


@bp.post("/<case_id>/<item_id>/remove")
@vault_required
def remove(vault, case_id, item_id):
    form = RemoveItemForm()
    if not form.validate_on_submit():
        flash(_("Nothing was removed: please tick the box to confirm."), "warning")
        return redirect(url_for("evidence.item", case_id=case_id, item_id=item_id))
    try:
        evidence.remove(vault, case_id, item_id)
    except (CaseNotFound, DamagedCase, ItemNotFound):
        abort(404)
    flash(_("The file was removed from the case."), "success")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.post("/<case_id>/links")
@vault_required
def add_link(vault, case_id):
    form = LinkForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("cases.show", case_id=case_id, _anchor="links-heading"))
    try:
        evidence.add_link(
            vault,
            case_id,
            url=form.url.data,
            seen_at=to_minutes(form.seen_at.data),
            platform=form.platform.data or "",
            note=form.note.data or "",
        )
    except (CaseNotFound, DamagedCase):
        abort(404)
    flash(_("The link was saved."), "success")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.post("/<case_id>/links/<link_id>/remove")
@vault_required
def remove_link(vault, case_id, link_id):
    try:
        evidence.remove_link(vault, case_id, link_id)
    except (CaseNotFound, DamagedCase):
        abort(404)
    flash(_("The link was removed."), "success")
    return redirect(url_for("cases.show", case_id=case_id))
