"""Parsing event fields from JSON-shaped data into typed facts, and back.

Each fact type is a frozen dataclass; its annotations are the schema. Supported field
types: str, int, bool, datetime (aware), date, Literal[...] of strings, Optional of those,
and list[str]. Problems are collected per field and never echo the given value.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from datetime import UTC, date, datetime
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from domain.errors import InvalidField, InvalidFields

T = TypeVar("T")

MAX_TEXT = 4000
MIN_YEAR, MAX_YEAR = 1900, 2199  # beyond these no clock can be computed
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _is_optional(tp: Any) -> tuple[bool, Any]:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return True, args[0]
    return False, tp


def _parse_value(name: str, tp: Any, value: Any) -> Any:
    if get_origin(tp) is Literal:
        allowed = get_args(tp)
        if value not in allowed:
            raise InvalidField(name, "must be one of " + ", ".join(map(str, allowed)))
        return value
    if get_origin(tp) is list:
        (item_tp,) = get_args(tp)
        if not isinstance(value, list):
            raise InvalidField(name, "must be a list")
        return [_parse_value(f"{name}[{i}]", item_tp, v) for i, v in enumerate(value)]
    if get_origin(tp) is dict or tp is dict:
        if not isinstance(value, dict) or not value:
            raise InvalidField(name, "must be an object with at least one field")
        return dict(value)
    if tp is bool:
        if not isinstance(value, bool):
            raise InvalidField(name, "must be true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidField(name, "must be an integer")
        return value
    if tp is str:
        if not isinstance(value, str) or not value.strip():
            raise InvalidField(name, "must be a non-empty string")
        if len(value) > MAX_TEXT:
            raise InvalidField(name, f"must be at most {MAX_TEXT} characters")
        if name.endswith("email") and not _EMAIL.match(value):
            raise InvalidField(name, "must be an e-mail address")
        return value.strip()
    if tp is datetime:
        return parse_instant(name, value)
    if tp is date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if not isinstance(value, str):
            raise InvalidField(name, "must be a date as YYYY-MM-DD")
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise InvalidField(name, "must be a date as YYYY-MM-DD") from None
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            raise InvalidField(name, f"must lie between {MIN_YEAR} and {MAX_YEAR}")
        return parsed
    raise TypeError(f"unsupported field type {tp!r} for {name}")  # a schema bug, not input


def parse_instant(name: str, value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidField(name, "must be an ISO 8601 date-time with a UTC offset") from None
    else:
        raise InvalidField(name, "must be an ISO 8601 date-time with a UTC offset")
    if parsed.tzinfo is None:
        raise InvalidField(name, "must carry a UTC offset, e.g. 2026-05-01T14:30:00+02:00")
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise InvalidField(name, f"must lie between {MIN_YEAR} and {MAX_YEAR}")
    return parsed.astimezone(UTC)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """The annotations of a fact class, resolved once: every stored event is parsed."""
    return typing.get_type_hints(cls)


def parse_fields(cls: type[T], data: typing.Mapping[str, Any]) -> T:
    """Build a fact of type cls from JSON-shaped data, or raise InvalidFields."""
    hints = _hints(cls)  # type: ignore[arg-type]
    problems: list[InvalidField] = []
    values: dict[str, Any] = {}
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for extra in sorted(set(data) - known):
        problems.append(InvalidField(extra, "unknown field for this event type"))
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        optional, tp = _is_optional(hints[f.name])
        has_default = (
            f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        )
        if f.name not in data or data[f.name] is None:
            if not (optional or has_default):
                problems.append(InvalidField(f.name, "is required"))
            continue
        try:
            values[f.name] = _parse_value(f.name, tp, data[f.name])
        except InvalidField as problem:
            problems.append(problem)
    if problems:
        raise InvalidFields(problems)
    return cls(**values)


def _to_json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_to_json_value(v) for v in value]
    return value


def to_json(fact: Any) -> dict[str, Any]:
    """The canonical JSON form that is stored in the case file."""
    return {
        f.name: _to_json_value(getattr(fact, f.name))
        for f in dataclasses.fields(fact)
        if getattr(fact, f.name) is not None
    }
