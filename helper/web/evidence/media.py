"""Showing evidence without harm: thumbnails, blurred by default when intimate, and previews streamed
from the vault. Nothing is ever decrypted to disk; active content (SVG, HTML, PDF) is never shown
inline, only saved as a copy on request."""

from __future__ import annotations

import io
from urllib.parse import quote

from flask import Response, abort, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _

from helper.case import EvidenceItem
from helper.casework import evidence
from helper.evidence import renditions
from helper.evidence.images import BROWSER_SAFE
from helper.evidence.names import shown_name
from helper.vault import CaseNotFound, DamagedCase, ItemNotFound, MissingItem, TamperedItem
from helper.web.counselor import mode as counselor_mode
from helper.web.errors import render_error
from helper.web.evidence import bp
from helper.web.evidence.forms import DownloadForm, RevealForm
from helper.web.services import SESSION_HANDLE, services, session_handle
from helper.web.views import item_or_404, vault_required

PLAYABLE = frozenset({"video/mp4", "video/webm", "video/quicktime", "video/x-m4v"})
AUDIBLE = frozenset({"audio/mpeg", "audio/ogg", "audio/mp4", "audio/aac", "audio/x-wav", "audio/x-flac"})
TEXT_PREVIEW_LIMIT = 1024 * 1024


def preview_kind(item: EvidenceItem) -> str:
    """How the item page shows an item: image, video, audio, text, or none (save a copy to open it);
    a picture whose renditions are not made yet is "preparing", one that could not be decoded
    "unreadable": neither is shown, not even its original."""
    mime = item.detected_type
    pictured = renditions.state(item)
    if pictured in (renditions.PREPARING, renditions.UNREADABLE):
        return pictured
    if item.image is not None and (mime in BROWSER_SAFE or item.image.display_blob):
        return "image"
    if mime in PLAYABLE:
        return "video"
    if mime in AUDIBLE:
        return "audio"
    if mime == "text/plain" and item.size <= TEXT_PREVIEW_LIMIT:
        return "text"
    return "none"


def reveal_key(case_id: str, item_id: str) -> str:
    return f"{case_id}/{item_id}"


def is_visible(case_id: str, item: EvidenceItem) -> bool:
    """An intimate item is shown only after the person chose to look, for a few minutes."""
    return not item.intimate or services().keyring.is_revealed(session_handle(), reveal_key(case_id, item.id))


def _item(vault, case_id: str, item_id: str) -> EvidenceItem:
    """The item, when its content may be shown here: in counselor mode an intimate item never is, and
    another only after the person agreed for it (403, with a page that says so, otherwise)."""
    item = item_or_404(vault, case_id, item_id)[1]
    if not counselor_mode.allows(case_id, item):
        raise counselor_mode.NotShownInCounselorMode
    return item


def _image_response(data: bytes) -> Response:
    response = Response(data, mimetype="image/jpeg")
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.app_template_global()
def rendition_state(case_id: str, item: EvidenceItem) -> str:
    """A picture's renditions as a page shows them: ready, preparing, unreadable, or none. A page that
    shows one still preparing asks the worker for it: after a restart (a kill before they were
    made), the first look at the case makes them."""
    vault = services().keyring.get(session.get(SESSION_HANDLE), touch=False)
    if vault is not None:
        services().renditions.request(vault, item, case_id)
    return renditions.state(item)


ASKED_AT_ONCE = 200  # the most items a page's script asks about in one request


@bp.get("/<case_id>/renditions")
def rendition_states(case_id):
    """For a page's script: where the pictures it shows as preparing stand ({"items": {id: state}}).
    Asking touches no key, so a page left open keeps no vault from its idle lock."""
    vault = services().keyring.get(session.get(SESSION_HANDLE), touch=False)
    if vault is None:
        abort(401)
    try:
        case = vault.load_case(case_id)
    except (CaseNotFound, DamagedCase):
        abort(404)
    wanted = request.args.getlist("item")[:ASKED_AT_ONCE]
    states = {}
    for item_id in wanted:
        item = case.item(item_id)
        if item is None:
            continue
        states[item_id] = rendition_state(case_id, item)
    return jsonify({"items": states})


