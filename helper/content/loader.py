"""Reads and validates `content/`. Errors name the file, the record and the field."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from helper.content.model import (
    CHANNEL_TYPES,
    CONTACT_FIELDS,
    NARRATIVE_SHARES,
    Advice,
    Blocking,
    Channel,
    Clock,
    CounselorGuide,
    Country,
    Element,
    HelpLine,
    Jurisdiction,
    LetterKind,
    Offence,
    Platform,
    PlatformChannel,
    RemovalService,
    Text,
)
from helper.letters.checks import CHECK_NAMES
from helper.letters.conditions import CONDITION_NAMES
from helper.vocabulary import LANGUAGES, STEPS, TAKEDOWN_GROUPS

# The languages every translatable content field must have: all of them, so that no page, letter page
# or dossier in one language falls back to another's words.
CONTENT_LANGUAGES = LANGUAGES

AUDIENCES = ("everyone", "young")
# The closed lists a content field may take (see content/schema.toml).
CHOICES: dict[str, tuple[str, ...]] = {
    "audience": AUDIENCES,
    "answer": ("yes", "no", "unknown"),
    "purpose": (
        "ncii",  # intimate images shared without consent (the platform's own rule)
        "take-it-down",  # the US TAKE IT DOWN Act's notice-and-removal process
        "dsa",  # an EU Digital Services Act notice of illegal content (Art. 16)
        "copyright",
        "privacy",  # privacy and personal data (a GDPR request, a privacy complaint)
        "synthetic",  # AI-made or altered images
        "impersonation",  # a fake profile using the person's photos
        "report",  # the platform's general report
        "delisting",  # removal from search results
    ),
    "channel_type": CHANNEL_TYPES,
    "contact": CONTACT_FIELDS,
    "narrative": NARRATIVE_SHARES,
    "group": TAKEDOWN_GROUPS.codes,
    "ages": ("adult", "minor"),
    "channel": ("police", "online-report", "prosecutor", "regulator", "hotline", "helpline"),
    "basis": ("law", "platform promise", "reminder"),
    "start": ("platform process", "regulator notice", "receipt", "sending"),
    "check": CHECK_NAMES,
    "condition": CONDITION_NAMES,
}
# The list types, and the type of each item.
LISTS = {
    "texts": "text",
    "strs": "str",
    "langs": "lang",
    "conditions": "condition",
    "contacts": "contact",
    "purposes": "purpose",
}
# Fields naming another record: checked once everything is loaded.
REFERENCES = ("kind", "platform", "jurisdiction")


class ContentError(ValueError):
    """A content file breaks the declared vocabulary."""


@dataclass(frozen=True)
class Content:
    countries: tuple[Country, ...]
    lines: tuple[HelpLine, ...]
    advice: tuple[Advice, ...]
    removal: tuple[RemovalService, ...]
    platforms: tuple[Platform, ...] = ()
    jurisdictions: tuple[Jurisdiction, ...] = ()
    kinds: tuple[LetterKind, ...] = ()
    elements: tuple[Element, ...] = ()
    clocks: tuple[Clock, ...] = ()
    counselor_guide: tuple[CounselorGuide, ...] = ()
    blocking: tuple[Blocking, ...] = ()

    def guide_for(self, step: str) -> CounselorGuide | None:
        return next((g for g in self.counselor_guide if g.step == step), None)

    def advice_for(self, minor: bool) -> tuple[Advice, ...]:
        return tuple(
            a for a in self.advice if not (a.minor_only and not minor) and not (a.adult_only and minor)
        )

    def country(self, code: str) -> Country:
        return next((c for c in self.countries if c.code == code), self.countries[-1])

    def lines_for(self, code: str) -> tuple[HelpLine, ...]:
        return tuple(line for line in self.lines if line.country == code)

    def platform(self, platform_id: str) -> Platform | None:
        return next((p for p in self.platforms if p.id == platform_id), None)

    def platform_for(self, url: str, name: str = "") -> Platform | None:
        """The platform an address belongs to (by its host), else the one a typed name names."""
        host = _host(url)
        if host:
            for p in self.platforms:
                if any(host == d or host.endswith("." + d) for d in p.domains):
                    return p
        typed = " ".join(name.lower().split())
        if typed:
            for p in self.platforms:
                if typed in (p.id, p.name.lower()) or p.id in typed.replace(" ", "-").split("-"):
                    return p
        return None

    def kind(self, kind_id: str) -> LetterKind:
        found = self.find_kind(kind_id)
        if found is None:
            raise KeyError(kind_id)
        return found

    def find_kind(self, kind_id: str) -> LetterKind | None:
        return next((k for k in self.kinds if k.id == kind_id), None)

    def kind_name(self, kind_id: str, lang: str) -> str:
        """A letter kind's name in `lang`, or "" for a report typed in without one."""
        found = self.find_kind(kind_id)
        return found.name.get(lang) if found else ""

    def element(self, element_id: str) -> Element:
        for e in self.elements:
            if e.id == element_id:
                return e
        raise KeyError(element_id)

    def jurisdiction(self, code: str) -> Jurisdiction | None:
        return next((j for j in self.jurisdictions if j.code == code), None)

    def covers(self, places: tuple[str, ...], country: str) -> bool:
        """Whether `places` (country codes, or unions such as "EU") take in `country`; no places:
        everywhere. An unknown country ("") is taken in only by "everywhere"."""
        if not places:
            return True
        for place in places:
            union = self.jurisdiction(place)
            if country and (country == place or (union is not None and country in union.countries)):
                return True
        return False

    def blocking_for(self, minor: bool, country: str) -> tuple[Blocking, ...]:
        """The services the plan offers first, for whose images and where the person lives."""
        ages = "minor" if minor else "adult"
        return tuple(b for b in self.blocking if b.ages == ages and self.covers(b.countries, country))

    def removal_service(self, service_id: str) -> RemovalService:
        found = next((s for s in self.removal if s.id == service_id), None)
        if found is None:
            raise KeyError(service_id)
        return found

    def jurisdictions_for(self, country: str) -> tuple[Jurisdiction, ...]:
        """The country's own jurisdiction and any union it belongs to (France: FR, then EU)."""
        return tuple(j for j in self.jurisdictions if country == j.code or country in j.countries)

    def clocks_for(
        self, kind_id: str, platform_id: str = "", holds: frozenset[str] = frozenset()
    ) -> tuple[Clock, ...]:
        """The clocks that run for a letter of this kind (a platform's own promise first). A clock
        with `conditions` runs only where they all hold for the case (`holds`, from
        helper.letters.conditions): without them, no such clock is shown."""
        fits = [c for c in self.clocks if c.kind == kind_id and set(c.conditions) <= holds]
        own = tuple(c for c in fits if c.platform and c.platform == platform_id)
        general = tuple(c for c in fits if not c.platform)
        return own + general


