"""Get it taken down: the plan, each letter (copy, .txt, .eml), the details letters need, the tracker.

Views stay thin: which letters, their text and their clocks come from `helper.letters`.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import date, datetime

from babel.lists import format_list
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from helper.case import Case
from helper.casework import complaint, letters, walkthrough
from helper.casework.walkthrough import EditConflict
from helper.letters import conditions
from helper.web.letters import bp
from helper.web.letters.forms import ComplaintForm, DownloadForm, ReplyForm, ReportForm, SentForm, SignerForm
from helper.web.letters.planning import lang, now, plan_context
from helper.web.moments import parse_moment
from helper.web.services import services
from helper.web.views import case_or_404, local_path, vault_required
from helper.web.walkthrough.edits import Clash, page_edit, state_after, state_for

# Where the person adds what a letter lacks, by element check.
FIX_STEP = {
    "location": "walkthrough.places",
    "reasons": "walkthrough.story",
    "narrative": "walkthrough.story",
    "dates": "walkthrough.story",
    "evidence": "walkthrough.evidence",
    "suspect": "walkthrough.accounts",
    "payments": "walkthrough.payments",
    "payment_details": "walkthrough.payments",
}


def fix_url(case: Case, check: str) -> str:
    endpoint = FIX_STEP.get(check)
    if endpoint:
        return url_for(endpoint, case_id=case.id)
    if check == "earlier_request":
        return url_for("letters.takedown", case_id=case.id)
    if check in ("civil_status", "court"):
        return url_for("letters.complaint_details", case_id=case.id, next=request.full_path)
    return url_for("letters.details", case_id=case.id, next=request.full_path)


def _stamp(value: datetime | None) -> str | None:
    """A time typed in a form, as the record keeps it: ISO with this computer's zone."""
    return value.astimezone().isoformat(timespec="minutes") if value else None


def _letter_or_404(
    case: Case, kind_id: str, platform_id: str | None, letter_lang: str | None, payment_id: str | None = None
):
    writer = services().letters
    try:
        kind = writer.content.kind(kind_id)
    except KeyError:
        abort(404)
    try:
        chosen = letters.letter_language(kind, letter_lang, lang())
    except letters.LanguageNotOffered:
        abort(404)
    try:
        return writer.write(case, kind_id, platform_id or None, chosen, now().date(), payment_id or None)
    except KeyError:
        abort(404)


def render_plan(case: Case, template: str):
    return render_template(template, case=case, lang=lang(), **plan_context(case))


@bp.get("/<case_id>/takedown")
@vault_required
def takedown(vault, case_id):
    return render_plan(case_or_404(vault, case_id), "letters/takedown.html")


@bp.route("/<case_id>/details", methods=["GET", "POST"])
@vault_required
def details(vault, case_id):
    case = case_or_404(vault, case_id)
    form = SignerForm(data=walkthrough.signer_values(case.signer))
    state = state_for(case.revision, walkthrough.signer_values(case.signer))
    if form.validate_on_submit():
        values = {
            name: form[name].data or type(value)()
            for name, value in walkthrough.signer_values(case.signer).items()
        }
        edit = page_edit(values)
        try:
            walkthrough.save_signer(vault, case.id, edit)
        except EditConflict as conflict:
            case = case_or_404(vault, case.id)
            form = SignerForm(formdata=None, data=conflict.values)
            state = state_after(edit, conflict, form)
            page = render_template(
                "letters/details.html", case=case, form=form, state=state, address_hint=_address_hint(case)
            )
            return page, 409
        flash(_("Saved. These details are kept encrypted with the case; nothing is sent."), "info")
        return redirect(local_path(request.args.get("next")) or url_for("letters.takedown", case_id=case.id))
    status = 400 if request.method == "POST" else 200
    page = render_template(
        "letters/details.html", case=case, form=form, state=state, address_hint=_address_hint(case)
    )
    return page, status


def _address_hint(case: Case) -> str | None:
    """Which of the letters for the person's country ask for the postal address (the CNIL only for
    someone in France); None when none does, and the field says only that platforms do not need it."""
    writer = services().letters
    content = writer.content
    names = [
        kind.name.get(lang())
        for kind in content.kinds
        if writer.applies(kind, case) and any(content.element(e).check == "identity" for e in kind.elements)
    ]
    if not names:
        return None
    return _("Needed for: %(letters)s. Platforms do not need it.", letters=format_list(names, locale=lang()))


