"""Reads and validates `content/`. Errors name the file, the record and the field."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from helper.content.model import Advice, Country, HelpLine, RemovalService, Text
from helper.vocabulary import LANGUAGES

AUDIENCES = ("everyone", "young")


class ContentError(ValueError):
    """A content file breaks the declared vocabulary."""


@dataclass(frozen=True)
class Content:
    countries: tuple[Country, ...]
    lines: tuple[HelpLine, ...]
    advice: tuple[Advice, ...]
    removal: tuple[RemovalService, ...]

    def advice_for(self, minor: bool) -> tuple[Advice, ...]:
        return tuple(
            a for a in self.advice if not (a.minor_only and not minor) and not (a.adult_only and minor)
        )

    def country(self, code: str) -> Country:
        return next((c for c in self.countries if c.code == code), self.countries[-1])

    def lines_for(self, code: str) -> tuple[HelpLine, ...]:
        return tuple(line for line in self.lines if line.country == code)


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
            if not isinstance(raw, dict) or set(raw) != set(LANGUAGES):
                raise self.fail(field, f"must have exactly the languages {LANGUAGES}")
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
        if kind == "audience":
            if raw not in AUDIENCES:
                raise self.fail(field, f"must be one of {AUDIENCES}")
            return raw
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
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path.name}: not valid TOML: {exc}") from None


def _collection(root: Path, schema: dict[str, Any], name: str, codes: frozenset[str]) -> list[dict[str, Any]]:
    spec = schema.get(name)
    if spec is None:
        raise ContentError(f"schema.toml: no collection {name!r}")
    path = root / spec["file"]
    records = _read_toml(path).get(name)
    if not isinstance(records, list) or not records:
        raise ContentError(f"{path.name}: expected a list of [[{name}]] records")
    checked = [
        _Checker(path, name, i, codes).record(raw, spec["required"], spec.get("optional", {}))
        for i, raw in enumerate(records)
    ]
    ids = [r.get("id") or r.get("code") for r in checked]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ContentError(f"{path.name}: duplicate id {sorted(duplicates)[0]!r}")
    return checked


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
    return Content(countries=countries, lines=lines, advice=advice, removal=removal)
