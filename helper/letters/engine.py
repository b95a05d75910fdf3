"""Writes a letter of one kind from the case: offline, deterministic, and checked element by element.

The templates are data (`content/letters/<kind>.<lang>.txt`), rendered in a sandboxed Jinja2
environment with StrictUndefined. Everything from the record reaches a template as a value, never as
template source, so whatever a person (or the person threatening them) typed — `{{ 7*7 }}`,
`{% raw %}`, `${x}`, `%(x)s`, markup — comes out exactly as typed. Codes are put into words here, in
the letter's language, before a template sees them: a letter never prints an internal code.

`CONTEXT` declares every name a template may use, and `FILTERS` the filters of our own it may apply;
a test checks each template against both. Dates and amounts are written the way the letter's reader
writes them (`letter_locale`): "3 December 2026" to a UK or Australian recipient, "150,00 €" in French.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.languages import get_official_languages
from babel.numbers import format_currency, format_decimal, is_currency
from jinja2 import FileSystemLoader, StrictUndefined, meta, pass_context
from jinja2.sandbox import SandboxedEnvironment

from helper import vocabulary
from helper.case import Case, LetterCopy, Payment, Report
from helper.content import Content
from helper.content.model import CONTACT_FIELDS, Clock, Element, LetterKind, Platform, PlatformChannel
from helper.i18n import translator
from helper.letters import conditions
from helper.letters.drafts import email_draft

# The names a template may use (all plain values: text, booleans, lists of dicts of text).
CONTEXT = frozenset(
    {
        "lang",  # the letter's language
        "locale",  # the letter's locale (en_GB for a UK recipient): the `amount` filter writes with it
        "country",  # where the person lives (ISO code, or ""): which law a letter cites (UK GDPR in GB)
        "today",  # the date, written out
        "kind_name",  # the letter's title
        "signer",  # name, email, phone, address, signature, person_name, harm, birth_date (written out)
        # and birth_place (all text, maybe empty; the details the kind does not disclose are always empty)
        "court_city",  # the city of the court (tribunal judiciaire) a complaint is written to, or ""
        # the witnesses (name, address, knows), only in a letter that carries the person's full account
        "witnesses",
        "signer_role",  # "self", "parent", "counselor" or "" (for tests in the template only)
        "person",  # the name of the person in the images, when known
        "minor",  # the person was under 18 in the images (or is not sure)
        "ai_made",  # the images are fakes made from ordinary photos
        "summary",  # one sentence on what is happening, in the letter's language ("" if narrative absent)
        "narrative",  # the person's own account, as typed ("" unless the kind's narrative is "full")
        "started_on",  # the day it started, written out, or ""
        "first_contact_platform",
        "moved_to_platform",
        "platform",  # name, form_name, form_url, email (text): the channel it goes to — or None
        "locations",  # the exact addresses of the content there: url, seen_on
        "accounts",  # platform, handle, display_name, platform_id, profile_url, phone, email, note
        # (empty unless the kind names the accounts threatening: `suspect_accounts`)
        "threats",  # wording, received_at, deadline, targets
        # the ledger lines the letter is about (one payee's in a bank letter): paid (bool), state,
        # amount, currency, method, at, the details as text, own_account (the person's own account or
        # card: its last four digits), reference (the bank's), payee (who was paid, in words)
        "payments",
        "paid",  # the payments actually made (same shape)
        # what happened, in date order (undated last): at, what ("start", "threat", "payment", "seen"),
        # and the threat, payment or place itself under that name
        "chronology",
        "evidence",  # number (E1, E2… as in the dossier), name, sha256, added_at, captured_at, description
        "originals",  # description, where_posted, url
        # earlier reports: kind_name (the letter it was made with, or ""), recipient (the platform or
        # whoever the person named; "" when the kind's name says it), sent_at, reference, channel,
        # status, answered (an answer or a decision is known: otherwise "no answer as of today")
        "reports",
        "police_reports",  # the reports to the police among them (complaint, IC3, statement), same shape
        "earlier",  # the request this one escalates, in the same shape — or None
        "offences",  # cite, name, words (the law's own words for an AI-made image, or "")
    }
)

# The filters of our own a template may use (Jinja's own are there too): `amount` writes a sum in
# the letter's locale, `{{ p.amount | amount(p.currency) }}` → "150,00 €" in a French letter.
FILTERS = frozenset({"amount"})

CHECKS: dict[str, Callable[[Facts], bool]] = {}

# The statuses that say the recipient answered or decided; any other is "no answer as of today".
ANSWERED_STATUSES = frozenset({"acknowledged", "removed", "refused"})


def check(name: str):
    def register(fn: Callable[[Facts], bool]) -> Callable[[Facts], bool]:
        CHECKS[name] = fn
        return fn

    return register


def is_exact_location(url: str) -> bool:
    """An address that points at one thing: a scheme, a host with a dot, and a path or query beyond
    the site's front page. "www.reddit.com" or "https://x.com/" names a site, not an image."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or "." not in (parts.hostname or ""):
        return False
    return parts.path.strip("/") != "" or bool(parts.query) or bool(parts.fragment)