@bp.route("/<case_id>/complaint", methods=["GET", "POST"])
@vault_required
def complaint_details(vault, case_id):
    """What a complaint to the prosecutor asks for beyond the letters' details: the date and place of
    birth, the court, the witnesses. Saved like the signer's details, from the page's revision."""
    case = case_or_404(vault, case_id)
    shown = complaint.complaint_values(case.complaint)
    form = ComplaintForm(data=_complaint_form_data(shown))
    state = state_for(case.revision, shown)
    status = 200
    if form.validate_on_submit():
        edit = page_edit(_complaint_typed(form))
        try:
            complaint.save_complaint(vault, case.id, edit)
        except EditConflict as conflict:
            case = case_or_404(vault, case.id)
            form = ComplaintForm(formdata=None, data=_complaint_form_data(conflict.values))
            state = _readable(state_after(edit, conflict, form))
            return render_template("letters/complaint.html", case=case, form=form, state=state), 409
        flash(_("Saved. These details are kept encrypted with the case; nothing is sent."), "info")
        return redirect(local_path(request.args.get("next")) or url_for("letters.takedown", case_id=case.id))
    if request.method == "POST":
        status = 400
    return render_template("letters/complaint.html", case=case, form=form, state=state), status


def _complaint_form_data(values: dict) -> dict:
    """The complaint's values as the form shows them: a date for the date box, and one empty row for a
    new witness after those kept."""
    birth = values.get("birth_date") or ""
    witnesses = list(values.get("witnesses") or [])
    return {
        **values,
        "birth_date": date.fromisoformat(birth) if birth else None,
        "witnesses": [*witnesses, {"name": "", "address": "", "knows": ""}],
    }


def _complaint_typed(form: ComplaintForm) -> dict:
    rows = [entry.data for entry in form.witnesses]
    return {
        "birth_date": form.birth_date.data.isoformat() if form.birth_date.data else "",
        "birth_place": (form.birth_place.data or "").strip(),
        "court_city": (form.court_city.data or "").strip(),
        "witnesses": [
            {name: (row.get(name) or "").strip() for name in ("name", "address", "knows")}
            for row in rows
            if (row.get("name") or "").strip()
        ],
    }


def _readable(state):
    """A conflict on the witnesses shown as their names, not as the list the page carries."""
    clashes = tuple(
        Clash(c.label, _names(c.saved), _names(c.typed)) if c.saved.startswith("[") else c
        for c in state.clashes
    )
    return replace(state, clashes=clashes)


def _names(text: str) -> str:
    try:
        rows = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return format_list([row["name"] for row in rows], locale=lang()) or _("(nothing)")


@bp.get("/<case_id>/<kind_id>")
@vault_required
def letter(vault, case_id, kind_id):
    case = case_or_404(vault, case_id)
    written = _letter_or_404(
        case, kind_id, request.args.get("platform"), request.args.get("lang"), request.args.get("payment")
    )
    return render_letter(case, written, SentForm(data={"channel": written.sent_by}))


def render_letter(case: Case, written, sent_form, status: int = 200):
    writer = services().letters
    platform_id = written.platform.id if written.platform else ""
    sent_form.platform.data, sent_form.lang.data = platform_id, written.lang
    sent_form.payment.data = written.payment.id if written.payment else ""
    clocks = writer.content.clocks_for(written.kind.id, platform_id, conditions.holds(case))
    return (
        render_template(
            "letters/letter.html",
            case=case,
            letter=written,
            sent_form=sent_form,
            download=DownloadForm(),
            clocks=clocks,
            fix_url=fix_url,
            lang=lang(),
            **_explained(case, written),
        ),
        status,
    )


def _explained(case: Case, written) -> dict:
    """A letter goes in its recipient's language; whoever reads the page in another one sees what it
    says in theirs: the same letter written in their language, to read and not to send, where the
    kind has it, or else what the letter asks for, from the kind's own description."""
    reader = lang()
    if written.lang == reader:
        return {}
    if reader not in written.kind.langs:
        return {"explanation": written.kind.about.get(reader)}
    platform_id = written.platform.id if written.platform else None
    payment_id = written.payment.id if written.payment else None
    mirror = services().letters.write(case, written.kind.id, platform_id, reader, now().date(), payment_id)
    return {"explained": mirror}


