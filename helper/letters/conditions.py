"""Facts of the record that decide whether a letter, a clock or an offence fits a case.

Content declares them by name (`conditions = ["money-demanded", "never-met"]` in kinds.toml,
clocks.toml and the offences of jurisdictions/): THESEE takes online blackmail with a money demand
by someone the person never met; the UK 48-hour take-down duty covers images that were shared, not
threats; blackmail in England and Wales is a demand for money or property; a bank can act only on
money that was paid; the FTC takes complaints about a TAKE IT DOWN request a platform left undone,
not about one never made. Each name is one question asked of the record here. Kept free of imports
from the rest of the program, so content can be validated against the names without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _money_demanded(case: Any) -> bool:
    # A line of the ledger is a demand or a payment: either way, money was asked for.
    return bool(case.payments)


def _never_met(case: Any) -> bool:
    # The only answer that says so: "Someone I met online wants money or more images" (not an ex, not
    # someone the person knows). The letter page says plainly that THESEE is for someone never met.
    return case.incident.kind == "financial"


def _images_shared(case: Any) -> bool:
    # The images are somewhere: a place was noted, or the person said they have been posted.
    return case.incident.kind == "posted" or any(p.url.strip() or p.platform.strip() for p in case.places)


def _sent(case: Any, kind: str) -> bool:
    """A letter of `kind` was recorded as sent (a draft, or a report with no sending time, is not)."""
    return any(r.kind == kind and r.sent_at and r.status not in ("", "draft") for r in case.reports)


CONDITIONS: dict[str, Callable[[Any], bool]] = {
    "money-demanded": _money_demanded,
    "never-met": _never_met,
    "images-shared": _images_shared,
    "threat-only": lambda case: not _images_shared(case),
    "nothing-paid": lambda case: not any(p.paid for p in case.payments),
    "money-paid": lambda case: any(p.paid for p in case.payments),
    "take-it-down-sent": lambda case: _sent(case, "take-it-down"),
    # UK: the complaint to the organisation follows an erasure request it left undone.
    "erasure-sent": lambda case: _sent(case, "gdpr-erasure"),
    # and the ICO takes the complaint the organisation left undone.
    "organisation-complaint-sent": lambda case: _sent(case, "uk-data-complaint"),
}
CONDITION_NAMES = tuple(CONDITIONS)


def holds(case: Any) -> frozenset[str]:
    """The conditions that hold for `case`."""
    return frozenset(name for name, test in CONDITIONS.items() if test(case))


def met(conditions: tuple[str, ...], case: Any) -> bool:
    """Whether every one of `conditions` holds for `case` (none declared: always)."""
    return all(CONDITIONS[name](case) for name in conditions)
