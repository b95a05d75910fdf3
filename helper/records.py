"""Plain dataclasses to and from JSON-ready dicts, checked field by field.

The incident record has many small parts (accounts, threats, payments...). Rather than a
hand-written to_dict/from_dict pair for each, this walks the dataclass fields and their type
hints. Supported field types: str, int, bool, their `| None` forms, nested record dataclasses,
and tuples of them. Unknown keys in stored data are an error, so a typo never silently drops data.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


class RecordError(ValueError):
    """Stored data does not fit the record it should become."""


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return hint, False


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


def _convert(cls: type, name: str, hint: Any, value: Any) -> Any:
    hint, optional = _unwrap_optional(hint)
    where = f"{cls.__name__}.{name}"
    if value is None:
        if optional:
            return None
        raise RecordError(f"{where} may not be empty")
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise RecordError(f"{where} must be an object")
        return from_dict(hint, value)
    if typing.get_origin(hint) is tuple:
        (item_hint, _ellipsis) = typing.get_args(hint)
        if not isinstance(value, list):
            raise RecordError(f"{where} must be a list")
        return tuple(_convert(cls, name, item_hint, v) for v in value)
    if hint is bool:
        if not isinstance(value, bool):
            raise RecordError(f"{where} must be true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise RecordError(f"{where} must be a whole number")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise RecordError(f"{where} must be text")
        return value
    raise RecordError(f"{where}: unsupported type {hint!r}")


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = set(data) - set(fields)
    if unknown:
        raise RecordError(f"{cls.__name__}: unknown field {sorted(unknown)[0]!r}")
    values = {}
    for name, f in fields.items():
        if name in data:
            values[name] = _convert(cls, name, hints[name], data[name])
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise RecordError(f"{cls.__name__}: missing field {name!r}")
    try:
        return cls(**values)
    except ValueError as exc:  # the record's own checks (an unknown code, a misplaced entry)
        raise RecordError(f"{cls.__name__}: {exc}") from exc
