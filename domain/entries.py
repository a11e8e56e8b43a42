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
            entry = dataclasses.replace(
                entry, fact=corrected(entry.fact, corrections[entry.seq], stored=True))
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


# At one instant, what fell due is recorded before what Vaka concludes from it.
_SYSTEM_ORDER = ("DeadlineReminded", "DeadlineMissed", "Escalated")


def _order(entry: Entry) -> tuple[object, ...]:
    system = entry.actor.role == "system"
    rank = _SYSTEM_ORDER.index(entry.event_type) if entry.event_type in _SYSTEM_ORDER else 9
    about = str(getattr(entry.fact, "clock_id", "") or "").split("@")[0] if system else ""
    return (entry.seq != 1, began_at(entry), system, rank if system else 0, about, entry.seq)


def chronological(entries: list[Entry]) -> list[Entry]:
    """The history in the order things happened, not the order Vaka learnt them: the
    registration first, then by when each began; at one instant a person's act comes
    before what Vaka recorded at that instant (an act on the last day is in time), and
    Vaka's own entries follow an order that does not depend on when they were recorded."""
    return sorted(entries, key=_order)