@dataclass(frozen=True)
class Facts:
    """What the checks look at: the case, and what this letter is about."""

    case: Case
    kind: LetterKind
    platform: Platform | None
    locations: tuple[str, ...]
    bare: tuple[str, ...]  # addresses given for this platform that name only a site
    earlier: Report | None
    # The payments the letter is about: one payee's for a kind written per payee, else all of them.
    payments: tuple[Payment, ...] = ()

    @property
    def signer(self):
        """The signer as this letter discloses them: details the kind does not print are empty, so
        no check is met by a detail the recipient never sees."""
        return disclosed(self.case.signer, self.kind)

    @property
    def minor(self) -> bool:
        return self.case.incident.is_minor_path


@check("signature")
def _signature(f: Facts) -> bool:
    return bool(f.signer.signature.strip())


@check("contact")
def _contact(f: Facts) -> bool:
    return any(v.strip() for v in (f.signer.email, f.signer.phone, f.signer.address))


@check("email")
def _email(f: Facts) -> bool:
    return "@" in f.signer.email


@check("name_and_email")
def _name_and_email(f: Facts) -> bool:
    return bool(f.signer.name.strip()) and "@" in f.signer.email


@check("name_and_email_unless_minor")
def _name_and_email_unless_minor(f: Facts) -> bool:
    # DSA Art. 16(2)(c): the exemption covers only the child sexual abuse offences (images of a minor).
    return f.minor or _name_and_email(f)


@check("identity")
def _identity(f: Facts) -> bool:
    return bool(f.signer.name.strip()) and bool(f.signer.address.strip())


@check("civil_status")
def _civil_status(f: Facts) -> bool:
    shown = f.kind.contact
    complaint = f.case.complaint
    return (
        "birth_date" in shown
        and "birth_place" in shown
        and bool(complaint.birth_date)
        and bool(complaint.birth_place.strip())
    )


@check("court")
def _court(f: Facts) -> bool:
    return bool(f.case.complaint.court_city.strip())


@check("location")
def _location(f: Facts) -> bool:
    return bool(f.locations)


@check("reasons")
def _reasons(f: Facts) -> bool:
    return bool(f.case.incident.narrative.strip()) or bool(f.case.incident.kind)


@check("narrative")
def _narrative(f: Facts) -> bool:
    return bool(f.case.incident.narrative.strip())


@check("dates")
def _dates(f: Facts) -> bool:
    c = f.case
    return (
        bool(c.incident.started_on) or any(t.received_at for t in c.threats) or any(p.at for p in c.payments)
    )


@check("harm")
def _harm(f: Facts) -> bool:
    return bool(f.signer.harm.strip())


@check("evidence")
def _evidence(f: Facts) -> bool:
    return bool(f.case.evidence)


@check("suspect")
def _suspect(f: Facts) -> bool:
    fields = ("handle", "display_name", "platform_id", "profile_url", "phone", "email")
    return any(any(getattr(a, name).strip() for name in fields) for a in f.case.accounts)


@check("payments")
def _payments(f: Facts) -> bool:
    return bool(f.payments)


def _has_destination(p) -> bool:
    details = (p.wallet_address, p.tx_hash, p.gift_card_code, p.payee_handle, p.iban, p.control_number)
    return any(d.strip() for d in details)


@check("payment_details")
def _payment_details(f: Facts) -> bool:
    paid = [p for p in f.payments if p.paid]
    return bool(paid) and all(p.amount.strip() and _has_destination(p) for p in paid)


@check("earlier_request")
def _earlier_request(f: Facts) -> bool:
    return f.earlier is not None and bool(f.earlier.sent_at)


@check("acting_for")
def _acting_for(f: Facts) -> bool:
    role = f.signer.acting_for
    return role == "self" or (role in ("parent", "counselor") and bool(f.signer.person_name.strip()))


