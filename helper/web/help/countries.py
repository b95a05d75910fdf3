"""The country a person probably lives in, from the browser's languages: where Help now and the first
question start (the person can always choose another)."""

from __future__ import annotations

from flask import request

# Where the browser's language names a region we know, start there.
_REGIONS = {
    "US": "US", "FR": "FR", "GB": "GB", "UK": "GB", "CA": "CA", "AU": "AU",
    "ES": "ES", "IE": "IE", "BE": "BE", "CH": "CH",
}  # fmt: skip


def guess_country() -> str:
    """The country the browser's languages point to (fr-CA: Canada; plain fr: France)."""
    for value, _quality in request.accept_languages:
        parts = value.replace("_", "-").split("-")
        if len(parts) > 1 and parts[1].upper() in _REGIONS:
            return _REGIONS[parts[1].upper()]
    best = request.accept_languages.best or ""
    return "FR" if best.lower().startswith("fr") else "INTL"