def _host(url: str) -> str:
    rest = url.strip().lower().split("://", 1)[-1]
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix) and "." in host[len(prefix) :]:
            host = host[len(prefix) :]
    return host


class _Checker:
    def __init__(self, path: Path, collection: str, index: int, country_codes: frozenset[str]) -> None:
        self.where = f"{path.name}: {collection}[{index}]"
        self.country_codes = country_codes

    def fail(self, field: str, problem: str) -> ContentError:
        return ContentError(f"{self.where}: field {field!r} {problem}")

    def value(self, field: str, kind: str, raw: Any) -> Any:
        if kind == "str":
            if not isinstance(raw, str) or not raw.strip():
                raise self.fail(field, "must be non-empty text")
            return raw
        if kind == "text":
            if not isinstance(raw, dict) or set(raw) != set(CONTENT_LANGUAGES):
                raise self.fail(field, f"must have exactly the languages {CONTENT_LANGUAGES}")
            for lang, text in raw.items():
                if not isinstance(text, str) or not text.strip():
                    raise self.fail(field, f"has an empty {lang!r} text")
            return Text(**raw)
        if kind == "date":
            if isinstance(raw, date):
                return raw
            try:
                return date.fromisoformat(str(raw))
            except ValueError:
                raise self.fail(field, "must be a date like 2026-11-25") from None
        if kind == "url":
            if not isinstance(raw, str) or not raw.startswith("https://") or " " in raw:
                raise self.fail(field, "must be an https:// address")
            return raw
        if kind == "country":
            if raw not in self.country_codes:
                raise self.fail(field, f"names an unknown country {raw!r}")
            return raw
        if kind == "bool":
            if not isinstance(raw, bool):
                raise self.fail(field, "must be true or false")
            return raw
        if kind in CHOICES:
            if raw not in CHOICES[kind]:
                raise self.fail(field, f"must be one of {CHOICES[kind]}")
            return raw
        if kind == "int":
            if not isinstance(raw, int) or isinstance(raw, bool) or raw <= 0:
                raise self.fail(field, "must be a whole number above 0")
            return raw
        if kind in LISTS:
            # A letter may print none of the signer's details (THESEE: FranceConnect says who).
            if not isinstance(raw, list) or (not raw and kind != "contacts"):
                raise self.fail(field, "must be a non-empty list")
            each = LISTS[kind]
            return tuple(self.value(field, each, item) for item in raw)
        if kind == "lang":
            if raw not in LANGUAGES:
                raise self.fail(field, f"must be one of {LANGUAGES}")
            return raw
        if kind in REFERENCES:
            return self.value(field, "str", raw)
        raise ContentError(f"schema.toml: unknown type {kind!r} for {field!r}")

    def record(
        self, raw: dict[str, Any], required: dict[str, str], optional: dict[str, str]
    ) -> dict[str, Any]:
        unknown = set(raw) - set(required) - set(optional)
        if unknown:
            raise self.fail(sorted(unknown)[0], "is not in the declared vocabulary (content/schema.toml)")
        missing = set(required) - set(raw)
        if missing:
            raise self.fail(sorted(missing)[0], "is required and missing")
        fields = {**required, **optional}
        return {name: self.value(name, fields[name], value) for name, value in raw.items()}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ContentError(f"{path}: missing") from None
    except IsADirectoryError:  # a schema's `file = ""` names the content folder itself
        raise ContentError(f"{path}: a folder, not a file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path.name}: not valid TOML: {exc}") from None