def _declared(name: str) -> Callable[[Facts], bool]:
    return lambda f: bool(getattr(f.signer, name))


for _declaration in ("good_faith", "accurate", "perjury", "own_photo", "intimate_declared"):
    CHECKS[_declaration] = _declared(_declaration)


def payee_of(payment: Payment) -> tuple[str, str]:
    """Who received a payment, as a fraud desk tells payees apart: the method, and the account, card
    issuer, address or transfer it went to (a payment with none of them is a payee of its own)."""
    to = (
        payment.iban
        or payment.payee_handle
        or payment.wallet_address
        or payment.gift_card_brand
        or payment.control_number
    ).strip()
    return payment.method, to.casefold() or f"#{payment.id}"


def payees(case: Case) -> tuple[tuple[Payment, ...], ...]:
    """The payments made, one group per payee, in the order first paid in the record."""
    groups: dict[tuple[str, str], list[Payment]] = {}
    for payment in case.payments:
        if payment.paid:
            groups.setdefault(payee_of(payment), []).append(payment)
    return tuple(tuple(group) for group in groups.values())


def kind_applies(content: Content, kind: LetterKind, case: Case) -> bool:
    """Whether a kind of letter fits the case: its age path, and the country where the person lives
    (a kind's `countries` may name a union: "EU" covers France)."""
    incident = case.incident
    if kind.adult_only and incident.is_minor_path:
        return False
    if kind.minor_only and not incident.is_minor_path:
        return False
    if not conditions.met(kind.conditions, case):
        return False
    return content.covers(kind.countries, incident.country)


def disclosed(signer, kind: LetterKind):
    """The signer's details a letter of `kind` may print (its `contact`); the others are blanked."""
    own = {f.name for f in fields(signer)}
    return replace(
        signer, **{name: "" for name in CONTACT_FIELDS if name in own and name not in kind.contact}
    )


@dataclass(frozen=True)
class Route:
    """Where a letter of a kind goes on a platform, for someone in `country`: the channel, if one is
    known, and what the content says when none is (a channel looked for and not found, and the
    unconfirmed ones a request under a law is never sent to, shown only as leads to check)."""

    channel: PlatformChannel | None = None
    not_found: tuple[PlatformChannel, ...] = ()
    leads: tuple[PlatformChannel, ...] = ()

    @property
    def through_process(self) -> bool:
        """Sent through the platform's own process (a form or its app): what a law's clock needs."""
        return self.channel is not None and self.channel.type in ("form", "in-app")


def route(content: Content, kind: LetterKind, platform: Platform | None, country: str) -> Route:
    """The first channel of the platform, by the kind's purposes in order and then the platform's
    own order, that the person's country may use. A `legal` kind takes only a confirmed form, in-app
    report or address: never an information page, and never a channel for another country."""
    if platform is None or not kind.purposes:
        return Route()
    not_found: list[PlatformChannel] = []
    leads: list[PlatformChannel] = []
    for purpose in kind.purposes:
        for channel in platform.channels:
            if channel.purpose != purpose or not content.covers(channel.countries, country):
                continue
            if not channel.known:
                not_found.append(channel)
            elif kind.legal and channel.type == "page":
                continue
            elif kind.legal and not channel.confirmed:
                leads.append(channel)
            else:
                return Route(channel, tuple(not_found), tuple(leads))
    return Route(None, tuple(not_found), tuple(leads))


def clock_runs(clock: Clock, found: Route) -> bool:
    """A clock that starts with a request made through the platform's own process runs only where
    such a process is known for this letter (no TAKE IT DOWN form known: no 48 hours)."""
    return clock.start != "platform process" or found.through_process


