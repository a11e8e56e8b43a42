"""The tally: counts each recorded event by type, and how late Vaka was with what it
recorded when a clock fell due, for the metrics (vaka.readside.tally).

A follower of its own rather than a part of the projector: the projector is rewound to
rewrite its rows (a new policy, a new read-model version), which would count events
twice; the tally's position only ever moves forward. Counts and position move in one
transaction, so each event is counted exactly once.

Lateness is measured from the moment Vaka could first have recorded the event: its due
instant, or, when the facts that made it due were recorded only after that (a
disappearance reported a day late), the recording of the entry before it. A back-dated
entry thus says nothing of Vaka's speed; a stalled worker or relay shows at once.
"""

from __future__ import annotations

from uuid import UUID

from domain.child_case import ChildCase
from domain.entries import SYSTEM_ACTOR_ID, Entry
from vaka.followers.follower import Follower
from vaka.followers.log import Change
from vaka.readside import tally
from vaka.readside.db import Tx

NAME = "tally"


def lateness(entries: list[Entry], seq: int) -> float | None:
    """Seconds from when Vaka could have recorded entry `seq` to when it did; None for
    entries that are not Vaka's own (a caseworker's entry falls due on no clock)."""
    entry = entries[seq - 1]
    if entry.actor.user_id != SYSTEM_ACTOR_ID:
        return None
    could = entry.occurred_at  # a timer's due instant: domain.firing records it so
    if seq > 1:
        could = max(could, entries[seq - 2].recorded_at)
    return max((entry.recorded_at - could).total_seconds(), 0.0)


class Tally(Follower):
    name = NAME

    def prepare(self, changes: list[Change], isolated: bool = False) -> list[tally.Counted]:
        cases: dict[UUID, ChildCase] = {}
        counted = []
        for change in changes:
            case = cases.get(change.child_id) or self.case_file.get_case(change.child_id)
            cases[change.child_id] = case
            entries = case.entries  # append-only: the latest case holds every version
            counted.append(tally.Counted(entries[change.version - 1].event_type,
                                         lateness(entries, change.version)))
        return counted

    def write(self, tx: Tx, prepared: list[tally.Counted]) -> None:
        tally.add(tx, prepared)
