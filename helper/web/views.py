"""Small helpers shared by the blueprints' views."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import redirect, request, url_for

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