@dataclass(frozen=True)
class Letter:
    kind: LetterKind
    lang: str
    platform: Platform | None
    route: Route  # where it goes on the platform, or what is known when nothing is
    subject: str
    text: str
    missing: tuple[Element, ...]
    bare: tuple[str, ...]  # addresses that name only a site: shown with the missing location
    payment: Payment | None = None  # for a letter written per payee: the first payment to that payee

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def channel(self) -> PlatformChannel | None:
        return self.route.channel

    @property
    def form(self) -> PlatformChannel | None:
        """The web form to paste it into, when it goes to one."""
        channel = self.route.channel
        return channel if channel is not None and channel.type == "form" else None

    @property
    def to(self) -> str | None:
        """The e-mail address it goes to, when it goes to one."""
        channel = self.route.channel
        return channel.email if channel is not None and channel.type == "address" else None

    @property
    def no_channel(self) -> bool:
        """It goes to a platform, and no channel for it is known there for where the person lives."""
        return bool(self.kind.purposes) and self.platform is not None and self.route.channel is None

    @property
    def sent_by(self) -> str:
        """How it will most likely be sent (a REPORT_CHANNELS code), to start the "sent" form with."""
        channel = self.route.channel
        if channel is not None and channel.type == "address":
            return "email"
        if channel is not None or self.no_channel:  # its form, its app, or the report button
            return "form"
        return "email"

    def runs(self, clock: Clock) -> bool:
        """Whether `clock` can run for this letter, sent the way it says."""
        return clock_runs(clock, self.route)

    def filename(self, extension: str) -> str:
        platform = f"-{self.platform.id}" if self.platform else ""
        payment = f"-{self.payment.id}" if self.payment else ""
        return f"{self.kind.id}{platform}{payment}-{self.lang}.{extension}"

    def kept(self, letter_id: str, written_at: str) -> LetterCopy:
        """The letter as the record keeps it (the dossier's appendix, the tracker)."""
        return LetterCopy(
            id=letter_id,
            kind=self.kind.id,
            lang=self.lang,
            written_at=written_at,
            text=self.text,
            platform=self.platform.id if self.platform else "",
            missing=tuple(e.id for e in self.missing),
            payment=self.payment.id if self.payment else "",
        )

    def eml(self, sender: str = "") -> bytes:
        """A draft for the mail program (X-Unsent: 1). The program never sends anything. A sender or
        recipient that is not one plain address is left out (see helper/letters/drafts.py)."""
        return email_draft(self.subject, self.text, to=self.to or "", sender=sender)


@dataclass(frozen=True)
class Option:
    """A letter that applies to the case: a kind, for a platform where it needs one."""

    kind: LetterKind
    platform: Platform | None
    missing: tuple[Element, ...]
    payment: Payment | None = None  # a kind written per payee: the first payment to this payee


class UnknownPayment(KeyError):
    """A letter asked for about a payment the case does not hold, or one that was not paid."""


