"""Timers: what the journey workflow must do at an instant, and the key that names each.

A key is a permanent contract: it is the command id of the system entry a timer records,
so a timer that fires twice records once. Keys are written and read only here:

    due|<clock id>|<due instant>         the clock falls due (a moved due is a new timer)
    remind|<clock id>|<reminder instant> a reminder before it
    withdraw|<entry>|<event type>        one of Vaka's conclusions lost its ground
    ...|again<n>                         the n-th time a withdrawn conclusion stands again

Timers carry ids, rule ids and instants only: no personal data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from domain.clocks import OPEN, Clock
from domain.entries import Entry

Kind = Literal["due", "remind", "withdraw"]
_AGAIN = "|again"


@dataclass(frozen=True)
class TimerKey:
    kind: Kind
    subject: str  # the clock id, or for a withdrawal the entry's number
    detail: str  # the instant in ISO form, or for a withdrawal the conclusion's event type
    again: int = 0

    @classmethod
    def due(cls, clock: Clock) -> TimerKey:
        return cls("due", clock.clock_id, clock.due.isoformat())

    @classmethod
    def remind(cls, clock: Clock, at: datetime) -> TimerKey:
        return cls("remind", clock.clock_id, at.isoformat())

    @classmethod
    def withdraw(cls, entry: Entry) -> TimerKey:
        return cls("withdraw", str(entry.seq), entry.event_type)

    def format(self) -> str:
        key = f"{self.kind}|{self.subject}|{self.detail}"
        return key + (f"{_AGAIN}{self.again}" if self.again else "")

    @classmethod
    def parse(cls, text: str) -> TimerKey:
        base, _, again = text.partition(_AGAIN)
        kind, subject, detail = base.split("|", 2)
        if kind not in ("due", "remind", "withdraw"):
            raise ValueError("not a timer key")
        return cls(kind, subject, detail, int(again) if again else 0)  # type: ignore[arg-type]

    @property
    def first(self) -> str:
        """The key as it was first spent, before any 'again'."""
        return replace(self, again=0).format()

    @property
    def instant(self) -> datetime | None:
        return datetime.fromisoformat(self.detail) if self.kind != "withdraw" else None


@dataclass(frozen=True)
class Timer:
    """Something the journey workflow must do at an instant."""

    key: TimerKey
    at: datetime


def pending_timers(clocks: list[Clock], now: datetime) -> list[Timer]:
    """What the workflow should wake for: due instants of open clocks and their reminders.
    Reminders that fell due while nobody was watching collapse into the latest one, and a
    reminder whose clock is already due is dropped: the miss itself is what matters."""
    timers: list[Timer] = []
    for clock in clocks:
        if clock.status != OPEN:
            continue
        timers.append(Timer(TimerKey.due(clock), clock.due))
        if clock.due <= now:
            continue
        last_reminded = max(clock.reminded, default=None)
        outstanding = [r for r in clock.reminders if last_reminded is None or r > last_reminded]
        past = [r for r in outstanding if r <= now]
        future = [r for r in outstanding if r > now]
        for at in ([past[-1]] if past else []) + future:
            timers.append(Timer(TimerKey.remind(clock, at), at))
    return sorted(timers, key=lambda t: (t.at, t.key.format()))


def renewed(timers: list[Timer], entries: list[Entry]) -> list[Timer]:
    """A clock whose conclusion was withdrawn and now stands again (the correction was
    itself corrected) fires under a new key: its first key is spent."""
    withdrawn = {e.fact.entry for e in entries if e.event_type == "ConclusionWithdrawn"}
    spent = Counter(TimerKey.parse(e.command_id).first for e in entries
                    if e.seq in withdrawn and e.command_id and "|" in e.command_id)
    return [Timer(replace(t.key, again=spent[t.key.first]), t.at)
            if spent.get(t.key.first) else t for t in timers]
