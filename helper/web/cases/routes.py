"""The list of cases, and one case's page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from helper.vault import CaseNotFound, DamagedCase, StaleRevision
from helper.web.cases.forms import NewCaseForm, RenameCaseForm
from helper.web.evidence.forms import LinkForm, UploadForm
from helper.web.evidence.routes import flash_added
from helper.web.services import services
from helper.web.views import vault_required
from helper.web.walkthrough import steps

bp = Blueprint("cases", __name__, url_prefix="/cases")


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
    return render_template("cases/index.html", cases=vault.list_cases(), form=NewCaseForm())


@bp.post("/new")
@vault_required
def create(vault):
    form = NewCaseForm()
    if not form.validate_on_submit():
        return render_template("cases/index.html", cases=vault.list_cases(), form=form), 400
    case = vault.create_case(form.title.data)
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
        vault.rename_case(case_id, form.title.data, expected_revision=int(form.revision.data))
    except StaleRevision:
        flash(
            _(
                "This case was changed in another window. Here is the latest version: "
                "please check the name and save again."
            ),
            "warning",
        )
    except ValueError:
        flash(_("Please give the case a name."), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("cases.show", case_id=case_id))