@bp.get("/<case_id>/<item_id>/thumbnail")
@vault_required
def thumbnail(vault, case_id, item_id):
    """The small picture on the case page: blurred for an intimate item unless it was revealed. None
    while it is being prepared, nor for a picture that could not be decoded: never the original."""
    item = _item(vault, case_id, item_id)
    if rendition_state(case_id, item) != renditions.READY or item.image is None:
        abort(404)
    image = item.image
    # A blurred rendition that fails its check is refused: never replaced by anything sharper.
    blob = image.thumbnail_blob if is_visible(case_id, item) else image.blurred_blob
    try:
        return _image_response(vault.open_item(item).derived(blob))
    except (MissingItem, TamperedItem):
        abort(404)


@bp.get("/<case_id>/<item_id>/view")
@vault_required
def view(vault, case_id, item_id):
    """The item itself, streamed from the vault, for the kinds a browser shows without running anything."""
    item = _item(vault, case_id, item_id)
    if not is_visible(case_id, item):
        abort(403)
    kind = preview_kind(item)
    if kind == "image" and item.image is not None and item.image.display_blob:
        try:
            return _image_response(vault.open_item(item).derived(item.image.display_blob))
        except (MissingItem, TamperedItem):
            abort(404)
    if kind not in ("image", "video", "audio"):
        abort(404)
    try:
        chunks = vault.open_evidence(case_id, item.id).pieces()
    except (ItemNotFound, MissingItem):
        abort(404)
    except TamperedItem:
        return changed_item_page(item)
    response = Response(chunks, mimetype=item.detected_type)
    response.headers["Content-Length"] = str(item.size)
    response.headers["Content-Disposition"] = "inline"
    return response


def text_preview(vault, case_id: str, item: EvidenceItem) -> str | None:
    """A small text file's content, to show escaped inside the page (never served as a document)."""
    out = io.BytesIO()
    try:
        vault.open_evidence(case_id, item.id).write_to(out)
    except (ItemNotFound, MissingItem, TamperedItem):
        return None
    return out.getvalue().decode("utf-8", errors="replace")


@bp.post("/<case_id>/<item_id>/reveal")
@vault_required
def reveal(vault, case_id, item_id):
    item = _item(vault, case_id, item_id)
    if RevealForm().validate_on_submit():
        evidence.note_revealed(vault, case_id, item.id)
        services().keyring.reveal(session_handle(), reveal_key(case_id, item.id))
    return redirect(url_for("evidence.item", case_id=case_id, item_id=item.id, _anchor="preview"))


@bp.post("/<case_id>/<item_id>/hide")
@vault_required
def hide(vault, case_id, item_id):
    item = _item(vault, case_id, item_id)
    if RevealForm().validate_on_submit():
        services().keyring.hide(session_handle(), reveal_key(case_id, item.id))
    return redirect(url_for("evidence.item", case_id=case_id, item_id=item.id, _anchor="preview"))


@bp.post("/<case_id>/<item_id>/download")
@vault_required
def download(vault, case_id, item_id):
    """Save an unencrypted copy where the browser saves downloads. Journaled; the page says so first."""
    item = _item(vault, case_id, item_id)
    if not DownloadForm().validate_on_submit():
        abort(400)
    try:
        chunks = vault.open_evidence(case_id, item.id).pieces()
    except (ItemNotFound, MissingItem):
        flash(_("This file is missing from your safe space, so no copy could be saved."), "error")
        return redirect(url_for("evidence.item", case_id=case_id, item_id=item.id))
    except TamperedItem:
        flash(changed_item_message(item), "error")
        return redirect(url_for("evidence.item", case_id=case_id, item_id=item.id))
    evidence.note_copy_saved(vault, case_id, item)
    response = Response(chunks, mimetype="application/octet-stream")
    response.headers["Content-Length"] = str(item.size)
    response.headers["Content-Disposition"] = attachment(item.original_name)
    return response


def changed_item_message(item: EvidenceItem) -> str:
    return _(
        "“%(name)s” no longer matches the fingerprint taken when it was added: its encrypted file was "
        "damaged or replaced. Nothing of it was shown or saved. The other files are not affected.",
        name=shown_name(item.original_name),
    )


def changed_item_page(item: EvidenceItem):

    return render_error(409, _("This file cannot be shown"), changed_item_message(item))


def attachment(name: str) -> str:
    fallback = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\;' else "_" for ch in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