class LetterWriter:
    """Writes letters from `content` with the templates in `templates` (content/letters/)."""

    @classmethod
    def from_content_root(cls, content: Content, root: Path) -> LetterWriter:
        return cls(content, root / "letters")

    def __init__(self, content: Content, templates: Path) -> None:
        self.content = content
        self._loader = FileSystemLoader(str(templates))
        self.env = SandboxedEnvironment(
            loader=self._loader,
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["amount"] = _amount_filter
        self._used: dict[str, frozenset[str]] = {}

    # -- which letters -------------------------------------------------------------------------

    def applies(self, kind: LetterKind, case: Case) -> bool:
        return kind_applies(self.content, kind, case)

    def platforms_of(self, case: Case, kind: LetterKind) -> tuple[Platform, ...]:
        """The platforms a letter of this kind can go to, for this case."""
        if kind.group == "search":
            return tuple(p for p in self.content.platforms if p.search)
        if kind.escalates:
            sent = {r.platform for r in case.reports if r.kind == kind.escalates and r.platform}
            return tuple(p for p in self.content.platforms if p.id in sent)
        found: list[Platform] = []
        for place in case.places:
            p = self.content.platform_for(place.url, place.platform) or self.content.platform("generic")
            if p and p not in found and not p.search:
                found.append(p)
        if kind.covers_accounts:
            for account in case.accounts:
                p = self.content.platform_for(account.profile_url, account.platform)
                if p and p not in found:
                    found.append(p)
        return tuple(found)

    def options(self, case: Case) -> list[Option]:
        """Every letter that applies to the case, each with what it still lacks."""
        result = []
        for kind in self.content.kinds:
            if not self.applies(kind, case):
                continue
            platforms: tuple[Platform | None, ...] = (None,)
            if kind.needs_platform:
                platforms = self.platforms_of(case, kind) or (None,)
            groups: tuple[tuple[Payment, ...] | None, ...] = payees(case) if kind.per_payee else (None,)
            for platform in platforms:
                for group in groups or (None,):
                    facts = self.facts(case, kind, platform, group[0].id if group else None)
                    result.append(Option(kind, platform, self.missing(facts), group[0] if group else None))
        return result

    def payments_for(self, case: Case, kind: LetterKind, payment_id: str | None) -> tuple[Payment, ...]:
        """The payments a letter of `kind` is about: for a kind written per payee, those made to the
        payee of `payment_id` (by default the first payee); for any other kind, every line of the
        ledger. Raises UnknownPayment for a payment that is not one of those made."""
        if not kind.per_payee:
            return case.payments
        groups = payees(case)
        if payment_id is None:
            return groups[0] if groups else ()
        found = next((g for g in groups if any(p.id == payment_id for p in g)), None)
        if found is None:
            raise UnknownPayment(payment_id)
        return found

    # -- one letter ----------------------------------------------------------------------------

    def facts(
        self, case: Case, kind: LetterKind, platform: Platform | None, payment_id: str | None = None
    ) -> Facts:
        earlier = self._earlier(case, kind, platform)
        where = platform
        exact: list[str] = []
        bare: list[str] = []
        for place in case.places:
            if not place.url.strip():
                continue
            belongs = self.content.platform_for(place.url, place.platform)
            if kind.group == "search" or where is None:
                matches = True
            elif where.generic:
                matches = belongs is None or belongs.generic
            else:
                matches = belongs is not None and belongs.id == where.id
            if matches:
                (exact if is_exact_location(place.url) else bare).append(place.url.strip())
        payments = self.payments_for(case, kind, payment_id)
        return Facts(case, kind, platform, tuple(exact), tuple(bare), earlier, payments)

    def _earlier(self, case: Case, kind: LetterKind, platform: Platform | None) -> Report | None:
        if not kind.escalates:
            return None
        sent = [
            r
            for r in case.reports
            if r.kind == kind.escalates and r.sent_at and (platform is None or r.platform == platform.id)
        ]
        return max(sent, key=lambda r: r.sent_at or "", default=None)

    def missing(self, facts: Facts) -> tuple[Element, ...]:
        elements = (self.content.element(e) for e in facts.kind.elements)
        return tuple(e for e in elements if not CHECKS[e.check](facts))

    def write(
        self,
        case: Case,
        kind_id: str,
        platform_id: str | None = None,
        lang: str | None = None,
        today: date | None = None,
        payment_id: str | None = None,
    ) -> Letter:
        """Raises KeyError for an unknown kind or platform (UnknownPayment, a KeyError, for a payment
        that was not made), ValueError for a language the kind is not written in. A kind written per
        payee is about the payments to the payee of `payment_id` (by default, the first payee)."""
        kind = self.content.kind(kind_id)
        lang = lang or kind.langs[0]
        if lang not in kind.langs:
            raise ValueError(lang)
        platform = None
        if platform_id:
            platform = self.content.platform(platform_id)
            if platform is None:
                raise KeyError(platform_id)
        elif kind.needs_platform:
            platform = next(iter(self.platforms_of(case, kind)), None) or self.content.platform("generic")
        facts = self.facts(case, kind, platform, payment_id)
        found = self.route(case, kind, platform)
        template = self.env.get_template(f"{kind.id}.{lang}.txt")
        context = _Context(self.content, case, kind, facts, found.channel, lang, today or date.today())
        text = template.render({"locale": context.locale, **context.values(self._names(template))})
        subject = kind.name.get(lang) + (f" — {platform.name}" if platform and not platform.generic else "")
        first = facts.payments[0] if kind.per_payee and facts.payments else None
        if first is not None:
            subject += f" — {context.payee(first)}"
        return Letter(kind, lang, platform, found, subject, text, self.missing(facts), facts.bare, first)

    def payee_words(self, payment: Payment, lang: str) -> str:
        """Who a payment went to, in words, in `lang`: "SampleCard (Gift card)"."""
        return _payee(payment, translator(lang).gettext)

    def route(self, case: Case, kind: LetterKind, platform: Platform | None) -> Route:
        return route(self.content, kind, platform, case.incident.country)

    def _names(self, template) -> frozenset[str]:
        """The context names a template uses, read once from its source: a letter that prints no
        evidence list does not pay for one (a case may hold thousands of items)."""
        names = self._used.get(template.name)
        if names is None:
            source = self._loader.get_source(self.env, template.name)[0]
            names = self._used[template.name] = frozenset(
                meta.find_undeclared_variables(self.env.parse(source))
            )
        return names


def letter_locale(lang: str, kind: LetterKind, country: str) -> str:
    """The locale a letter writes its dates and amounts in: its language as spoken where its reader is
    — the country of the law it invokes (a US form reads US dates), else where the person lives — when
    the language is that country's own (en_GB, en_AU, fr_CA); else the language alone (an English
    notice from France to a platform keeps English writing)."""
    region = kind.jurisdiction if kind.jurisdiction and len(kind.jurisdiction) == 2 else ""
    if region in ("", "EU"):
        region = country
    region = (region or "").upper()
    if region and lang in get_official_languages(region, de_facto=True):
        try:
            return str(Locale.parse(f"{lang}_{region}"))
        except (ValueError, UnknownLocaleError):
            pass
    return lang


@lru_cache(maxsize=4096)
def _long_date(day: date, locale: str) -> str:
    """ "November 1, 2026", "1 November 2026" (en_GB); in French "1er novembre 2026", as French writes
    the first of a month."""
    text = format_date(day, "long", locale=locale)
    if locale.startswith("fr") and day.day == 1 and text.startswith("1 "):
        text = "1er" + text[1:]
    return text


_NARROW = "\u202f"
# An amount as typed: "150", "150.00", "1,500.50" (English), or "150,00" (a decimal comma, as French
# types it). Anything else ("about 200", "0,5 BTC ?") is printed as typed.
_ENGLISH_AMOUNT = re.compile(r"(\d+|\d{1,3}(,\d{3})+)(\.\d+)?")
_COMMA_AMOUNT = re.compile(r"\d+,\d{1,2}")


def write_amount(amount: str, currency: str, locale: str) -> str:
    """A sum as the letter's reader writes it: "150,00 €" in French, "€150.00" in English, with the
    currency's sign where the currency is a known code, else its name after the number ("0.0025 BTC").
    The digits are the ones typed: nothing is rounded away."""
    typed, code = amount.strip(), currency.strip()
    number: Decimal | None = None
    with contextlib.suppress(InvalidOperation):
        if _ENGLISH_AMOUNT.fullmatch(typed):
            number = Decimal(typed.replace(",", ""))
        elif _COMMA_AMOUNT.fullmatch(typed):
            number = Decimal(typed.replace(",", "."))
    if number is None:
        return " ".join(x for x in (typed, code) if x)
    if code.upper() == code and is_currency(code):
        text = format_currency(number, code, locale=locale, decimal_quantization=False)
    else:
        exponent = number.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) else 0
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        text = " ".join(x for x in (format_decimal(number, pattern, locale=locale), code) if x)
    return text.replace(_NARROW, "\u00a0")


