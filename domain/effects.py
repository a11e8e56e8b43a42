"""What recording an event did to the child's clocks, said back to the person who recorded
it: which clocks it met, opened and stopped, and, when it did not meet a clock that it
looks meant for, why not (an information talk without the god man present, say)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from domain import facts
from domain.clocks import CANCELLED, MET, OPEN, Clock
from domain.entries import Entry


@dataclass(frozen=True)
class Hint:
    rule_id: str
    why: str  # English; the catalogue has it in Swedish


@dataclass(frozen=True)
class Effects:
    met: list[Clock] = field(default_factory=list)
    opened: list[Clock] = field(default_factory=list)
    stopped: list[Clock] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.met or self.opened or self.stopped or self.hints)


@dataclass(frozen=True)
class NearMiss:
    """An event that looks meant for a clock but falls short of what meets it."""

    event_type: str
    rule_id: str
    falls_short: Callable[[Any], bool]
    why: str
    within: timedelta | None = None  # only when the clock is due this close to the event


ADULTHOOD = timedelta(days=180)
NEAR_MISSES: list[NearMiss] = [
    NearMiss("TalkHeld", "arrival.information_talk",
             lambda f: f.kind == "information" and not f.guardian_present,
             "The information talk meets the arrival clock only when the god man was present."),
    NearMiss("TalkHeld", "found.debrief", lambda f: f.kind != "debrief",
             "Only a talk of the kind 'debrief' meets the debrief after the child was found."),
    NearMiss("TalkHeld", "age.prepare_adulthood", lambda f: f.kind != "adulthood",
             "Preparing for adulthood is met by a talk or a SIP meeting about adulthood.",
             ADULTHOOD),
    NearMiss("SipMeetingHeld", "age.prepare_adulthood", lambda f: f.topic != "adulthood",
             "Preparing for adulthood is met by a talk or a SIP meeting about adulthood.",
             ADULTHOOD),
    NearMiss("TalkHeld", "decision.after_rejection_talk",
             lambda f: f.kind != "after_rejection",
             "Only a talk of the kind 'after a rejection' meets the talks after a rejection."),
    NearMiss("FollowUpHeld", "placement.followup", lambda f: f.area != "placement",
             "The placement follow-up is met by a follow-up of the area 'placement'."),
]


def effects(before: list[Clock], after: list[Clock], entry: Entry) -> Effects:
    """Compare the clocks before and after one entry."""
    was = {c.clock_id: c for c in before}
    met, opened, stopped = [], [], []
    for clock in after:
        earlier = was.get(clock.clock_id)
        if earlier is None:
            if clock.status == OPEN:
                opened.append(clock)
            continue
        if earlier.status == clock.status:
            continue
        if clock.status == MET:
            met.append(clock)
        elif clock.status == CANCELLED:
            stopped.append(clock)
    live = [c for c in after if c.status in (OPEN, "missed")]
    hints = [Hint(miss.rule_id, miss.why) for miss in NEAR_MISSES
             if miss.event_type == entry.event_type and miss.falls_short(entry.fact)
             and any(_near(c, entry, miss.within) for c in live if c.rule_id == miss.rule_id)]
    if entry.event_type in facts.CORRECTIONS:
        hints = []
    return Effects(met, opened, stopped, _unique(hints))


def _near(clock: Clock, entry: Entry, within: timedelta | None) -> bool:
    return within is None or clock.due - entry.occurred_at <= within


def _unique(hints: list[Hint]) -> list[Hint]:
    seen: set[str] = set()
    found = []
    for hint in hints:
        if hint.why not in seen:
            seen.add(hint.why)
            found.append(hint)
    return found