@bp.post("/<case_id>/<kind_id>/download")
@vault_required
def download(vault, case_id, kind_id):
    case = case_or_404(vault, case_id)
    form = DownloadForm()
    if not form.validate_on_submit():
        abort(400)
    written = _letter_or_404(case, kind_id, form.platform.data, form.lang.data, form.payment.data)
    letters.keep_copy(vault, case.id, written, form.format.data)
    if form.format.data == "eml":
        body, mimetype = written.eml(case.signer.email), "message/rfc822"
    else:
        body, mimetype = written.text.encode(), "text/plain; charset=utf-8"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{written.filename(form.format.data)}"'
    return response


@bp.post("/<case_id>/<kind_id>/sent")
@vault_required
def sent(vault, case_id, kind_id):
    case = case_or_404(vault, case_id)
    form = SentForm()
    written = _letter_or_404(case, kind_id, form.platform.data, form.lang.data, form.payment.data)
    if not form.validate_on_submit():
        return render_letter(case, written, form, 400)
    when = _stamp(form.sent_at.data) or now().astimezone().isoformat(timespec="minutes")
    try:
        report_id = letters.record_sent(
            vault,
            case.id,
            written,
            channel=form.channel.data or "",
            sent_at=when,
            reference=form.reference.data or "",
        )
    except letters.LetterIncomplete:
        flash(
            _("This letter still lacks something the law requires. Add it first: it is listed below."),
            "error",
        )
        return render_letter(case, written, form, 400)
    flash(_("Recorded as sent. Incident Helper will show here when an answer is due."), "info")
    return redirect(url_for("letters.report", case_id=case.id, report_id=report_id))


@bp.route("/<case_id>/reports/<report_id>", methods=["GET", "POST"])
@vault_required
def report(vault, case_id, report_id):
    case = case_or_404(vault, case_id)
    found = case.report(report_id)
    if found is None:
        abort(404)
    form = ReportForm(
        data={
            "status": found.status or "sent",
            "reference": found.reference,
            "sent_at": parse_moment(found.sent_at),
            "notice_at": parse_moment(found.notice_at),
        }
    )
    if request.method == "POST" and form.validate_on_submit():
        try:
            letters.update_report(
                vault,
                case.id,
                report_id,
                status=form.status.data,
                reference=form.reference.data or "",
                sent_at=_stamp(form.sent_at.data) or found.sent_at,
                notice_at=_stamp(form.notice_at.data) or found.notice_at,
            )
        except letters.ReportNotFound:
            abort(404)
        flash(_("Saved."), "info")
        return redirect(url_for("letters.report", case_id=case.id, report_id=report_id))
    state = services().tracker.state(case, found, now())
    status = 400 if request.method == "POST" else 200
    return render_report(case, found, state, form, ReplyForm(), status)


def render_report(case, found, state, form, reply_form, status=200):
    content = services().content
    kind = content.find_kind(found.kind)
    platform = content.platform(found.platform) if found.platform else None
    return (
        render_template(
            "letters/report.html",
            case=case,
            report=found,
            kind=kind,
            platform=platform,
            state=state,
            form=form,
            reply_form=reply_form,
            letter=case.letter(found.letter_id) if found.letter_id else None,
            lang=lang(),
        ),
        status,
    )


@bp.post("/<case_id>/reports/<report_id>/reply")
@vault_required
def reply(vault, case_id, report_id):
    case = case_or_404(vault, case_id)
    found = case.report(report_id)
    if found is None:
        abort(404)
    form = ReplyForm()
    if form.validate_on_submit():
        at = now().astimezone().isoformat(timespec="minutes")
        try:
            letters.add_reply(vault, case.id, report_id, form.text.data or "", at)
            return redirect(url_for("letters.report", case_id=case.id, report_id=report_id))
        except letters.ReportNotFound:
            abort(404)
        except letters.EmptyReply:
            pass
    if not form.text.errors:
        form.text.errors = [_("Write what they answered, or go back.")]
    state = services().tracker.state(case, found, now())
    return render_report(case, found, state, ReportForm(data={"status": found.status}), form, 400)


@bp.app_context_processor
def letter_words():
    """Letter kinds and platforms by id, in words, for any page that lists reports."""
    content = services().content

    def kind_name(kind_id: str) -> str:
        return content.kind_name(kind_id, lang())

    def language_name(code: str) -> str:
        return {"en": _("English"), "fr": _("French"), "es": _("Spanish")}[code]

    return {"kind_name": kind_name, "directory": content, "language_name": language_name}
