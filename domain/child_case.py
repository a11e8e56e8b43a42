"""The ChildCase aggregate: the case file of one child, the audit trail.

Every fact travels in one stored event shape (`Recorded`, with `Opened` for the first),
holding the event type and its canonical JSON fields. The typed fact is parsed when the
event is applied, so old events are upcast in one place (`domain.fields`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.entries import Actor, Entry, effective
from domain.errors import DomainError, UnreadableEntry
from domain.facts import parse_fact
from domain.state import CaseState, fold
from domain.text import safe_label


class ChildCase(Aggregate):
    class Opened(Aggregate.Created):
        event_type: str
        fields: dict[str, Any]
        occurred_at: datetime
        actor: dict[str, str]
        reason: str | None
        command_id: str | None

    class Recorded(Aggregate.Event):
        event_type: str
        fields: dict[str, Any]
        occurred_at: datetime
        actor: dict[str, str]
        reason: str | None
        command_id: str | None

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, ChildCase)
            aggregate._append(self, self.originator_version)

    def __init__(self, event_type: str, fields: dict[str, Any], occurred_at: datetime,
                 actor: dict[str, str], reason: str | None, command_id: str | None) -> None:
        self.entries: list[Entry] = []
        self._state: CaseState | None = None
        self.entries.append(_entry(1, event_type, fields, occurred_at, self.created_on,
                                   actor, reason, command_id))

    @classmethod
    def open(cls, child_id: UUID, fields: dict[str, Any], occurred_at: datetime, actor: Actor,
             reason: str | None, command_id: str | None) -> ChildCase:
        return cls._create(
            cls.Opened, id=child_id, event_type="Registered", fields=fields,
            occurred_at=occurred_at, actor=_actor_json(actor), reason=reason,
            command_id=command_id,
        )

    def record(self, event_type: str, fields: dict[str, Any], occurred_at: datetime,
               actor: Actor, reason: str | None, command_id: str | None) -> Entry:
        self.trigger_event(
            self.Recorded, event_type=event_type, fields=fields, occurred_at=occurred_at,
            actor=_actor_json(actor), reason=reason, command_id=command_id,
        )
        return self.entries[-1]

    def _append(self, event: ChildCase.Recorded, seq: int) -> None:
        self.entries.append(_entry(seq, event.event_type, event.fields, event.occurred_at,
                                   event.timestamp, event.actor, event.reason, event.command_id))
        self._state = None

    @property
    def effective_entries(self) -> list[Entry]:
        return effective(self.entries)

    @property
    def state(self) -> CaseState:
        if self._state is None:
            self._state = fold(str(self.id), self.effective_entries)
        return self._state

    def state_at(self, seq: int) -> CaseState:
        """The state as it was right after entry `seq` (corrections recorded later aside)."""
        if seq == self.version:
            return self.state
        return fold(str(self.id), effective(self.entries[:seq]))

    def __deepcopy__(self, memo: dict[int, Any]) -> ChildCase:
        """The copy the case file hands out from its cache (domain.case_file) for each read
        or command: cheap, because entries are immutable values and are shared; the list
        holding them, the pending events and the folded state are the copy's own. Taken
        again while another thread is bringing the cached original up to date (its entries
        and its version then disagree)."""
        while True:
            copied = object.__new__(type(self))
            copied.__dict__.update(self.__dict__)
            copied.entries = list(copied.entries)
            if len(copied.entries) == copied.version == self.version:
                break
        copied._pending_events = list(self._pending_events)
        copied._state = None
        return copied

    def entry_for_command(self, command_id: str) -> Entry | None:
        return next((e for e in self.entries if e.command_id == command_id), None)


def _actor_json(actor: Actor) -> dict[str, str]:
    return {"user_id": actor.user_id, "role": actor.role}


def _entry(seq: int, event_type: str, fields: dict[str, Any], occurred_at: datetime,
           recorded_at: datetime, actor: dict[str, str], reason: str | None,
           command_id: str | None) -> Entry:
    try:
        fact = parse_fact(event_type, fields, system=True, strict=False)
    except DomainError:
        raise UnreadableEntry(seq, safe_label(event_type)) from None
    return Entry(
        seq=seq, event_type=event_type, fact=fact,
        occurred_at=occurred_at, recorded_at=recorded_at,
        actor=Actor(actor["user_id"], actor["role"]), reason=reason, command_id=command_id,
    )
