"""Judging the case file: the clocks, and which of Vaka's own conclusions still stand.

The history is folded in the order things happened (`entries.chronological`), so an act
entered late resolves a clock as if entered in time (RULEBOOK section 6). A system entry
is taken into account only where it still follows from what came before it
(`ClockBook.stands`): a miss whose clock an earlier act met, or a conclusion whose ground
a correction moved or removed, is left out. Such a conclusion is `unfounded`: the journey
records `ConclusionWithdrawn` for it, which takes it out of the case state too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.clock_rules import RULES
from domain.clocks import Clock, ClockBook
from domain.entries import Entry, chronological
from domain.policy import Policy
from domain.state import CaseState, evolve
from domain.timers import Timer, TimerKey

# Conclusions withdrawn with an entry that says so; a miss or an escalation that no longer
# stands stays in the history as it was and is only left out of the clocks.
WITHDRAWN_WITH_ENTRY = ("Turned18", "AppealWindowExpired", "DepartureWindowExpired",
                        "ExpulsionLapsed", "RiskFlagRaised")


@dataclass
class Judgement:
    clocks: list[Clock]
    state: CaseState
    unfounded: list[Entry] = field(default_factory=list)


def judge(child_id: str, entries: list[Entry], policy: Policy) -> Judgement:
    state = CaseState(child_id=child_id)
    book = ClockBook(policy, state=state)
    unfounded: list[Entry] = []
    for entry in chronological(entries):
        if not book.stands(entry):
            if entry.event_type in WITHDRAWN_WITH_ENTRY:
                unfounded.append(entry)
            continue
        evolve(state, entry)
        book.record_system(entry)
        for rule in RULES:
            rule(book, entry, state)
    state.version = max((e.seq for e in entries), default=0)
    clocks = sorted(book.clocks.values(), key=lambda c: (c.due, c.clock_id))
    return Judgement(clocks, state, sorted(unfounded, key=lambda e: e.seq))


def compute_clocks(child_id: str, entries: list[Entry], policy: Policy) -> list[Clock]:
    """Every clock of the case, in order of due instant."""
    return judge(child_id, entries, policy).clocks


def withdrawal_timers(judgement: Judgement, at: datetime) -> list[Timer]:
    """What the journey must record at once: one withdrawal per unfounded conclusion."""
    return [Timer(TimerKey.withdraw(e), at) for e in judgement.unfounded]


def withdrawal_reason(entry: Entry, entries: list[Entry]) -> str:
    """Says what took the conclusion's ground away: the corrections, retractions and late
    entries recorded after it."""
    after = [f"entry {e.seq} ({e.event_type})" for e in entries
             if e.seq > entry.seq and e.actor.role != "system"
             and (e.event_type in ("Corrected", "Retracted") or e.occurred_at < entry.occurred_at)]
    since = ", after " + ", ".join(after) if after else ""
    return (f"{entry.event_type} (entry {entry.seq}) is withdrawn: it no longer follows from "
            f"the case file as corrected{since}")
