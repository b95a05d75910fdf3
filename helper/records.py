"""Plain dataclasses to and from JSON-ready dicts, checked field by field.

The incident record has many small parts (accounts, threats, payments...). Rather than a
hand-written to_dict/from_dict pair for each, this walks the dataclass fields and their type
hints. Supported field types: str, int, bool, their `| None` forms, nested record dataclasses,
and tuples of them. Unknown keys in stored data are an error, so a typo never silently drops data.

The type hints are read once per class into a plan of small checking functions: a case is read
on every page and checked again before every write, so this path is kept short.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


class RecordError(ValueError):
    """Stored data does not fit the record it should become."""


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return hint, False


Converter = Callable[[Any], Any]


def _converter(where: str, hint: Any) -> Converter:
    """A function that checks (and for records, builds) one field's value, raising `RecordError`."""
    hint, optional = _unwrap_optional(hint)
    inner = _plain_converter(where, hint)
    if optional:
        return lambda value: None if value is None else inner(value)

    def required(value: Any) -> Any:
        if value is None:
            raise RecordError(f"{where} may not be empty")
        return inner(value)

    return required


def _plain_converter(where: str, hint: Any) -> Converter:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        record = hint

        def nested(value: Any) -> Any:
            if not isinstance(value, dict):
                raise RecordError(f"{where} must be an object")
            return from_dict(record, value)

        return nested
    if typing.get_origin(hint) is tuple:
        (item_hint, _ellipsis) = typing.get_args(hint)
        item = _converter(where, item_hint)

        def sequence(value: Any) -> tuple:
            if not isinstance(value, list):
                raise RecordError(f"{where} must be a list")
            return tuple(item(v) for v in value)

        return sequence
    checks: dict[Any, tuple[Callable[[Any], bool], str]] = {
        bool: (lambda v: isinstance(v, bool), "true or false"),
        int: (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
        str: (lambda v: isinstance(v, str), "text"),
    }
    if hint not in checks:
        raise RecordError(f"{where}: unsupported type {hint!r}")
    accepts, what = checks[hint]

    def scalar(value: Any) -> Any:
        if not accepts(value):
            raise RecordError(f"{where} must be {what}")
        return value

    return scalar


@dataclasses.dataclass(frozen=True)
class _Plan:
    fields: tuple[tuple[str, Converter, bool], ...]  # name, converter, required
    names: frozenset[str]


@cache
def _plan(cls: type) -> _Plan:
    hints = typing.get_type_hints(cls)
    fields = tuple(
        (
            f.name,
            _converter(f"{cls.__name__}.{f.name}", hints[f.name]),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    )
    return _Plan(fields, frozenset(name for name, _, _ in fields))


def to_dict(record: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if dataclasses.is_dataclass(value):
            value = to_dict(value)
        elif isinstance(value, tuple):
            value = [to_dict(v) if dataclasses.is_dataclass(v) else v for v in value]
        out[f.name] = value
    return out


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    # A class is hashable; mypy checks type[T] against the instances' __hash__ instead.
    plan = _plan(cls)  # type: ignore[arg-type]
    if not plan.names.issuperset(data):
        unknown = sorted(set(data) - plan.names)
        raise RecordError(f"{cls.__name__}: unknown field {unknown[0]!r}")
    values = {}
    for name, convert, required in plan.fields:
        if name in data:
            values[name] = convert(data[name])
        elif required:
            raise RecordError(f"{cls.__name__}: missing field {name!r}")
    try:
        return cls(**values)
    except ValueError as exc:  # the record's own checks (an unknown code, a misplaced entry)
        raise RecordError(f"{cls.__name__}: {exc}") from exc
