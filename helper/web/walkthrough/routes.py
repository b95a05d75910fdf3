"""The guided walkthrough. Each step: one form, saved to the vault by a casework verb, then on to the
next (PRG). Every form carries the revision it was built from (see edits.py): a save from a stale page
is merged with what was saved since, or shows both versions for the person to choose."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from helper.case import Case
from helper.casework import walkthrough
from helper.casework.walkthrough import EditConflict, fingerprint, fingerprints
from helper.checks import payment_warnings
from helper.ids import new_id
from helper.timeline import build_timeline
from helper.web.evidence.forms import UploadForm
from helper.web.evidence.receiving import flash_added
from helper.web.help.countries import guess_country
from helper.web.letters.forms import CountryForm
from helper.web.letters.planning import country_choices, country_name, plan_context
from helper.web.moments import parse_day
from helper.web.services import services
from helper.web.uploads import streams_uploads
from helper.web.views import case_or_404, vault_required
from helper.web.walkthrough import bp, collections, steps
from helper.web.walkthrough.edits import encode, page_edit, page_revision, state_after, state_for, with_choice
from helper.web.walkthrough.files import receive_files
from helper.web.walkthrough.forms import AgeForm, ContinueForm, KindForm, SafetyForm, StoryForm

WARNINGS = {
    "amount": _l("This amount does not look like a number. Check it, or leave it as it is."),
    "iban_shape": _l(
        "This does not look like an IBAN. If it is another kind of account number, that is fine."
    ),
    "iban_checksum": _l(
        "The check digits of this IBAN do not match: there may be a typo. Please compare it again."
    ),
    "wallet_shape": _l(
        "This does not look like a usual wallet address. Please compare it character by character."
    ),
    "tx_hash_shape": _l(
        "A transaction ID is usually 64 letters and digits. Please check it was copied in full."
    ),
}


def _url(case: Case, step: steps.Step | None):
    if step is None:
        return url_for("cases.show", case_id=case.id, walkthrough="done")
    return url_for(f"walkthrough.{step.name.replace('-', '_')}", case_id=case.id)


def _country():
    content = services().content
    return content, content.country(guess_country())


def _next(saved: Case, name: str):
    return redirect(_url(saved, steps.next_step(saved, name)))


def _save_and_continue(vault, case: Case, name: str):
    """A step that only asks to go on: mark it done, and go to the next one (PRG)."""
    return _next(walkthrough.save_step(vault, case.id, name), name)


def _render(case: Case, name: str, form, template: str | None = None, **context):
    number, total = steps.position(case, name)
    return render_template(
        template or f"walkthrough/{name.replace('-', '_')}.html",
        case=case,
        form=form,
        step=steps.by_name(name),
        number=number,
        total=total,
        skip_url=_url(case, steps.next_step(case, name)),
        back_url=_url(case, prev) if (prev := steps.previous_step(case, name)) else None,
        lang=get_locale().language,
        guide=services().content.guide_for(name),
        **context,
    )


# -- steps that answer questions about the incident ------------------------------------------------


def _incident(case: Case, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(case.incident, name) for name in names}


def _incident_step(
    vault,
    case: Case,
    name: str,
    edit: walkthrough.Edit,
    form_for: Callable[[dict[str, Any]], Any],
    context: Callable[[Case], dict[str, Any]] = lambda case: {},
):
    """Save an answering step with what the page sent. When another window saved a different answer
    meanwhile, nothing is saved: the step comes back (409) with both, for the person to choose, its form
    (`form_for`) holding what the page should show now."""
    try:
        saved = walkthrough.save_step(vault, case.id, name, incident=edit)
    except EditConflict as conflict:
        latest = case_or_404(vault, case.id)
        form = form_for(conflict.values)
        state = state_after(edit, conflict, form)
        return _render(latest, name, form, state=state, **context(latest)), 409
    return _next(saved, name)


@bp.route("/<case_id>/safety", methods=["GET", "POST"])
@vault_required
def safety(vault, case_id):
    case = case_or_404(vault, case_id)
    form = SafetyForm()
    if form.validate_on_submit():
        if form.answer.data == "danger":
            return redirect(url_for("walkthrough.safety", case_id=case.id, danger=1))
        return _save_and_continue(vault, case, "safety")
    content, country = _country()
    return _render(
        case,
        "safety",
        form,
        danger=request.args.get("danger") == "1",
        country=country,
        lines=content.lines_for(country.code),
    )


@bp.route("/<case_id>/right-now", methods=["GET", "POST"])
@vault_required
def right_now(vault, case_id):
    case = case_or_404(vault, case_id)
    form = ContinueForm()
    if form.validate_on_submit():
        return _save_and_continue(vault, case, "right-now")
    advice = services().content.advice_for(minor=case.incident.is_minor_path)
    return _render(case, "right-now", form, advice=advice)


def _choice_step(name: str, question: str):
    """A step that asks one question with radios (how old, what kind): its answer is saved with it."""

    def view(vault, case_id):
        case = case_or_404(vault, case_id)
        form_class = {"minor": AgeForm, "kind": KindForm}[question]
        form = form_class(data=_incident(case, (question,)))
        if form.validate_on_submit():
            values = {question: form[question].data or None}
            return _incident_step(
                vault, case, name, page_edit(values), lambda values: form_class(formdata=None, data=values)
            )
        return _render(case, name, form, state=state_for(case.revision, _incident(case, (question,))))

    view.__name__ = name
    return vault_required(view)


bp.add_url_rule("/<case_id>/age", view_func=_choice_step("age", "minor"), methods=["GET", "POST"])


@bp.route("/<case_id>/minor", methods=["GET", "POST"])
@vault_required
def minor(vault, case_id):
    case = case_or_404(vault, case_id)
    form = ContinueForm()
    if form.validate_on_submit():
        return _save_and_continue(vault, case, "minor")
    content, country = _country()
    young = [line for line in content.lines_for(country.code) if line.audience == "young"]
    removal = [service for service in content.removal if service.audience == "young"]
    return _render(case, "minor", form, country=country, lines=young, removal=removal)


bp.add_url_rule("/<case_id>/kind", view_func=_choice_step("kind", "kind"), methods=["GET", "POST"])

STORY = ("narrative", "started_on", "first_contact_platform", "moved_to_platform")


def _story_form_data(values: dict[str, Any]) -> dict[str, Any]:
    return {**values, "started_on": parse_day(values.get("started_on"))}


def _story_values(form: StoryForm) -> dict[str, Any]:
    return {
        "narrative": (form.narrative.data or "").strip(),
        "started_on": form.started_on.data.isoformat() if form.started_on.data else None,
        "first_contact_platform": (form.first_contact_platform.data or "").strip(),
        "moved_to_platform": (form.moved_to_platform.data or "").strip(),
    }


@bp.route("/<case_id>/story", methods=["GET", "POST"])
@vault_required
def story(vault, case_id):
    case = case_or_404(vault, case_id)
    form = StoryForm(data=_story_form_data(_incident(case, STORY)))
    if form.validate_on_submit():
        values = _story_values(form)
        if request.headers.get("X-Autosave") == "1":
            return _story_draft(vault, case, values)
        return _incident_step(
            vault,
            case,
            "story",
            page_edit(values),
            lambda values: StoryForm(formdata=None, data=_story_form_data(values)),
        )
    return _render(case, "story", form, state=state_for(case.revision, _incident(case, STORY)))


def _story_draft(vault, case: Case, values: dict[str, Any]):
    """The page saves a draft while the person types, so closing the window loses nothing. A draft
    from a page that another window saved over since is not saved: the page says so, keeping the text.
    The answer gives the page the fingerprints of what it now shows as saved."""
    edit = page_edit(values)
    try:
        walkthrough.save_draft(vault, case.id, edit)
    except EditConflict:
        message = _(
            "This story was changed in another window, so this draft was not saved over it. Your text "
            "is still here. When you press “Save and continue”, you can choose which version to keep."
        )
        return jsonify({"ok": False, "message": message}), 409
    return jsonify({"ok": True, "shown": encode(fingerprints(values))})


def _country_form(**kwargs) -> CountryForm:
    form = CountryForm(**kwargs)
    form.country.choices = country_choices()
    return form


@bp.route("/<case_id>/takedown", methods=["GET", "POST"])
@vault_required
def takedown(vault, case_id):
    """The plan. A country chosen in its box and not saved yet is saved with "Continue"; if it cannot
    be (not a country in the list), the step says so and stays."""
    case = case_or_404(vault, case_id)
    form = ContinueForm()
    if form.validate_on_submit():
        code = request.form.get("country", "")
        if not code:
            return _save_and_continue(vault, case, "takedown")
        if not _country_form().validate():
            flash(_("This country is not in the list, so it was not saved. Please choose it again."), "error")
            return _render(case, "takedown", form, **plan_context(case)), 400
        edit = with_choice(walkthrough.country_edit(code, page_revision()))
        return _incident_step(
            vault,
            case,
            "takedown",
            edit,
            lambda values: _country_form(formdata=None, data=values),
            plan_context,
        )
    return _render(case, "takedown", form, **plan_context(case))


@bp.route("/<case_id>/evidence", methods=["GET", "POST"])
@vault_required
def evidence(vault, case_id):
    """Add screenshots, recordings and chat exports without leaving the walkthrough."""
    case = case_or_404(vault, case_id)
    if flash_added():
        return redirect(url_for("walkthrough.evidence", case_id=case.id))
    form = ContinueForm()
    if form.validate_on_submit():
        return _save_and_continue(vault, case, "evidence")
    return _render(case, "evidence", form, upload=UploadForm())


@bp.post("/<case_id>/evidence/done")
@streams_uploads
@vault_required
def evidence_done(vault, case_id):
    """ "Done with this step", which belongs to the upload form: files chosen there and not sent yet
    come with it and are added first. If one cannot be kept, the step stays and says why."""
    case = case_or_404(vault, case_id)
    if not ContinueForm().validate_on_submit():
        return redirect(url_for("walkthrough.evidence", case_id=case.id))
    added = request.form.get("added", "")  # files the page's script already sent, one by one
    if added.isdigit() and int(added) > 0:
        n = int(added)
        flash(
            ngettext("%(num)s file saved and encrypted.", "%(num)s files saved and encrypted.", n), "success"
        )
    received = receive_files(vault, case.id)
    if received.saved:
        flash(
            ngettext(
                "%(num)s file saved and encrypted.", "%(num)s files saved and encrypted.", received.saved
            ),
            "success",
        )
    if received.problems:
        for message in received.problems:
            flash(message, "warning" if received.minor else "error")
        flash(_("This step is not finished yet: see above. You can also skip it for now."), "warning")
        return redirect(received.elsewhere or url_for("walkthrough.evidence", case_id=case.id))
    return _save_and_continue(vault, case, "evidence")


@bp.route("/<case_id>/review", methods=["GET", "POST"])
@vault_required
def review(vault, case_id):
    case = case_or_404(vault, case_id)
    form = ContinueForm()
    if form.validate_on_submit():
        return _save_and_continue(vault, case, "review")
    warnings = {p.id: [WARNINGS[w.code] for w in payment_warnings(p)] for p in case.payments}
    return _render(
        case,
        "review",
        form,
        timeline=build_timeline(case),
        sections=[
            (spec, [(e, collections.entry_details(spec, e)) for e in getattr(case, spec.collection)])
            for name, spec in collections.COLLECTION_STEPS.items()
            if name != "timeline" and steps.by_name(name).applies(case)
        ],
        warnings=warnings,
        review_items=REVIEW_ITEMS,
        country_name=country_name(case.incident.country),
    )


# The review lists the first files in full; a case of thousands points to the case page for the rest.
REVIEW_ITEMS = 50


def _editing(case: Case, spec: collections.CollectionStep):
    editing_id = request.args.get("edit") or request.form.get("entry_id") or ""
    return next((e for e in getattr(case, spec.collection) if e.id == editing_id), None)


def _entry_edit(spec: collections.CollectionStep, form, editing) -> walkthrough.EntryEdit:
    """The entry the form holds: the one being edited, or a new one."""
    values = collections.entry_values(spec, form)
    return walkthrough.EntryEdit(spec.collection, editing.id if editing else new_id(), page_edit(values))


def _entry_conflict(vault, case: Case, spec: collections.CollectionStep, entry, conflict: EditConflict):
    """The entry was changed in another window too: nothing saved, both versions shown (409)."""
    latest = case_or_404(vault, case.id)
    editing = next((e for e in getattr(latest, spec.collection) if e.id == entry.entry_id), None)
    form = spec.form(formdata=None, data=collections.form_data(spec, conflict.values))
    state = state_after(entry.edit, conflict, form)
    return _render_collection(latest, spec, form, editing, state), 409


def _collection_view(spec: collections.CollectionStep):
    @vault_required
    def view(vault, case_id):
        case = case_or_404(vault, case_id)
        editing = _editing(case, spec)
        form = spec.form(data=collections.form_data_from_entry(spec, editing) if editing else None)
        if form.validate_on_submit():
            entry = _entry_edit(spec, form, editing)
            try:
                walkthrough.save_entry(vault, case.id, spec.step, entry)
            except EditConflict as conflict:
                return _entry_conflict(vault, case, spec, entry, conflict)
            flash(_("Saved."), "success")
            return redirect(url_for(f"walkthrough.{spec.step}", case_id=case.id))
        return _render_collection(case, spec, form, editing)

    view.__name__ = spec.step
    return view


def _render_collection(case: Case, spec: collections.CollectionStep, form, editing=None, state=None):
    entries = getattr(case, spec.collection)
    warnings = {}
    if spec.collection == "payments":
        warnings = {p.id: [WARNINGS[w.code] for w in payment_warnings(p)] for p in entries}
    if state is None:
        state = state_for(case.revision, collections.asked_values(spec, editing) if editing else {})
    return _render(
        case,
        spec.step,
        form,
        template=spec.template,
        spec=spec,
        entries=[(e, spec.summary(e), fingerprint(walkthrough.entry_values(e))) for e in entries],
        editing=editing,
        warnings=warnings,
        state=state,
        **(spec.context(case) if spec.context else {}),
    )


def _remove_view(spec: collections.CollectionStep):
    @vault_required
    def remove(vault, case_id, entry_id):
        case = case_or_404(vault, case_id)
        if ContinueForm().validate_on_submit():
            shown = request.form.get("shown") or None
            try:
                walkthrough.remove_entry(vault, case.id, spec.step, spec.collection, entry_id, shown)
            except walkthrough.EntryChanged:
                flash(
                    _(
                        "This entry was changed in another window, so it was not removed. Here it is as "
                        "saved now: remove it again if you still want to."
                    ),
                    "warning",
                )
            else:
                flash(_("Removed."), "success")
        return redirect(url_for(f"walkthrough.{spec.step}", case_id=case.id))

    remove.__name__ = f"{spec.step}_remove"
    return remove


def _done_view(spec: collections.CollectionStep):
    @vault_required
    def done(vault, case_id):
        """ "Done with this step: continue". The button belongs to the entry's form, so whatever the
        person typed there and did not save yet arrives too: it is saved with the step, never dropped.
        If it cannot be saved as it is, the step shows why instead of moving on."""
        case = case_or_404(vault, case_id)
        editing = _editing(case, spec)
        form = spec.form()
        if collections.form_is_blank(spec, form):
            if ContinueForm().validate_on_submit():
                return _save_and_continue(vault, case, spec.step)
            return redirect(url_for(f"walkthrough.{spec.step}", case_id=case.id))
        if not form.validate_on_submit():
            flash(_("What you typed is not saved yet: please check it below, then continue."), "warning")
            return _render_collection(case, spec, form, editing), 400
        entry = _entry_edit(spec, form, editing)
        try:
            saved = walkthrough.save_step(vault, case.id, spec.step, entry=entry)
        except EditConflict as conflict:
            return _entry_conflict(vault, case, spec, entry, conflict)
        flash(_("Saved."), "success")
        return _next(saved, spec.step)

    done.__name__ = f"{spec.step}_done"
    return done


for _spec in collections.COLLECTION_STEPS.values():
    bp.add_url_rule(f"/<case_id>/{_spec.step}", view_func=_collection_view(_spec), methods=["GET", "POST"])
    bp.add_url_rule(
        f"/<case_id>/{_spec.step}/remove/<entry_id>", view_func=_remove_view(_spec), methods=["POST"]
    )
    bp.add_url_rule(f"/<case_id>/{_spec.step}/done", view_func=_done_view(_spec), methods=["POST"])
