"""The shapes content takes once loaded: frozen, typed, in both languages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Text:
    """A sentence in every language the program speaks."""

    en: str
    fr: str

    def get(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class Country:
    code: str
    name: Text
    emergency: str
    source: str
    checked: date
    note: Text | None = None


@dataclass(frozen=True)
class HelpLine:
    id: str
    country: str
    name: str
    about: Text
    hours: Text
    audience: str  # "everyone" or "young"
    source: str
    checked: date
    phone: str | None = None
    sms: Text | None = None
    web: str | None = None
    note: Text | None = None

    @property
    def tel(self) -> str | None:
        """The number as a tel: link wants it."""
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+") if self.phone else None


@dataclass(frozen=True)
class Advice:
    id: str
    title: Text
    body: Text
    source: str
    checked: date
    minor_only: bool = False
    adult_only: bool = False


@dataclass(frozen=True)
class RemovalService:
    """A free service that takes images down or takes reports."""

    id: str
    name: str
    about: Text
    web: str
    audience: str
    source: str
    checked: date
    phone: str | None = None
    note: Text | None = None
    by: tuple[str, ...] = ()  # who runs it, listed after its name in the reader's language
    when: Text | None = None  # when it applies, as the plan says it
    needs: Text | None = None  # what the person needs to use it (the file, on this device...)


@dataclass(frozen=True)
class CounselorGuide:
    """Beside one walkthrough step, for a counselor: what to ask, what to watch for, what it records."""

    step: str
    ask: Text
    watch: Text
    produces: Text
    source: str
    checked: date
    say: Text | None = None
    minor_note: Text | None = None


@dataclass(frozen=True)
class PlatformForm:
    """A platform's own web form for one purpose (NCII removal, TAKE IT DOWN, DSA, copyright...)."""

    id: str
    purpose: str
    name: Text
    url: str
    asks: Text
    confirmed: bool  # False: the research could not confirm it; the app says "check this on the site"
    source: str
    checked: date
    scope: Text | None = None
    us_only: bool = False
    note: Text | None = None
    account_needed: bool = False


@dataclass(frozen=True)
class Platform:
    id: str
    name: str
    stopncii: str  # yes | no | unknown
    take_it_down: str
    source: str
    checked: date
    owner: str | None = None
    domains: tuple[str, ...] = ()
    email: str | None = None
    email_confirmed: bool = True
    in_app: Text | None = None
    response: Text | None = None
    response_hours: int | None = None
    notes: tuple[Text, ...] = ()
    generic: bool = False
    forms: tuple[PlatformForm, ...] = ()

    def form(self, *purposes: str) -> PlatformForm | None:
        """The first form serving one of `purposes`, in the order asked."""
        for purpose in purposes:
            for f in self.forms:
                if f.purpose == purpose:
                    return f
        return None


@dataclass(frozen=True)
class Offence:
    id: str
    cite: str
    name: Text
    about: Text
    penalty: Text
    confirmed: bool
    source: str
    checked: date
    words: str | None = None  # the law's own words for the AI-made case, in the law's language
    ai_made: bool = False  # also covers images made or altered by software
    fakes_only: bool = False  # covers only those: not cited for real images
    threat: bool = False
    minors: bool = False
    adults: bool = False
    in_force: Text | None = None
    cite_fr: str | None = None  # how a French letter cites it, where the law is bilingual (Canada)
    conditions: tuple[str, ...] = ()  # facts of the record it needs (helper.letters.conditions)


@dataclass(frozen=True)
class Channel:
    """Somewhere to report: police, an online form, a prosecutor, a regulator, a hotline."""

    id: str
    name: str
    channel: str
    about: Text
    audience: str
    confirmed: bool
    source: str
    checked: date
    web: str | None = None
    phone: str | None = None
    letter: str | None = None
    public_only: bool = False
    note: Text | None = None

    @property
    def tel(self) -> str | None:
        """The number as a tel: link wants it."""
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+") if self.phone else None


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: Text
    source: str
    checked: date
    note: Text | None = None
    countries: tuple[str, ...] = ()
    offences: tuple[Offence, ...] = ()
    channels: tuple[Channel, ...] = ()


@dataclass(frozen=True)
class Clock:
    """How long a recipient has to answer, by what rule, counted from which event."""

    id: str
    kind: str  # the letter kind it runs for
    basis: str  # law | platform promise | reminder (never shown as a deadline)
    start: str  # platform process | regulator notice | receipt | sending
    about: Text
    source: str
    checked: date
    hours: int | None = None
    days: int | None = None
    months: int | None = None
    platform: str | None = None  # only for this platform's reports
    escalate: str | None = None  # the letter kind to use when it runs out
    extension: Text | None = None
    confirmed: bool = True
    conditions: tuple[str, ...] = ()  # facts of the record it needs (helper.letters.conditions)


@dataclass(frozen=True)
class LetterKind:
    id: str
    name: Text
    about: Text
    langs: tuple[str, ...]
    recipient: Text
    elements: tuple[str, ...]
    source: str
    checked: date
    needs_platform: bool = False
    escalates: str | None = None
    countries: tuple[str, ...] = ()
    adult_only: bool = False
    minor_only: bool = False
    own_photo_only: bool = False
    note: Text | None = None
    warning: Text | None = None
    jurisdiction: str | None = None
    conditions: tuple[str, ...] = ()  # facts of the record it needs (helper.letters.conditions)


@dataclass(frozen=True)
class Element:
    """Something a letter of a kind must contain, with the clause of the law that requires it."""

    id: str
    clause: Text  # the clause of law (or the form) that requires it
    check: str
    name: Text
    fix: Text
    source: str
    checked: date
    wording: str | None = None
