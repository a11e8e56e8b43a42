"""An entry in the case file: a fact with its envelope, and the effective history."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain import facts
from domain.fields import parse_fields, to_json

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


def corrected(fact: Any, fields: dict[str, Any]) -> Any:
    """The fact as a correction makes it read; raises InvalidFields if it cannot."""
    return parse_fields(type(fact), {**to_json(fact), **fields})


def effective(entries: list[Entry]) -> list[Entry]:
    """The history as it stands after corrections: retracted entries and Vaka's withdrawn
    conclusions drop out, corrected ones carry their corrected fields; the corrections
    themselves are not facts."""
    retracted: set[int] = set()
    corrections: dict[int, dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry.fact, (facts.Retracted, facts.ConclusionWithdrawn)):
            retracted.add(entry.fact.entry)
        elif isinstance(entry.fact, facts.Corrected):
            corrections.setdefault(entry.fact.entry, {}).update(entry.fact.fields)
    result = []
    for entry in entries:
        if entry.seq in retracted or entry.event_type in facts.CORRECTIONS:
            continue
        if entry.seq in corrections:
            entry = dataclasses.replace(entry, fact=corrected(entry.fact, corrections[entry.seq]))
        result.append(entry)
    return result


def began_at(entry: Entry) -> datetime:
    """When what an entry records began in the world: a disappearance at last seen, a
    decision when it was decided, anything else when it occurred."""
    starts = [entry.occurred_at]
    for name in ("last_seen_at", "decided_at"):
        value = getattr(entry.fact, name, None)
        if isinstance(value, datetime):
            starts.append(value)
    return min(starts)


def chronological(entries: list[Entry]) -> list[Entry]:
    """The history in the order things happened, not the order Vaka learnt them: the
    registration first, then by when each began; at one instant a person's act comes
    before what Vaka concluded at that instant (an act on the last day is in time)."""
    return sorted(entries, key=lambda e: (e.seq != 1, began_at(e), e.actor.role == "system",
                                          e.seq))
