"""Parsing event fields from JSON-shaped data into typed facts, and back.

Each fact type is a frozen dataclass; its annotations are the schema. Supported field
types: str (single-line, or free text as `Annotated[str, FREE_TEXT]`), int, bool, datetime
(aware), date, Literal[...] of strings, Optional of those, and list[str]. Problems are
collected per field and never echo the given value.

Input is parsed `strict`: text must pass `domain.text`. What is already stored is parsed
leniently (types only), so an entry written by an older version always loads, and a
correction can repair it.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from domain.errors import InvalidField, InvalidFields
from domain.text import FREE_TEXT, LINE, BadText, TextKind, clean_text, safe_label

T = TypeVar("T")

Text = Annotated[str, FREE_TEXT]  # free text: several lines, up to 4000 characters

MIN_YEAR, MAX_YEAR = 1900, 2199  # beyond these no clock can be computed
MAX_ITEMS = 50  # entries of a list field
MAX_INT = 2**31 - 1
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def split_optional(tp: Any) -> tuple[bool, Any]:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return True, args[0]
    return False, tp


@dataclass(frozen=True)
class Register:
    """A single line that names an entry of a register (a municipality): input must name
    one and is stored as its official name; what is stored is read as the official name
    where it names one, else as written."""

    official: Callable[[str, str], str]  # (field, text) -> the official name, or InvalidField
    stored: Callable[[str], str]


def register_of(tp: Any) -> Register | None:
    _, tp = split_optional(tp)
    if get_origin(tp) is Annotated:
        return next((e for e in get_args(tp)[1:] if isinstance(e, Register)), None)
    return None


def split_text_kind(tp: Any) -> tuple[Any, TextKind]:
    if get_origin(tp) is Annotated:
        base, *extras = get_args(tp)
        kind = next((e for e in extras if isinstance(e, TextKind)), LINE)
        return base, kind
    return tp, LINE


def _parse_value(name: str, tp: Any, value: Any, strict: bool = True) -> Any:
    register = register_of(tp)
    tp, kind = split_text_kind(tp)
    if get_origin(tp) is Literal:
        allowed = get_args(tp)
        if not isinstance(value, str) or value not in allowed:
            raise InvalidField(name, "must be one of " + ", ".join(map(str, allowed)))
        return value
    if get_origin(tp) is list:
        (item_tp,) = get_args(tp)
        if not isinstance(value, list):
            raise InvalidField(name, "must be a list")
        if strict and len(value) > MAX_ITEMS:
            raise InvalidField(name, f"must have at most {MAX_ITEMS} items")
        return [_parse_value(f"{name}[{i}]", item_tp, v, strict) for i, v in enumerate(value)]
    if get_origin(tp) is dict or tp is dict:
        if not isinstance(value, dict) or not value:
            raise InvalidField(name, "must be an object with at least one field")
        if strict:
            for key in value:
                if not isinstance(key, str) or not _FIELD_NAME.match(key):
                    raise InvalidField(f"{name}.{safe_label(key)}", "is not a field name")
        return dict(value)
    if tp is bool:
        if not isinstance(value, bool):
            raise InvalidField(name, "must be true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidField(name, "must be an integer")
        if strict and not 0 <= value <= MAX_INT:
            raise InvalidField(name, f"must lie between 0 and {MAX_INT}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise InvalidField(name, "must be a non-empty string")
        if not strict:
            return register.stored(value) if register is not None else value
        try:
            text = clean_text(value, kind)
        except BadText as problem:
            raise InvalidField(name, str(problem)) from None
        if register is not None:
            return register.official(name, text)
        if name.endswith("email") and not _EMAIL.match(text):
            raise InvalidField(name, "must be an e-mail address")
        return text
    if tp is datetime:
        return parse_instant(name, value)
    if tp is date:
        return parse_date(name, value)
    raise TypeError(f"unsupported field type {tp!r} for {name}")  # a schema bug, not input


def parse_date(name: str, value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise InvalidField(name, "must be a date as YYYY-MM-DD")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidField(name, "must be a date as YYYY-MM-DD") from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise InvalidField(name, f"must lie between {MIN_YEAR} and {MAX_YEAR}")
    return parsed


def parse_instant(name: str, value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and len(value) <= 40:
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
def _field_types(cls: type) -> dict[str, Any]:
    """The annotations of a fact class, resolved once: every stored event is parsed."""
    return typing.get_type_hints(cls, include_extras=True)


def parse_fields(cls: type[T], data: typing.Mapping[str, Any], *, strict: bool = True) -> T:
    """Build a fact of type cls from JSON-shaped data, or raise InvalidFields."""
    hints = _field_types(cls)  # type: ignore[arg-type]
    problems: list[InvalidField] = []
    values: dict[str, Any] = {}
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for extra in sorted((k for k in data if k not in known), key=str)[:20]:
        problems.append(InvalidField(safe_label(extra), "unknown field for this event type"))
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        optional, tp = split_optional(hints[f.name])
        has_default = (
            f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        )
        if f.name not in data or data[f.name] is None:
            if not (optional or has_default):
                problems.append(InvalidField(f.name, "is required"))
            continue
        try:
            values[f.name] = _parse_value(f.name, tp, data[f.name], strict)
        except InvalidField as problem:
            problems.append(problem)
    if problems:
        raise InvalidFields(problems)
    return cls(**values)


def parse_some_fields(cls: type, data: typing.Mapping[str, Any]) -> dict[str, Any]:
    """Strictly parse the given fields only (what a correction changes)."""
    hints = _field_types(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    problems: list[InvalidField] = []
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            problems.append(InvalidField(safe_label(name), "unknown field for this event type"))
            continue
        optional, tp = split_optional(hints[name])
        if value is None:
            if not optional:
                problems.append(InvalidField(name, "is required"))
            values[name] = None
            continue
        try:
            values[name] = _parse_value(name, tp, value)
        except InvalidField as problem:
            problems.append(problem)
    if problems:
        raise InvalidFields(problems)
    return values


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
