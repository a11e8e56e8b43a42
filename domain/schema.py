"""The fact catalogue as data: each event type with its fields, their kinds, choices and
limits. The API documents events with it and the web builds its forms from it; both then
hand what they receive to the same parsing (domain.fields), so they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, get_args, get_origin

from domain import facts
from domain.fields import MAX_ITEMS, split_optional, split_text_kind

Kind = Literal["line", "text", "datetime", "date", "bool", "int", "choice", "lines",
               "choices", "fields"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    required: bool
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    max_items: int | None = None
    default: Any = None
    may_lie_ahead: bool = False  # a date-time that may be in the future (a schedule)


@dataclass(frozen=True)
class EventSpec:
    event_type: str
    fields: tuple[FieldSpec, ...]
    by_vaka: bool  # recorded by Vaka itself, never by hand

    @property
    def is_correction(self) -> bool:
        return self.event_type in facts.CORRECTIONS


def _field(cls: type, f: dataclasses.Field[Any], hint: Any) -> FieldSpec:
    optional, tp = split_optional(hint)
    has_default = f.default is not dataclasses.MISSING or \
        f.default_factory is not dataclasses.MISSING
    default = f.default if f.default is not dataclasses.MISSING else None
    required = not (optional or has_default)
    ahead = f.name in getattr(cls, "future_fields", ())
    tp, text = split_text_kind(tp)
    if get_origin(tp) is Literal:
        return FieldSpec(f.name, "choice", required, tuple(get_args(tp)), default=default)
    if get_origin(tp) is list:
        item, _ = split_text_kind(get_args(tp)[0])
        if get_origin(item) is Literal:
            return FieldSpec(f.name, "choices", required, tuple(get_args(item)),
                             max_items=MAX_ITEMS)
        return FieldSpec(f.name, "lines", required, max_items=MAX_ITEMS,
                         max_length=split_text_kind(get_args(tp)[0])[1].max_length)
    if tp is str:
        return FieldSpec(f.name, "text" if text.multiline else "line", required,
                         max_length=text.max_length, default=default)
    simple: dict[Any, Kind] = {datetime: "datetime", date: "date", bool: "bool", int: "int"}
    if tp in simple:
        return FieldSpec(f.name, simple[tp], required, default=default, may_lie_ahead=ahead)
    if tp is dict or get_origin(tp) is dict:
        return FieldSpec(f.name, "fields", required)
    raise TypeError(f"no field kind for {tp!r} ({cls.__name__}.{f.name})")


def event_spec(event_type: str) -> EventSpec:
    cls = facts.ALL_FACTS[event_type]
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = tuple(_field(cls, f, hints[f.name]) for f in dataclasses.fields(cls))
    return EventSpec(event_type, fields, event_type in facts.SYSTEM_FACTS)


def recordable() -> list[EventSpec]:
    """Every event a person records (registration has its own form), by name."""
    return [event_spec(t) for t in sorted(facts.CASEWORKER_FACTS) if t != "Registered"]


def all_events() -> list[EventSpec]:
    return [event_spec(t) for t in sorted(facts.ALL_FACTS)]
