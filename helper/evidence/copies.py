"""Find copies: which stored images a picture found elsewhere matches, exactly or to the eye."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from helper.case import Case, EvidenceItem
from helper.evidence.images import PDQ_MATCH_DISTANCE, pdq_distance
from helper.evidence.intake import inspect
from helper.evidence.names import check_file_name
from helper.evidence.sample import Sample


@dataclass(frozen=True)
class Match:
    case: Case
    item: EvidenceItem
    exact: bool  # the very same bytes (SHA-256)
    distance: int | None  # PDQ bits apart; 0-31 looks the same to the eye


@dataclass(frozen=True)
class Probe:
    sha256: str
    mime: str
    pdq: str | None
    pdq_quality: int


class NotAnImage(ValueError):
    """Find copies compares pictures; this file is something else."""


def probe(data: bytes, name: str = "") -> Probe:
    """Fingerprint a picture held in memory, with every check intake makes (it may raise Rejected)."""
    check_file_name(name)
    sample = Sample()
    sample.update(data)
    if data and sample.detected.family != "image":
        raise NotAnImage(sample.detected.mime)
    facts = inspect(sample, name).image
    return Probe(
        sha256=hashlib.sha256(data).hexdigest(),
        mime=sample.detected.mime,
        pdq=facts.pdq if facts else None,
        pdq_quality=facts.pdq_quality if facts else 0,
    )


def find_copies(found: Probe, cases: list[Case], threshold: int = PDQ_MATCH_DISTANCE) -> list[Match]:
    """Stored items that are the same file, or look the same, closest first."""
    matches = []
    for case in cases:
        for item in case.evidence:
            exact = item.sha256 == found.sha256
            distance = None
            if found.pdq and item.image is not None and item.image.pdq:
                distance = pdq_distance(found.pdq, item.image.pdq)
            if exact or (distance is not None and distance <= threshold):
                matches.append(Match(case, item, exact, 0 if exact else distance))
    return sorted(matches, key=lambda m: (not m.exact, m.distance if m.distance is not None else 999))
