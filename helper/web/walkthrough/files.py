"""Files that come with "Done with this step" on the evidence step: chosen, not sent yet, never dropped.

They were encrypted as they arrived (the view streams its uploads, see web/uploads.py); the evidence
desk decides each one, with every intake rule (the under-18 rule among them), as for the upload form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from helper.evidence.desk import REFUSED, Incoming
from helper.web.evidence.receiving import declared_media_type
from helper.web.services import evidence_desk

# Where a problem that is not about one file sends the person.
ELSEWHERE = {"case_gone": "cases.index", "locked": "session.unlock"}


@dataclass
class Received:
    saved: int = 0
    problems: list[str] = field(default_factory=list)  # one sentence each, for the person
    minor: bool = False  # refused by the under-18 rule (said as a warning, not an error)
    elsewhere: str | None = None  # the case is gone, or the vault locked: go there instead


def receive_files(vault, case_id: str) -> Received:
    """The form's files, each added to the case or refused with its reason."""
    streams: list[tuple[FileStorage, Incoming]] = []
    for part in request.files.getlist("files"):
        if isinstance(part.stream, Incoming):
            streams.append((part, part.stream))
    intimate = bool(request.form.get("intimate"))
    declared = bool(request.form.get("no_intimate"))
    received = Received()
    try:
        chosen = [(f, s) for f, s in streams if f.filename or s.tell()]  # not the part sent when none is
        if not chosen:
            return received
        desk = evidence_desk(vault)
        early = desk.precheck(case_id, intimate=intimate, declared_not_intimate=declared)
        if early is not None:
            received.problems.append(early.message(_))
            received.minor = early.status == "minor"
            received.elsewhere = _where(early.status)
            return received
        for part, stream in chosen:
            outcome = desk.receive(
                case_id,
                stream,
                name=part.filename or "",
                media_type=declared_media_type(part.mimetype),
                intimate=intimate,
                declared_not_intimate=declared,
            )
            if outcome.saved:
                received.saved += 1
                continue
            received.problems.append(outcome.message(_))
            if outcome.status != REFUSED:
                received.elsewhere = received.elsewhere or _where(outcome.status)
    finally:
        for _part, stream in streams:
            stream.discard()  # a no-op for the saved ones
    return received


def _where(status: str) -> str | None:
    endpoint = ELSEWHERE.get(status)
    return url_for(endpoint) if endpoint else None
