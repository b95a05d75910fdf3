"""Counselor mode: switched on from any page, shown on every page, ended by the person at any time."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from helper import handover
from helper.casework import counselor
from helper.dossier.summary import SummaryInput, render_summary
from helper.web.counselor import bp, bundle, mode
from helper.web.counselor.forms import ConsentForm, EmptyForm, HandoverForm, NoteForm, StartForm
from helper.web.services import current_vault, services
from helper.web.views import case_or_404, item_or_404, local_path, vault_required


def _back(default: str) -> str:
    return local_path(request.form.get("next") or request.args.get("next")) or default


@bp.before_app_request
def journal_cases_opened() -> None:
    """In counselor mode, the first time a case is opened its journal says who was there."""
    state = mode.active()
    case_id = (request.view_args or {}).get("case_id")
    if state is None or not case_id:
        return
    vault = current_vault()
    if vault is None or not vault.has_case(case_id):
        return
    if mode.note_case(case_id):
        counselor.note_present(vault, case_id, state["name"], state["organisation"])


@bp.app_errorhandler(mode.NotShownInCounselorMode)
def not_shown(_exc):
    """A picture's address typed in counselor mode: the app is open, only this is not shown."""
    case_id = (request.view_args or {}).get("case_id")
    item_id = (request.view_args or {}).get("item_id")
    return render_template("counselor/not_shown.html", case_id=case_id, item_id=item_id), 403


@bp.app_context_processor
def counselor_state():
    return {"counselor": mode.active(), "counselor_allows": mode.allows}


@bp.route("/start", methods=["GET", "POST"])
@vault_required
def start(vault):
    form = StartForm(data={"next": request.args.get("next", "")})
    if form.validate_on_submit():
        mode.start(form.name.data.strip(), (form.organisation.data or "").strip())
        flash(
            _(
                "Counselor mode is on. Intimate pictures stay hidden; other pictures are shown only when "
                "you agree."
            ),
            "info",
        )
        # Back to the page they came from: opening a case there writes the start in its journal.
        return redirect(local_path(form.next.data) or url_for("cases.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("counselor/start.html", form=form), status


@bp.post("/end")
def end():
    """The person (or the counselor) ends the mode: consents end with it, the journals say so."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    mode.finish(current_vault())
    flash(_("Counselor mode is off. Anything you had agreed to show is hidden again."), "info")
    return redirect(_back(url_for("index")))


@bp.post("/<case_id>/<item_id>/consent")
@vault_required
def consent(vault, case_id, item_id):
    case, item = item_or_404(vault, case_id, item_id)
    form = ConsentForm()
    if mode.active() is None or not form.validate_on_submit():
        abort(400)
    if item.intimate:
        raise mode.NotShownInCounselorMode  # never shown in counselor mode, whatever is asked
    granted = form.granted.data == "yes"
    mode.set_consent(case_id, item_id, granted)
    counselor.record_consent(vault, case_id, item_id, granted)
    return redirect(url_for("evidence.item", case_id=case_id, item_id=item_id))


@bp.post("/<case_id>/notes")
@vault_required
def add_note(vault, case_id):
    case = case_or_404(vault, case_id)
    state = mode.active()
    form = NoteForm()
    if state is None:
        abort(403)
    if not form.validate_on_submit():
        flash(" ".join(form.text.errors), "error")
        return redirect(url_for("cases.show", case_id=case.id, _anchor="notes"))
    try:
        counselor.add_note(vault, case.id, state["name"], form.text.data or "")
    except counselor.EmptyNote:
        flash(_("Write something, or leave it."), "error")
        return redirect(url_for("cases.show", case_id=case.id, _anchor="notes"))
    flash(_("Note saved."), "info")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="notes"))


@bp.post("/<case_id>/notes/<note_id>/remove")
@vault_required
def remove_note(vault, case_id, note_id):
    case = case_or_404(vault, case_id)
    if mode.active() is None or not EmptyForm().validate_on_submit():
        abort(403)
    counselor.remove_note(vault, case.id, note_id)
    return redirect(url_for("cases.show", case_id=case.id, _anchor="notes"))


@bp.get("/<case_id>/summary")
@vault_required
def summary(vault, case_id):
    """The session summary the person keeps (PDF, built in memory)."""

    case = case_or_404(vault, case_id)
    state = mode.active()
    if state is None:
        abort(403)
    lang = get_locale().language
    content = services().content
    country = content.country(case.incident.country or "INTL")
    since = state["since"]
    pdf = render_summary(
        SummaryInput(
            case=case,
            journal=tuple(e for e in vault.journal(case.id) if e.at >= since),
            whats_next=tuple(services().tracker.whats_next(case, services().clock())),
            lines=content.lines_for(country.code) or content.lines_for("INTL"),
            emergency=country.emergency,
            counselor=state["name"],
            organisation=state["organisation"],
            lang=lang,
            content=content,
        )
    )
    counselor.note_summary_taken(vault, case.id, lang)
    response = Response(pdf, mimetype="application/pdf")
    name = f"session-summary-{date.today().isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/<case_id>/handover", methods=["GET", "POST"])
@vault_required
def handover_case(vault, case_id):
    """Export the case, encrypted to an organisation's key, as one file (streamed: bounded memory).
    Chosen on one page, listed on the next, made only from there."""
    case = case_or_404(vault, case_id)
    form = HandoverForm()
    form.items.choices = [(it.id, it.original_name) for it in case.evidence]
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("counselor/handover.html", case=case, form=form), status
    try:
        recipient = handover.parse_recipient(form.recipient.data or "")
    except ValueError:
        form.recipient.errors = [_("This is not a public key: it starts with age1 and is one line.")]
        return render_template("counselor/handover.html", case=case, form=form), 400
    choice = bundle.settle(
        case,
        every=form.all_items.data,
        picked=form.items.data or (),
        intimate=form.intimate.data,
        notes=form.notes.data,
    )
    if form.step.data == "change":
        return render_template("counselor/handover.html", case=case, form=form)
    if form.step.data == "review":
        return render_template(
            "counselor/handover_review.html",
            case=case,
            form=form,
            choice=choice,
            recipient=str(recipient),
            letter_details=bundle.letter_details(case),
        )
    chunks = handover.bundle_chunks(
        lambda sink: handover.write_bundle(
            vault, case.id, recipient, sink, choice.item_ids, counselor_notes=choice.counselor_notes
        )
    )
    response = Response(chunks, mimetype="application/octet-stream")
    name = f"handover-{date.today().isoformat()}.age"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
