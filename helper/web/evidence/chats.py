"""A chat export's messages, read from the vault, and the ones the person puts on the timeline."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from helper.casework import evidence
from helper.evidence.stored import read_chat
from helper.vault import MissingItem, TamperedItem
from helper.web.counselor import mode as counselor_mode
from helper.web.evidence import bp
from helper.web.evidence.forms import QuotesForm
from helper.web.services import services, session_handle
from helper.web.views import item_or_404, vault_required

PAGE = 100


def _chat_of(vault, case_id: str, item_id: str):
    case, item = item_or_404(vault, case_id, item_id)
    if item.chat is None:
        abort(404)
    if not counselor_mode.allows(case_id, item):
        raise counselor_mode.NotShownInCounselorMode  # the person has not agreed to show these messages
    try:
        return case, item, read_chat(vault, item)
    except (MissingItem, TamperedItem):
        flash(
            _("The messages of this export cannot be read: the file that holds them is damaged."),
            "error",
        )
        return case, item, None


@bp.get("/<case_id>/<item_id>/messages")
@vault_required
def messages(vault, case_id, item_id):
    case, item, chat = _chat_of(vault, case_id, item_id)
    if chat is None:
        return redirect(url_for("evidence.item", case_id=case_id, item_id=item_id))
    search = services().keyring.search(session_handle(), item.id)
    numbered = list(enumerate(chat.messages))
    if search:
        wanted = search.casefold()
        numbered = [
            (i, m) for i, m in numbered if wanted in m.text.casefold() or wanted in m.sender.casefold()
        ]
    pages = max(1, -(-len(numbered) // PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    shown = numbered[(page - 1) * PAGE : page * PAGE]
    quoted = {q.index for q in case.quotes if q.item_id == item.id}
    return render_template(
        "evidence/messages.html",
        case=case,
        item=item,
        chat=chat,
        shown=shown,
        quoted=quoted,
        page=page,
        pages=pages,
        search=search,
        matches=len(numbered),
        form=QuotesForm(),
    )


@bp.post("/<case_id>/<item_id>/messages")
@vault_required
def save_quotes(vault, case_id, item_id):
    """The messages shown on the page are set to exactly the ticked ones; others are left as they were."""
    case, item, chat = _chat_of(vault, case_id, item_id)
    back = url_for(
        "evidence.messages",
        case_id=case_id,
        item_id=item_id,
        page=request.form.get("page", 1, type=int),
    )
    if chat is None or not QuotesForm().validate_on_submit():
        flash(_("Nothing was changed. Please try again."), "warning")
        return redirect(back)
    evidence.choose_quotes(
        vault,
        case_id,
        item,
        chat,
        shown=_indices(request.form.getlist("shown")),
        ticked=_indices(request.form.getlist("quote")),
    )
    flash(_("Saved. The ticked messages are on the timeline."), "success")
    return redirect(back)


@bp.post("/<case_id>/<item_id>/messages/search")
@vault_required
def search_messages(vault, case_id, item_id):
    """The words searched for are kept with the key in memory (and dropped with it on lock), never in the
    address: browsers keep addresses in their history, where someone else may look."""
    item_or_404(vault, case_id, item_id)
    words = (request.form.get("q") or "").strip()[:200] if QuotesForm().validate_on_submit() else ""
    if request.form.get("action") == "clear":
        words = ""
    services().keyring.set_search(session_handle(), item_id, words)
    return redirect(url_for("evidence.messages", case_id=case_id, item_id=item_id))


def _indices(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 8]