# What a collection's declaration in schema.toml may hold, and of what type.
_SPEC_KEYS = {"file": str, "dir": str, "required": dict, "optional": dict, "nested": dict}


def _spec(schema: dict[str, Any], name: str, *needs: str) -> dict[str, Any]:
    """The declaration of the collection `name` in schema.toml, with the keys `needs` names: a broken
    schema is a sentence naming the collection and the key, never a KeyError."""
    spec = schema.get(name)
    if not isinstance(spec, dict):
        raise ContentError(f"schema.toml: no collection [{name}] is declared")
    for key, value in spec.items():
        kind = _SPEC_KEYS.get(key)
        if kind is None:
            raise ContentError(f"schema.toml: [{name}] has `{key}`, which is not one of {sorted(_SPEC_KEYS)}")
        if not isinstance(value, kind) or (
            isinstance(value, dict) and not all(isinstance(v, str) for v in value.values())
        ):
            shape = "a path" if kind is str else 'a table of field = "type"'
            raise ContentError(f"schema.toml: [{name}] `{key}` must be {shape}")
    for key in needs:
        if key not in spec:
            raise ContentError(f"schema.toml: [{name}] needs `{key}`")
    return spec


def _collection(
    root: Path, schema: dict[str, Any], name: str, codes: frozenset[str], key: str = "id"
) -> list[dict[str, Any]]:
    spec = _spec(schema, name, "file", "required")
    path = root / spec["file"]
    records = _read_toml(path).get(name)
    if not isinstance(records, list) or not records:
        raise ContentError(f"{path.name}: expected a list of [[{name}]] records")
    checked = [
        _Checker(path, name, i, codes).record(raw, spec["required"], spec.get("optional", {}))
        for i, raw in enumerate(records)
    ]
    ids = [r.get(key) or r.get("code") for r in checked]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ContentError(f"{path.name}: duplicate id {sorted(duplicates, key=str)[0]!r}")
    return checked


