"""The letters' tests: their writer, and the sample case in each country a kind of letter applies in."""

from __future__ import annotations

from datetime import date

from helper.case import Case
from helper.content import load_content
from helper.letters.engine import LetterWriter
from helper.resources import data_dir
from tests.support.cases import PLACES, SENT_AT, SIGNER, sample_case

# The sample case's signer, places and sending time, under the names the letters' tests know them by.
__all__ = [
    "COUNTRY_OF", "PLACES", "PLATFORM_OF", "SENT_AT", "SIGNER", "TODAY", "empty_case", "full_case", "writer",
]

CONTENT_ROOT = data_dir("content")
TODAY = date(2026, 11, 28)


def writer() -> LetterWriter:
    return LetterWriter.from_content_root(load_content(CONTENT_ROOT), CONTENT_ROOT)


def full_case(country: str = "US", minor: str = "no", kind: str = "financial") -> Case:
    """The sample case (tests/support/cases.py), in which every element of every kind of letter is present."""
    return sample_case(country=country, minor=minor, kind=kind)


def empty_case(country: str = "") -> Case:
    return Case(id="c0", title="Empty", created_at="2026-11-01T09:00:00+00:00").with_incident(country=country)


# The country a complete case needs for each kind to apply.
COUNTRY_OF = {
    "uk-intimate-image-report": "GB",
    "dsa-notice": "FR",
    "gdpr-erasure": "FR",
    "police-us-ic3": "US",
    "police-fr-procureur": "FR",
    "police-fr-thesee": "FR",
    "police-uk": "GB",
    "police-ca": "CA",
    "police-es-denuncia": "ES",
    "esafety": "AU",
    "escalation-arcom": "FR",
    "escalation-cnil": "FR",
    "escalation-ico": "GB",
    "uk-data-complaint": "GB",
}

# The platform each kind is written for in tests.
PLATFORM_OF = {"search-delisting": "google-search"}
