"""The guided walkthrough. Each step: one form, saved to the vault, then on to the next (PRG)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from helper.case import Case
from helper.checks import payment_warnings
from helper.timeline import build_timeline
from helper.web.evidence.forms import UploadForm
from helper.web.evidence.routes import flash_added
from helper.web.help.routes import guess_country
from helper.web.letters.routes import plan_context
from helper.web.moments import parse_day
from helper.web.services import services
from helper.web.views import case_or_404, vault_required
from helper.web.walkthrough import collections, steps
from helper.web.walkthrough.forms import AgeForm, ContinueForm, KindForm, SafetyForm, StoryForm

bp = Blueprint("walkthrough", __name__, url_prefix="/walkthrough")

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


def _save_and_continue(vault, case: Case, name: str, change=lambda c: c):
    """Apply the step's change to the latest saved case, mark the step, and go to the next one."""

    if request.headers.get("X-Autosave") == "1":
        # The page saves a draft while the person types, so closing the window loses nothing.
        vault.update_case(case.id, change, None, {})
        return "", 204

    def apply(latest: Case) -> Case:
        return change(latest).with_step_done(name)

    saved = vault.update_case(case.id, apply, "walkthrough.saved", {"step": name})
    return redirect(_url(saved, steps.next_step(saved, name)))


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


@bp.route("/<case_id>/age", methods=["GET", "POST"])
@vault_required
def age(vault, case_id):
    case = case_or_404(vault, case_id)
    form = AgeForm(data={"minor": case.incident.minor})
    if form.validate_on_submit():
        return _save_and_continue(
            vault, case, "age", lambda c: c.with_incident(minor=form.minor.data or None)
        )
    return _render(case, "age", form)


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


@bp.route("/<case_id>/kind", methods=["GET", "POST"])
@vault_required
def kind(vault, case_id):
    case = case_or_404(vault, case_id)
    form = KindForm(data={"kind": case.incident.kind})
    if form.validate_on_submit():
        return _save_and_continue(vault, case, "kind", lambda c: c.with_incident(kind=form.kind.data or None))
    return _render(case, "kind", form)


@bp.route("/<case_id>/story", methods=["GET", "POST"])
@vault_required
def story(vault, case_id):
    case = case_or_404(vault, case_id)
    incident = case.incident
    form = StoryForm(
        data={
            "narrative": incident.narrative,
            "started_on": parse_day(incident.started_on),
            "first_contact_platform": incident.first_contact_platform,
            "moved_to_platform": incident.moved_to_platform,
        }
    )
    if form.validate_on_submit():

        def change(c: Case) -> Case:
            return c.with_incident(
                narrative=(form.narrative.data or "").strip(),
                started_on=form.started_on.data.isoformat() if form.started_on.data else None,
                first_contact_platform=(form.first_contact_platform.data or "").strip(),
                moved_to_platform=(form.moved_to_platform.data or "").strip(),
            )

        return _save_and_continue(vault, case, "story", change)
    return _render(case, "story", form)


@bp.route("/<case_id>/takedown", methods=["GET", "POST"])
@vault_required
def takedown(vault, case_id):
    case = case_or_404(vault, case_id)
    form = ContinueForm()
    if form.validate_on_submit():
        return _save_and_continue(vault, case, "takedown")
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
    )


# The review lists the first files in full; a case of thousands points to the case page for the rest.
REVIEW_ITEMS = 50


def _collection_view(spec: collections.CollectionStep):
    @vault_required
    def view(vault, case_id):
        case = case_or_404(vault, case_id)
        editing_id = request.args.get("edit") or request.form.get("entry_id") or ""
        entries = getattr(case, spec.collection)
        editing = next((e for e in entries if e.id == editing_id), None)
        form = spec.form(data=collections.form_data_from_entry(spec, editing) if editing else None)
        if form.validate_on_submit():
            entry = collections.entry_from_form(
                spec, form, editing.id if editing else collections.new_entry_id(), editing
            )
            # The step is not marked done: "continue where you left off" comes back here until the
            # person says they are done with it.
            vault.update_case(
                case.id,
                lambda c: c.with_entry(spec.collection, entry),
                "walkthrough.saved",
                {"step": spec.step},
            )
            flash(_("Saved."), "success")
            return redirect(url_for(f"walkthrough.{spec.step}", case_id=case.id))
        return _render_collection(case, spec, form, editing)

    view.__name__ = spec.step
    return view


def _render_collection(case: Case, spec: collections.CollectionStep, form, editing=None):
    entries = getattr(case, spec.collection)
    warnings = {}
    if spec.collection == "payments":
        warnings = {p.id: [WARNINGS[w.code] for w in payment_warnings(p)] for p in entries}
    return _render(
        case,
        spec.step,
        form,
        template=spec.template,
        spec=spec,
        entries=[(e, spec.summary(e)) for e in entries],
        editing=editing,
        warnings=warnings,
        **(spec.context(case) if spec.context else {}),
    )


def _remove_view(spec: collections.CollectionStep):
    @vault_required
    def remove(vault, case_id, entry_id):
        case = case_or_404(vault, case_id)
        if ContinueForm().validate_on_submit():
            vault.update_case(
                case.id,
                lambda c: c.without_entry(spec.collection, entry_id),
                "walkthrough.removed",
                {"step": spec.step},
            )
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
        editing_id = request.form.get("entry_id") or ""
        editing = next((e for e in getattr(case, spec.collection) if e.id == editing_id), None)
        form = spec.form()
        if collections.form_is_blank(spec, form):
            if ContinueForm().validate_on_submit():
                return _save_and_continue(vault, case, spec.step)
            return redirect(url_for(f"walkthrough.{spec.step}", case_id=case.id))
        if not form.validate_on_submit():
            flash(_("What you typed is not saved yet: please check it below, then continue."), "warning")
            return _render_collection(case, spec, form, editing), 400
        entry = collections.entry_from_form(
            spec, form, editing.id if editing else collections.new_entry_id(), editing
        )
        flash(_("Saved."), "success")
        return _save_and_continue(vault, case, spec.step, lambda c: c.with_entry(spec.collection, entry))

    done.__name__ = f"{spec.step}_done"
    return done


for _spec in collections.COLLECTION_STEPS.values():
    bp.add_url_rule(f"/<case_id>/{_spec.step}", view_func=_collection_view(_spec), methods=["GET", "POST"])
    bp.add_url_rule(
        f"/<case_id>/{_spec.step}/remove/<entry_id>", view_func=_remove_view(_spec), methods=["POST"]
    )
    bp.add_url_rule(f"/<case_id>/{_spec.step}/done", view_func=_done_view(_spec), methods=["POST"])
