"""An entry in the case file: a fact with its envelope, and the effective history."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain import facts
from domain.fields import parse_fields, parse_some_fields, to_json

SYSTEM_ACTOR_ID = "system"


@dataclass(frozen=True)
class Actor:
    user_id: str
    role: str  # caseworker | supervisor | admin | system

    @classmethod
    def system(cls) -> Actor:
        return cls(SYSTEM_ACTOR_ID, "system")


@dataclass(frozen=True)
class Entry:
    seq: int  # the aggregate version that recorded it: 1 is the registration
    event_type: str
    fact: Any
    occurred_at: datetime
    recorded_at: datetime
    actor: Actor
    reason: str | None = None
    command_id: str | None = None

    @property
    def fields(self) -> dict[str, Any]:
        return to_json(self.fact)


def corrected(fact: Any, fields: dict[str, Any], *, stored: bool = False) -> Any:
    """The fact as a correction makes it read; raises InvalidFields if it cannot. A new
    correction's own fields are checked as strictly as any input; the rest of the fact is
    taken as stored, so a correction can repair an entry an older version let through."""
    merged = parse_fields(type(fact), {**to_json(fact), **fields}, strict=False)
    if stored:
        return merged
    return dataclasses.replace(merged, **parse_some_fields(type(fact), fields))


def effective(entries: list[Entry]) -> list[Entry]:
    """The history as it stands after corrections: retracted entries drop out, corrected
    ones carry their corrected fields; the corrections themselves are not facts."""
    retracted: set[int] = set()
    corrections: dict[int, dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry.fact, facts.Retracted):
            retracted.add(entry.fact.entry)
        elif isinstance(entry.fact, facts.Corrected):
            corrections.setdefault(entry.fact.entry, {}).update(entry.fact.fields)
    result = []
    for entry in entries:
        if entry.seq in retracted or entry.event_type in facts.CORRECTIONS:
            continue
        if entry.seq in corrections:
            entry = dataclasses.replace(
                entry, fact=corrected(entry.fact, corrections[entry.seq], stored=True))
        result.append(entry)
    return result
