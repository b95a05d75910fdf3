"""The list of cases, and one case's page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from helper.casework import cases
from helper.vault import CaseNotFound, DamagedCase, StaleRevision
from helper.web.cases import bp
from helper.web.cases.forms import CloseCaseForm, DeleteCaseForm, NewCaseForm, RenameCaseForm
from helper.web.evidence.forms import LinkForm, UploadForm
from helper.web.evidence.receiving import flash_added
from helper.web.services import services
from helper.web.views import vault_required
from helper.web.walkthrough import steps


def load_case_or_404(vault, case_id):
    try:
        return vault.load_case(case_id)
    except CaseNotFound:
        abort(404)
    except DamagedCase:
        flash(_("This case cannot be read: its file is damaged. Your other cases are fine."), "error")
        return None


@bp.get("/")
@vault_required
def index(vault):
    return render_index(vault, NewCaseForm())


def render_index(vault, form, status: int = 200):
    """The case list: searched, most recent activity first, with closed cases past retention."""
    cases = vault.list_cases()
    query = request.args.get("q", "").strip()[:200]
    shown = [row for row in cases if row.matches(query)] if query else cases
    limit = (datetime.now(UTC) - timedelta(days=services().config.retention_days)).isoformat()
    old = [row for row in cases if row.summary and row.summary.closed_at and row.summary.closed_at < limit]
    shown.sort(key=lambda row: row.last_activity, reverse=True)
    return render_template(
        "cases/index.html",
        cases=shown,
        query=query,
        total=len(cases),
        old=old,
        retention_days=services().config.retention_days,
        form=form,
    ), status


@bp.post("/new")
@vault_required
def create(vault):
    form = NewCaseForm()
    if not form.validate_on_submit():
        return render_index(vault, form, 400)
    case = cases.create(vault, form.title.data)
    return redirect(url_for("walkthrough.safety", case_id=case.id))


@bp.get("/<case_id>")
@vault_required
def show(vault, case_id):
    case = load_case_or_404(vault, case_id)
    if case is None:
        return redirect(url_for("cases.index"))
    rename = RenameCaseForm(title=case.title, revision=str(case.revision))
    if flash_added():
        return redirect(url_for("cases.show", case_id=case_id))
    return render_case(case, rename)


@bp.post("/<case_id>/close")
@vault_required
def close(vault, case_id):
    case = load_case_or_404(vault, case_id)
    if case is None or not CloseCaseForm().validate_on_submit():
        abort(400)
    closing = case.closed_at is None
    cases.set_closed(vault, case.id, closing)
    flash(
        _("The case is closed. It stays here until you delete it.")
        if closing
        else _("The case is open again."),
        "info",
    )
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<case_id>/delete", methods=["GET", "POST"])
@vault_required
def delete(vault, case_id):
    """Delete a case for good, after its name is typed: a slip of the finger cannot do it."""
    case = load_case_or_404(vault, case_id)
    if case is None:
        return redirect(url_for("cases.index"))
    form = DeleteCaseForm()
    if form.validate_on_submit():
        try:
            cases.delete(vault, case, form.confirm.data)
        except cases.NameNotConfirmed:
            form.confirm.errors = [_("That is not the case's name. Nothing was deleted.")]
        else:
            flash(_("The case and all its files were deleted."), "info")
            return redirect(url_for("cases.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("cases/delete.html", case=case, form=form), status


PER_PAGE = 50
# Kinds of file a person can filter the case page by, each a test on the item.
ITEM_KINDS = {
    "picture": lambda it: it.image is not None,
    "chat": lambda it: it.chat is not None,
    "video": lambda it: (it.detected_type or it.media_type).startswith(("video/", "audio/")),
    "other": lambda it: (
        it.image is None
        and it.chat is None
        and not (it.detected_type or it.media_type).startswith(("video/", "audio/"))
    ),
}


def item_kinds():
    return [
        ("picture", _("Pictures")),
        ("chat", _("Chat exports")),
        ("video", _("Videos and sound")),
        ("other", _("Other files")),
    ]


def page_of_items(case):
    """One page of the case's files (a case may hold thousands), found by name or description, of
    one kind, in the order they were added."""
    query = request.args.get("q", "").strip().casefold()[:200]
    kind = request.args.get("kind", "")
    test = ITEM_KINDS.get(kind, lambda it: True)
    found = [
        (number, it)
        for number, it in enumerate(case.evidence, start=1)  # E1, E2...: the dossier's numbers
        if test(it)
        and (not query or query in it.original_name.casefold() or query in it.description.casefold())
    ]
    pages = max(1, -(-len(found) // PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    first = (page - 1) * PER_PAGE
    return {
        "items": found[first : first + PER_PAGE],
        "found": len(found),
        "first": first + 1,
        "last": min(first + PER_PAGE, len(found)),
        "page": page,
        "pages": pages,
        "per_page": PER_PAGE,
        "item_query": request.args.get("q", "").strip()[:200],
        "item_kind": kind if kind in ITEM_KINDS else "",
        "item_kinds": item_kinds(),
    }


def render_case(case, rename_form):
    """The case page, with every form it carries."""
    resume = steps.resume_step(case)
    resume_url = url_for(f"walkthrough.{resume.name.replace('-', '_')}", case_id=case.id) if resume else None
    return render_template(
        "cases/show.html",
        case=case,
        rename=rename_form,
        upload=UploadForm(),
        link_form=LinkForm(),
        resume=resume,
        resume_url=resume_url,
        whats_next=services().tracker.whats_next(case, services().clock()),
        close_form=CloseCaseForm(),
        **page_of_items(case),
        lang=get_locale().language,
    )


@bp.post("/<case_id>/rename")
@vault_required
def rename(vault, case_id):
    case = load_case_or_404(vault, case_id)
    if case is None:
        return redirect(url_for("cases.index"))
    form = RenameCaseForm()
    if not form.validate_on_submit() or not form.revision.data.isdigit():
        return render_case(case, form), 400
    try:
        cases.rename(vault, case_id, form.title.data, expected_revision=int(form.revision.data))
    except StaleRevision:
        flash(
            _(
                "This case was changed in another window. Here is the latest version: "
                "please check the name and save again."
            ),
            "warning",
        )
    except cases.NameMissing:
        flash(_("Please give the case a name."), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("cases.show", case_id=case_id))
