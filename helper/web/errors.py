"""Calm error pages. No stack trace ever reaches the person; the log keeps it for a developer."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from helper.vault.errors import is_disk_full
from helper.web.services import services
from helper.web.session.forms import ReopenForm

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Something went wrong with that request"),
        _l("Nothing was changed. Please go back and try again."),
    ),
    403: (
        _l("This page is closed"),
        _l(
            "Open Incident Helper from the link it showed when it started. If you closed it, "
            "start Incident Helper again: it will give you a new link."
        ),
    ),
    404: (_l("We could not find that page"), _l("Nothing was changed. You can go back to the start.")),
    405: (
        _l("Something went wrong with that request"),
        _l("Nothing was changed. Please go back and try again."),
    ),
    413: (
        _l("That file is too large"),
        _l("Nothing was saved. If it is a very long video, you can cut it into shorter parts."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("What you saved before is safe. Please go back and try again."),
    ),
}
DISK_FULL = (
    _l("The disk is full"),
    _l(
        "This was not saved, because there is no space left on this computer's disk. What you saved "
        "before is safe. Make some room (empty the bin, move videos or downloads to another disk), then "
        "go back and save again."
    ),
)
CSRF_MESSAGE = (
    _l("This page was open for a while or came from somewhere else"),
    _l("Nothing was changed. Please go back, reload the page and try again."),
)


# Called by the page's script, which shows the message itself.
JSON_ENDPOINTS = frozenset({"evidence.upload_raw"})


def render_error(code: int, title, message, **context):
    if request.endpoint in JSON_ENDPOINTS or request.headers.get("X-Autosave") == "1":
        return jsonify({"ok": False, "message": f"{title}. {message}"}), code  # the script shows them
    return render_template("errors/error.html", code=code, title=title, message=message, **context), code


CLOSED = (
    _l("This page is closed"),
    _l(
        "Incident Helper is still running on this computer, and your safe space is locked. To open it "
        "again, type your passphrase. (The link Incident Helper showed when it started works too.)"
    ),
)


def render_closed(form=None, status: int = 403):
    """The page a browser sees without the launch link: after a quick exit, or an old bookmark. It offers
    the way back (the passphrase) when there is a safe space to open."""

    reopen = (form or ReopenForm()) if services().vault.exists() else None
    return render_error(status, *CLOSED, reopen=reopen)


def handle_http_error(exc: HTTPException):
    code = exc.code or 500
    title, message = MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500])
    return render_error(code, title, message)


def handle_csrf_error(_exc: CSRFError):
    return render_error(400, *CSRF_MESSAGE)


# Form fields that are not the person's words: never shown back.
# (shown, saved, keep: what a walkthrough page carries about the versions it showed, see
# helper/web/walkthrough/edits.py)
NOT_TYPED = frozenset(
    {"csrf_token", "revision", "shown", "saved", "keep", "action", "entry_id", "items_listed", "item"}
)
# Secrets the person typed: never shown back without their asking (a hash service's PIN).
SECRET = frozenset({"pin"})


def typed_text() -> list[tuple[str, str]]:
    """What the person typed in the form that could not be saved, so the page can give it back (never
    a password, nor the form's own hidden fields)."""
    if request.method != "POST" or request.mimetype not in ("application/x-www-form-urlencoded", ""):
        return []  # an upload's form is not read again: its body was the file
    return [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in NOT_TYPED | SECRET
        and "password" not in name
        and "passphrase" not in name
        and value.strip()
    ]


def handle_unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return handle_http_error(exc)
    if is_disk_full(exc):
        back = request.path if request.method == "POST" else None  # the form, to try again
        return render_error(507, *DISK_FULL, typed=typed_text(), back=back)
    log.exception("unexpected error")
    return handle_http_error(InternalServerError())


def init_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
