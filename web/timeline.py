"""The child's history as people read it: the audit trail, oldest first, with who recorded
each entry, when it happened and when it was recorded, and corrections shown as such."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain import facts
from domain.entries import Entry


@dataclass
class Moment:
    entry: Entry
    by: str | None  # the person's name; None for Vaka itself
    retracted_by: int | None = None  # the entry that withdrew this one
    corrections: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    @property
    def occurred_at(self) -> datetime:
        return self.entry.occurred_at

    @property
    def late(self) -> bool:
        """Recorded more than an hour after it happened: a late entry."""
        return (self.entry.recorded_at - self.entry.occurred_at).total_seconds() > 3600


def timeline(entries: list[Entry], names: dict[str, str | None]) -> list[Moment]:
    moments = {e.seq: Moment(e, None if e.actor.role == "system" else
                             names.get(e.actor.user_id) or e.actor.user_id) for e in entries}
    for entry in entries:
        target = moments.get(getattr(entry.fact, "entry", -1))
        if target is None:
            continue
        if isinstance(entry.fact, facts.Retracted):
            target.retracted_by = entry.seq
        elif isinstance(entry.fact, facts.Corrected):
            target.corrections.append((entry.seq, dict(entry.fact.fields)))
    return list(moments.values())