@pass_context
def _amount_filter(context, amount: str, currency: str = "") -> str:
    return write_amount(str(amount), str(currency), context["locale"])


def _payee(p: Payment, gettext: Callable[[str], str]) -> str:
    """Who was paid, in a few words: "$sample (Cash App)", "SampleCard (Gift card)"; the method alone
    when the record says no more."""
    method = vocabulary.PAYMENT_METHODS.label(p.method, gettext) if p.method else ""
    to = (p.gift_card_brand or p.iban or p.payee_handle or p.wallet_address or p.control_number).strip()
    if to:
        return to + (f" ({method})" if method else "")
    return method or vocabulary.PAYMENT_STATE_SHORT.label("paid", gettext)


def _instant(value: str | None) -> datetime | None:
    """A stored date or date-time as a point in time to sort by (a date alone: its midnight, UTC)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class _Context:
    """The values one letter's template sees, all in the letter's language and its reader's writing."""

    def __init__(self, content, case, kind, facts, channel, lang, today) -> None:
        self.content, self.case, self.kind, self.facts = content, case, kind, facts
        self.channel, self.lang, self.today = channel, lang, today
        self.locale = letter_locale(lang, kind, case.incident.country)
        self.t = translator(lang)

    def day(self, value: str | None) -> str:
        if not value:
            return ""
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
        return _long_date(day, self.locale)

    def moment(self, value: str | None) -> str:
        """A date and time, written out, with the zone it was noted in ("November 2, 2026, 9:15 PM
        (UTC+01:00)"; "2 November 2026, 21:15 (UTC+01:00)" to a UK reader; "2 novembre 2026, 21:15
        (UTC+01:00)")."""
        if not value:
            return ""
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) <= 10:
            return self.day(value)
        clock = format_time(parsed.replace(tzinfo=None), "short", locale=self.locale).replace(_NARROW, " ")
        text = f"{_long_date(parsed.date(), self.locale)}, {clock}"
        if parsed.tzinfo is not None:
            offset = parsed.strftime("%z")
            text += f" (UTC{offset[:3]}:{offset[3:]})"
        return text

    def label(self, vocab: vocabulary.Vocabulary, code: str) -> str:
        return vocab.label(code, self.t.gettext) if code else ""

    def values(self, names: frozenset[str]) -> dict[str, Any]:
        """The values of `names` only (each a function of the case, computed when asked for)."""
        makers = self._makers()
        return {name: makers[name]() for name in names if name in makers}

    def _makers(self) -> dict[str, Any]:
        case, incident = self.case, self.case.incident
        # The person's name is their own business to give: it comes from the record, not from what
        # this letter discloses of the signer.
        person = case.signer.name if case.signer.acting_for in ("", "self") else case.signer.person_name
        signer = self.facts.signer  # only the details this kind of letter discloses
        channel = self.channel
        platform = self.facts.platform
        return {
            "lang": lambda: self.lang,
            "country": lambda: incident.country,
            "today": lambda: _long_date(self.today, self.locale),
            "kind_name": lambda: self.kind.name.get(self.lang),
            "signer": lambda: {
                "name": signer.name.strip(),
                "email": signer.email.strip(),
                "phone": signer.phone.strip(),
                "address": signer.address.strip(),
                "signature": signer.signature.strip(),
                "person_name": signer.person_name.strip(),
                "harm": signer.harm.strip(),
                "birth_date": self.day(case.complaint.birth_date)
                if "birth_date" in self.kind.contact
                else "",
                "birth_place": case.complaint.birth_place if "birth_place" in self.kind.contact else "",
            },
            "court_city": lambda: case.complaint.court_city,
            "witnesses": lambda: (
                [{"name": w.name, "address": w.address, "knows": w.knows} for w in case.complaint.witnesses]
                if self.kind.narrative == "full"
                else []
            ),
            "signer_role": lambda: signer.acting_for,
            "person": lambda: person.strip(),
            "minor": lambda: incident.is_minor_path,
            "ai_made": lambda: incident.kind == "ai_altered",
            "summary": lambda: (
                ""
                if self.kind.narrative == "absent"
                else self.label(vocabulary.KIND_SUMMARIES, incident.kind or "other")
            ),
            "narrative": lambda: incident.narrative.strip() if self.kind.narrative == "full" else "",
            "started_on": lambda: self.day(incident.started_on),
            "first_contact_platform": lambda: incident.first_contact_platform,
            "moved_to_platform": lambda: incident.moved_to_platform,
            "platform": lambda: (
                None
                if platform is None or platform.generic
                else {
                    "name": platform.name,
                    "form_name": channel.name.get(self.lang) if channel else "",
                    "form_url": (channel.url or "") if channel else "",
                    "email": (channel.email or "") if channel else "",
                }
            ),
            "locations": lambda: [
                {"url": p.url.strip(), "seen_on": self.day(p.seen_on)}
                for p in case.places
                if p.url.strip() in self.facts.locations
            ],
            "accounts": lambda: (
                []
                if not self.kind.suspect_accounts
                else [
                    {
                        "platform": a.platform,
                        "handle": a.handle,
                        "display_name": a.display_name,
                        "platform_id": a.platform_id,
                        "profile_url": a.profile_url,
                        "phone": a.phone,
                        "email": a.email,
                        "note": a.note,
                    }
                    for a in case.accounts
                ]
            ),
            "threats": lambda: [self._threat(t) for t in case.threats],
            "payments": lambda: [self._payment(p) for p in self.facts.payments],
            "paid": lambda: [self._payment(p) for p in self.facts.payments if p.paid],
            "police_reports": self._police_reports,
            "chronology": self._chronology,
            "evidence": lambda: [
                {
                    "number": f"E{number}",
                    "name": it.original_name,
                    "sha256": it.sha256,
                    "added_at": self.moment(it.added_at),
                    "captured_at": self.moment(it.captured_at),
                    "description": it.description,
                }
                for number, it in enumerate(case.evidence, start=1)
            ],
            "originals": lambda: [
                {"description": o.description, "where_posted": o.where_posted, "url": o.url}
                for o in case.originals
            ],
            "reports": lambda: [self._report(r) for r in case.reports if r.sent_at or r.made_on],
            "earlier": lambda: self._report(self.facts.earlier) if self.facts.earlier else None,
            "offences": self._offences,
        }

    def _chronology(self) -> list[dict[str, Any]]:
        """The start, the threats, the payments and the places seen, in the order they happened (a
        clerk reads a chronology by its dates); what has no date comes last, in the record's order."""
        incident, case = self.case.incident, self.case
        events: list[tuple[str | None, dict[str, Any]]] = []
        if incident.started_on:
            events.append((incident.started_on, {"what": "start", "at": self.day(incident.started_on)}))
        for t in case.threats:
            events.append(
                (
                    t.received_at,
                    {"what": "threat", "at": self.moment(t.received_at), "threat": self._threat(t)},
                )
            )
        for p in self.facts.payments:
            events.append((p.at, {"what": "payment", "at": self.moment(p.at), "payment": self._payment(p)}))
        for place in case.places:
            if place.url.strip() in self.facts.locations:
                seen = {"url": place.url.strip(), "seen_on": self.day(place.seen_on)}
                events.append((place.seen_on, {"what": "seen", "at": self.day(place.seen_on), "place": seen}))
        never = datetime.max.replace(tzinfo=UTC)
        ordered = sorted(enumerate(events), key=lambda e: (_instant(e[1][0]) or never, e[0]))
        return [event for _, (_, event) in ordered]

    def _threat(self, t) -> dict[str, str]:
        return {
            "wording": t.wording,
            "received_at": self.moment(t.received_at),
            "deadline": self.moment(t.deadline),
            "targets": t.targets,
        }

    def _payment(self, p) -> dict[str, Any]:
        return {
            "paid": p.paid,
            "state": self.label(vocabulary.PAYMENT_STATE_SHORT, "paid" if p.paid else "demanded"),
            "amount": p.amount,
            "currency": p.currency,
            "method": self.label(vocabulary.PAYMENT_METHODS, p.method),
            "at": self.moment(p.at),
            "wallet_address": p.wallet_address,
            "tx_hash": p.tx_hash,
            "gift_card_brand": p.gift_card_brand,
            "gift_card_code": p.gift_card_code,
            "payee_handle": p.payee_handle,
            "iban": p.iban,
            "control_number": p.control_number,
            "note": p.note,
            "own_account": p.own_account,
            "reference": p.reference,
            "payee": self.payee(p),
        }

    def payee(self, p: Payment) -> str:
        return _payee(p, self.t.gettext)

    def _police_reports(self) -> list[dict[str, Any]]:
        """The reports made to the police (a complaint, an IC3 report, a statement), with their
        numbers: what a bank's fraud desk asks for."""
        police = {k.id for k in self.content.kinds if k.group == "police"}
        return [
            self._report(r)
            for r in self.case.reports
            if (r.kind in police or r.target == "police") and (r.sent_at or r.made_on)
        ]

    def _report(self, r: Report) -> dict[str, Any]:
        """A report made, as a letter lists it: the letter's kind once and its recipient once. A report
        recorded from a letter keeps the letter's title (kind and platform) as its name: its recipient
        is the platform, or nobody more than the kind's name says."""
        kind_name = self.content.kind_name(r.kind, self.lang)
        platform = self.content.platform(r.platform) if r.platform else None
        if platform is not None and not platform.generic:
            recipient = platform.name
        else:
            recipient = "" if kind_name else r.name
        return {
            "recipient": recipient,
            "kind_name": kind_name,
            "sent_at": self.moment(r.sent_at) or self.day(r.made_on),
            "reference": r.reference,
            "status": self.label(vocabulary.REPORT_STATUSES, r.status),
            "answered": bool(r.replies) or r.status in ANSWERED_STATUSES,
            "channel": self.label(vocabulary.REPORT_CHANNELS, r.channel),
        }

    def _offences(self) -> list[dict[str, str]]:
        """The offences of the person's country (else of the letter's law) that fit the case."""
        incident = self.case.incident
        ai = incident.kind == "ai_altered"
        places = [incident.country, self.kind.jurisdiction]
        for code in (c for c in places if c):
            found = []
            for jurisdiction in self.content.jurisdictions_for(code):
                for offence in jurisdiction.offences:
                    if not offence.confirmed or (offence.fakes_only and not ai):
                        continue
                    if offence.minors != offence.adults and offence.minors != incident.is_minor_path:
                        continue
                    if not conditions.met(offence.conditions, self.case):
                        continue
                    words = offence.words if ai and offence.ai_made and offence.words else ""
                    cite = offence.cite_fr if self.lang == "fr" and offence.cite_fr else offence.cite
                    found.append({"cite": cite, "name": offence.name.get(self.lang), "words": words})
            if found:
                return found
        return []
