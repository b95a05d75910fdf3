"""The shapes content takes once loaded: frozen, typed, in every language the program speaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Text:
    """A sentence in every language the program speaks."""

    en: str
    fr: str
    es: str

    def get(self, lang: str) -> str:
        if lang == "fr":
            return self.fr
        if lang == "es":
            return self.es
        return self.en


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


# Where a letter to a platform can go (content/platforms/*.toml, `[[channels]]`), by `type`:
CHANNEL_TYPES = (
    "form",  # a web form to paste the letter into (`url`)
    "in-app",  # a report made inside the app (`in_app` says where)
    "address",  # an e-mail address (`email`)
    "page",  # an information page (`url`): never where a request under a law is sent
    "none",  # the research looked for this channel and did not find it (`note` says so)
)
# The signer's details a letter may print (a kind's `contact`, its disclosure profile): the date and
# place of birth (the état civil a complaint to the prosecutor gives) come from the record's complaint.
CONTACT_FIELDS = ("name", "signature", "email", "phone", "address", "birth_date", "birth_place")
# How much of the person's own account of what happened a letter carries (a kind's `narrative`).
NARRATIVE_SHARES = ("full", "short", "absent")


@dataclass(frozen=True)
class PlatformChannel:
    """One way to reach a platform for one purpose (TAKE IT DOWN, DSA, NCII, privacy, copyright...),
    for the people in `countries` (empty: anyone)."""

    id: str
    purpose: str
    type: str  # one of CHANNEL_TYPES
    name: Text
    confirmed: bool  # False: the research could not confirm it; the app says "check this"
    source: str
    checked: date
    url: str | None = None
    email: str | None = None
    in_app: Text | None = None
    asks: Text | None = None
    countries: tuple[str, ...] = ()  # where it can be used (codes or unions such as "EU"); empty: anywhere
    scope: Text | None = None  # the scope in the platform's own words ("without an account, US only")
    note: Text | None = None
    account_needed: bool = False

    @property
    def known(self) -> bool:
        """A channel there is, rather than a note that none was found."""
        return self.type != "none"


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
    in_app: Text | None = None
    response: Text | None = None
    response_hours: int | None = None
    notes: tuple[Text, ...] = ()
    generic: bool = False
    search: bool = False  # a search engine: it gets delisting requests, not removal letters
    channels: tuple[PlatformChannel, ...] = ()


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
    outside: tuple[str, ...] = ()  # unions it is not part of: their laws never apply here
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
    # Where it goes: the purposes of the platform channels it may use, in order of preference. A
    # `legal` kind (a request under a law) goes only to a confirmed form, in-app report or address.
    purposes: tuple[str, ...] = ()
    legal: bool = False
    no_channel: Text | None = None  # the next step when no channel is known for it
    group: str | None = None  # its step of the plan (vocabulary.TAKEDOWN_GROUPS); None: not planned
    covers_accounts: bool = False  # also goes to the platforms of the accounts threatening
    # What it discloses: the signer's details it prints (CONTACT_FIELDS), how much of the person's
    # account (NARRATIVE_SHARES), whether it names the accounts threatening, and who else may see it.
    contact: tuple[str, ...] = ()
    narrative: str = "full"
    suspect_accounts: bool = False
    seen_by: Text | None = None
    per_payee: bool = False  # one letter for each payee of the money paid, about those payments only


@dataclass(frozen=True)
class Blocking:
    """A hash-matching or removal service offered first in the plan: for whose images (`ages`:
    adult or minor), and where (`countries`, empty: everywhere)."""

    service: str  # a removal service id (guidance/removal.toml)
    ages: str
    about: Text
    source: str
    checked: date
    countries: tuple[str, ...] = ()


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
