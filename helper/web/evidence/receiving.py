"""What the pages that take files share (the case page, the walkthrough's evidence step, the upload
views): no views here, so none of them imports another blueprint's routes."""

from __future__ import annotations

import re

from flask import flash, redirect, request, url_for
from flask_babel import ngettext

from helper.web.views import local_path

_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


def flash_added() -> bool:
    """The upload script comes back with ?added=N once its files are saved: say so, once."""
    added = request.args.get("added", "")
    if not (added.isdigit() and int(added) > 0):
        return False
    n = int(added)
    flash(ngettext("%(num)s file saved and encrypted.", "%(num)s files saved and encrypted.", n), "success")
    return True


def after_upload(case_id: str):
    """Back where the upload form was: the case page, or the walkthrough's evidence step."""
    return redirect(local_path(request.form.get("next")) or url_for("cases.show", case_id=case_id))


def declared_media_type(value: str | None) -> str:
    value = (value or "").split(";", 1)[0].strip().lower()
    return value if _MEDIA_TYPE.match(value) else "application/octet-stream"