def _checked(path: Path, name: str, index: int, raw: Any, spec: dict[str, Any], codes: frozenset[str]):
    if not isinstance(raw, dict):
        raise ContentError(f"{path.name}: {name}[{index}] must be a table")
    return _Checker(path, name, index, codes).record(raw, spec["required"], spec.get("optional", {}))


FOLDER_TYPES: dict[str, dict[str, type]] = {
    "platforms": {"platforms": Platform, "channels": PlatformChannel},
    "jurisdictions": {"jurisdictions": Jurisdiction, "offences": Offence, "channels": Channel},
}


def load_record_file(root: Path, name: str, path: Path) -> Any:
    """One file of a `dir` collection (`platforms`, `jurisdictions`), checked against the schema."""
    schema = _read_toml(root / "schema.toml")
    spec, make = _spec(schema, name, "dir", "required"), FOLDER_TYPES[name]
    raw = dict(_read_toml(path))
    nested = {}
    for key, inner in spec.get("nested", {}).items():
        if key not in make:
            raise ContentError(f"schema.toml: [{name}] nests `{key}`, which the program does not know")
        inner_spec = _spec(schema, inner, "required")
        items = raw.pop(key, [])
        if not isinstance(items, list):
            raise ContentError(f"{path.name}: {key} must be an array of tables [[{key}]]")
        nested[key] = tuple(
            make[key](**_checked(path, key, i, item, inner_spec, frozenset())) for i, item in enumerate(items)
        )
        ids = [getattr(n, "id", None) for n in nested[key]]
        if len(ids) != len(set(ids)):
            raise ContentError(f"{path.name}: duplicate id in {key}")
    record = _checked(path, name, 0, raw, spec, frozenset())
    own_id = record.get("id") or record.get("code")
    if own_id != path.stem:
        raise ContentError(f"{path.name}: the file must be named after its id ({own_id!r})")
    return make[name](**record, **nested)


def record_files(root: Path, name: str) -> list[Path]:
    schema = _read_toml(root / "schema.toml")
    return sorted((root / _spec(schema, name, "dir")["dir"]).glob("*.toml"))


def _folder(root: Path, name: str) -> list[Any]:
    """A `dir` collection: one record per file, with its nested arrays of tables."""
    paths = record_files(root, name)
    if not paths:
        raise ContentError(f"{name}/: no records")
    return [load_record_file(root, name, path) for path in paths]


def _check_references(content: Content) -> None:
    kinds = {k.id for k in content.kinds}
    platforms = {p.id for p in content.platforms}
    codes = {j.code for j in content.jurisdictions}
    elements = {e.id for e in content.elements}

    def need(value: str | None, known: set[str], where: str) -> None:
        if value is not None and value not in known:
            raise ContentError(f"{where}: names {value!r}, which does not exist")

    for clock in content.clocks:
        need(clock.kind, kinds, f"clocks.toml: {clock.id}: kind")
        need(clock.escalate, kinds, f"clocks.toml: {clock.id}: escalate")
        need(clock.platform, platforms, f"clocks.toml: {clock.id}: platform")
        if clock.basis != "reminder" and not (clock.hours or clock.days or clock.months):
            raise ContentError(f"clocks.toml: {clock.id}: a {clock.basis} clock needs its length")
        if clock.basis == "reminder" and not clock.days:
            raise ContentError(f"clocks.toml: {clock.id}: a reminder needs `days`")
    for kind in content.kinds:
        need(kind.escalates, kinds, f"kinds.toml: {kind.id}: escalates")
        need(kind.jurisdiction, codes, f"kinds.toml: {kind.id}: jurisdiction")
        for element in kind.elements:
            need(element, elements, f"kinds.toml: {kind.id}: elements")
    unions = {j.code: j for j in content.jurisdictions if j.countries and j.countries != (j.code,)}
    for jurisdiction in content.jurisdictions:
        for channel in jurisdiction.channels:
            need(channel.letter, kinds, f"{jurisdiction.code}.toml: {channel.id}: letter")
        for union in jurisdiction.outside:
            need(union, codes, f"{jurisdiction.code}.toml: outside")
            if union in unions and jurisdiction.code in unions[union].countries:
                raise ContentError(
                    f"{jurisdiction.code}.toml: outside names {union!r}, whose countries include it"
                )
    places = {c.code for c in content.countries} | codes
    for kind in content.kinds:
        for place in kind.countries:
            need(place, places, f"kinds.toml: {kind.id}: countries")
        if kind.purposes and not kind.needs_platform:
            raise ContentError(f"kinds.toml: {kind.id}: `purposes` are for a kind that goes to a platform")
    for platform in content.platforms:
        for way in platform.channels:
            _check_channel(f"{platform.id}.toml: channels: {way.id}", way, places)
        found = {c.purpose for c in platform.channels if c.known}
        for way in platform.channels:
            if not way.known and way.purpose in found:
                raise ContentError(
                    f"{platform.id}.toml: channels: {way.id}: says none was found for "
                    f"{way.purpose!r}, but another channel serves it"
                )
    services = {s.id for s in content.removal}
    for blocking in content.blocking:
        need(blocking.service, services, "removal-blocking.toml: service")
        for place in blocking.countries:
            need(place, places, f"removal-blocking.toml: {blocking.service}: countries")


