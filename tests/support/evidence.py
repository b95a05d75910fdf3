"""Adding a file to a case as the command line does: through the evidence desk."""

from __future__ import annotations

import io
from typing import BinaryIO

from helper.case import EvidenceItem, MinorImageRefused
from helper.evidence.desk import EvidenceDesk
from helper.evidence.rejections import Rejected


def add_file(
    vault,
    case_id: str,
    source: bytes | BinaryIO,
    name: str,
    media_type: str = "application/octet-stream",
    file_modified: str | None = None,
    max_size: int | None = None,
    **rules,
) -> EvidenceItem:
    """The saved item; a refusal raises what it is (`Rejected`, `MinorImageRefused`) so a test can say
    which one it expects."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    outcome = EvidenceDesk(vault, max_size=max_size).receive_stream(
        case_id, stream, name=name, media_type=media_type, file_modified=file_modified, **rules
    )
    if outcome.status == "refused":
        raise Rejected(outcome.reason, name)
    if outcome.status == "minor":
        raise MinorImageRefused(name)
    assert outcome.saved, outcome
    assert outcome.item is not None, outcome
    return outcome.item
