"""Small helpers shared by the blueprints' views."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for

from helper.vault import CaseNotFound, DamagedCase
from helper.web.services import current_vault, services


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: never redirect elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def case_or_404(vault, case_id: str):
    """The case, or the calm "not found" page (a damaged case file is not found either)."""
    try:
        return vault.load_case(case_id)
    except (CaseNotFound, DamagedCase):
        abort(404)


def item_or_404(vault, case_id: str, item_id: str):
    """The case and one of its evidence items, or the calm "not found" page."""
    case = case_or_404(vault, case_id)
    item = case.item(item_id)
    if item is None:
        abort(404)
    return case, item


def vault_required(view):
    """Give the view the unlocked vault, or send the person to unlock it first."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        vault = current_vault()
        if vault is None:
            if not services().vault.exists():
                return redirect(url_for("session.setup"))
            target = request.full_path if request.method == "GET" else None
            return redirect(url_for("session.unlock", next=target))
        return view(vault, *args, **kwargs)

    return wrapper