# What each type of platform channel must carry.
CHANNEL_NEEDS = {"form": "url", "page": "url", "address": "email", "in-app": "in_app", "none": "note"}


def _check_channel(where: str, channel: PlatformChannel, places: set[str]) -> None:
    needed = CHANNEL_NEEDS[channel.type]
    if getattr(channel, needed) is None:
        raise ContentError(f"{where}: a channel of type {channel.type!r} needs `{needed}`")
    if channel.type == "address" and "@" not in (channel.email or ""):
        raise ContentError(f"{where}: `email` must be an e-mail address")
    if channel.type == "none" and (channel.url or channel.email or channel.in_app):
        raise ContentError(f"{where}: a channel that was not found has no address")
    if channel.known and not channel.confirmed and channel.note is None:
        raise ContentError(f"{where}: an unconfirmed channel needs a `note` that says to check it")
    for place in channel.countries:
        if place not in places:
            raise ContentError(f"{where}: countries: names {place!r}, which does not exist")


def load_content(root: Path) -> Content:
    """Load and check everything under `root` (the project's content/ folder)."""
    schema = _read_toml(root / "schema.toml")
    countries = tuple(Country(**r) for r in _collection(root, schema, "countries", frozenset()))
    if countries[-1].code != "INTL":
        raise ContentError("countries.toml: the last record must be INTL, the fallback for everyone else")
    codes = frozenset(c.code for c in countries)
    lines = tuple(HelpLine(**r) for r in _collection(root, schema, "lines", codes))
    for country in countries:
        if not any(line.country == country.code for line in lines):
            raise ContentError(f"lines.toml: no help line for {country.code}")
    advice = tuple(Advice(**r) for r in _collection(root, schema, "advice", codes))
    removal = tuple(RemovalService(**r) for r in _collection(root, schema, "removal", codes))
    platforms = _folder(root, "platforms")
    jurisdictions = _folder(root, "jurisdictions")
    content = Content(
        countries=countries,
        lines=lines,
        advice=advice,
        removal=removal,
        platforms=tuple(platforms),
        jurisdictions=tuple(jurisdictions),
        kinds=tuple(LetterKind(**r) for r in _collection(root, schema, "kinds", codes)),
        elements=tuple(Element(**r) for r in _collection(root, schema, "elements", codes)),
        clocks=tuple(Clock(**r) for r in _collection(root, schema, "clocks", codes)),
        counselor_guide=tuple(
            CounselorGuide(**r) for r in _collection(root, schema, "counselor_guide", codes, key="step")
        ),
        blocking=tuple(Blocking(**r) for r in _collection(root, schema, "blocking", codes, key="service")),
    )
    steps = set(STEPS.codes)
    for guide in content.counselor_guide:
        if guide.step not in steps:
            raise ContentError(f"counselor.toml: {guide.step!r} is not a walkthrough step")
    _check_references(content)
    return content
