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
