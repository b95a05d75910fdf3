"""The dossier's reader: its words, dates and amounts as they write them.

A dossier (and a session summary) speaks one language, and writes dates the way its reader's region
does: an English dossier of a UK or Australian case reads "26 Oct 2026", of a US case "Oct 26, 2026";
a French one "26 oct. 2026". The region is the case's country, as the police and platforms it goes to
are there. French punctuation gets its no-break space before « : ; ! ? » (a colon never starts a line).
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from helper.i18n import translator

NBSP = "\u00a0"
# reportlab breaks lines at a narrow no-break space (U+202F, which Babel writes in French numbers), not
# at U+00A0: every no-break space of the PDF is U+00A0.
_NARROW = "\u202f"
_SPACE_BEFORE = re.compile(rf"[ {_NARROW}](?=[:;!?»])")
_SPACE_AFTER = re.compile(rf"(?<=«)[ {_NARROW}]")
# An amount as typed the English way ("150", "150.00", "1,500.50"); anything else is shown as typed.
_AMOUNT = re.compile(r"(\d+|\d{1,3}(,\d{3})+)(\.\d+)?")


def reader_locale(lang: str, country: str = "") -> Locale:
    """The locale dates are written in: the language, in the case's country where the two make one
    (en_GB, en_AU, fr_CA, fr_BE…), else the language alone."""
    region = (country or "").strip().upper()
    if len(region) == 2 and region.isalpha():
        try:
            return Locale.parse(f"{lang}_{region}")
        except (ValueError, UnknownLocaleError):
            pass
    return Locale.parse(lang)


def french_spacing(text: str) -> str:
    """A no-break space where French puts a space before « : ; ! ? » and inside « »."""
    return _SPACE_AFTER.sub(NBSP, _SPACE_BEFORE.sub(NBSP, text))


class Reader:
    """gettext and ngettext, as the sections call them, with the reader's punctuation; and every date
    and amount of the record in the reader's own writing."""

    def __init__(self, lang: str, country: str = "") -> None:
        self.lang = lang
        self.locale = reader_locale(lang, country)
        self._translations = translator(lang)

    def _typeset(self, text: str) -> str:
        return french_spacing(text) if self.lang == "fr" else text

    def gettext(self, message: str) -> str:
        return self._typeset(self._translations.gettext(message))

    def ngettext(self, singular: str, plural: str, num: int) -> str:
        return self._typeset(self._translations.ngettext(singular, plural, num))

    def labelled(self, label: str, value: object) -> str:
        """ "Label: value"; in French "Label : value", the colon held to its label."""
        return self.gettext("%(label)s: %(value)s") % {"label": label, "value": value}

    # -- dates ----------------------------------------------------------------------------------

    def day(self, value: date) -> str:
        return format_date(value, "medium", locale=self.locale).replace(_NARROW, NBSP)

    def moment(self, value: str | datetime | date | None, utc: bool = False) -> str:
        """A stored date or date-time to the minute, as the reader writes it: "26 Oct 2026, 08:15".
        A time with its zone is shown in this computer's zone (in UTC with `utc`), one without (typed
        by the person, or from a phone's chat export) as recorded, never shifted. Text that is not a
        date is shown as it is."""
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            text = value.strip()
            try:
                if len(text) == 10:
                    return self.day(date.fromisoformat(text))
                value = datetime.fromisoformat(text)
            except ValueError:
                return text
        if not isinstance(value, datetime):
            return self.day(value)
        if value.tzinfo is not None:
            value = value.astimezone(UTC if utc else None).replace(tzinfo=None)
        # The time in one piece: "9:00 AM", "09 h 00" (fr_CA) are never cut across lines.
        time = format_time(value, "short", locale=self.locale).replace(_NARROW, NBSP).replace(" ", NBSP)
        pattern = str(self.locale.datetime_formats["medium"]).replace("'", "")
        written = pattern.replace("{0}", time).replace("{1}", self.day(value.date()))
        return written.replace(_NARROW, NBSP)

    def zone(self, at: str) -> str:
        """This computer's offset from UTC at `at` (an ISO date-time with its zone): "UTC+01:00", "UTC"."""
        offset = datetime.fromisoformat(at).astimezone().utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset else 0
        if not minutes:
            return "UTC"
        sign = "+" if minutes >= 0 else "-"
        return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    # -- numbers and amounts --------------------------------------------------------------------

    def count(self, number: int) -> str:
        """A whole number with the reader's digit grouping ("50,992"; "50 992" in French), in one piece."""
        return format_decimal(number, locale=self.locale).replace(_NARROW, NBSP).replace(" ", NBSP)

    def amount(self, amount: str, currency: str) -> str:
        """An amount with the reader's decimal mark and its digits as typed ("150,00 USD" in French):
        nothing rounded. Text that is not a number is shown as typed."""
        number = amount.strip()
        value = None
        if _AMOUNT.fullmatch(number):
            with contextlib.suppress(InvalidOperation):
                value = Decimal(number.replace(",", ""))
        if value is not None:
            decimals = len(number.partition(".")[2])
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            number = format_decimal(value, pattern, locale=self.locale).replace(_NARROW, NBSP)
        return NBSP.join(x for x in (number, currency.strip()) if x)
