"""Request bodies built from the fact catalogue itself, so every event type and every text
field is covered, including those added later."""

from __future__ import annotations

import dataclasses
import typing
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args, get_origin

from domain import facts
from domain.fields import split_optional, split_text_kind


@dataclasses.dataclass(frozen=True)
class TextField:
    event_type: str
    name: str
    in_list: bool


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def _value(tp: Any) -> Any:
    tp, _ = split_text_kind(tp)
    if get_origin(tp) is Literal:
        return get_args(tp)[0]
    if get_origin(tp) is list:
        return ["x"]
    if tp is bool:
        return False
    if tp is int:
        return 1
    if tp is datetime:
        return (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    if tp.__name__ == "date":
        return "2012-01-01"
    if get_origin(tp) is dict or tp is dict:
        return {"place": "x"}
    return "x"


def minimal_body(event_type: str) -> dict[str, Any]:
    """The event with every required field given a plain valid value."""
    cls = facts.CASEWORKER_FACTS[event_type]
    hints = _hints(cls)
    body: dict[str, Any] = {"type": event_type}
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required:
            body[f.name] = _value(split_optional(hints[f.name])[1])
    if event_type in facts.CORRECTIONS:
        body["reason"] = "x"
    return body


def text_fields() -> list[TextField]:
    """Every text field a caseworker can send, event by event (lists of text included)."""
    found = []
    for event_type, cls in sorted(facts.CASEWORKER_FACTS.items()):
        hints = _hints(cls)
        for f in dataclasses.fields(cls):
            tp, _ = split_text_kind(split_optional(hints[f.name])[1])
            if tp is str:
                found.append(TextField(event_type, f.name, in_list=False))
            elif get_origin(tp) is list and split_text_kind(get_args(tp)[0])[0] is str:
                found.append(TextField(event_type, f.name, in_list=True))
    return found


def with_text(field: TextField, text: str) -> dict[str, Any]:
    body = (minimal_body(field.event_type) if field.event_type != "Registered"
            else registration())
    if field.event_type == "Registered":
        body.pop("type", None)
    body[field.name] = [text] if field.in_list else text
    return body


def registration(**overrides: Any) -> dict[str, Any]:
    body = {"arrived_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
            "date_of_birth": "2012-04-02", "date_of_birth_basis": "stated",
            "municipality": "Malmö", "given_name": "Amina", "languages": ["dari"]}
    body.update(overrides)
    return body
