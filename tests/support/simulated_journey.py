"""A child's journey in memory: the case file's commands, and the journey workflow's loop
played by hand over the real activities (plan_timers, fire_timer) on a simulated clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from unittest import mock
from uuid import UUID

from activities.journey import JourneyActivities
from domain.child_case import ChildCase
from domain.clocks import Clock
from domain.entries import Entry
from domain.policy import Policy
from tests.support.history import CASEWORKER, POLICY, _json, in_memory_case_file
from workflows.messages import FireRequest, PlanRequest


class Journey:
    def __init__(self, registration: dict[str, Any], policy: Policy = POLICY) -> None:
        self.case_file = in_memory_case_file(policy)
        self.activities = JourneyActivities(self.case_file)
        arrived = registration["arrived_at"]
        self.now: datetime = arrived
        with self._clock():
            self.child_id: UUID = self.case_file.register(_json(registration), CASEWORKER,
                                                          arrived).child_id
        self.fired: set[str] = set()

    @contextmanager
    def _clock(self) -> Iterator[None]:
        """Entries are stamped recorded_at by the simulated clock, not the wall clock."""
        with mock.patch.object(ChildCase.Recorded, "create_timestamp", lambda: self.now), \
                mock.patch.object(ChildCase.Opened, "create_timestamp", lambda: self.now):
            yield

    # ---- what a caseworker does ----

    def enter(self, event_type: str, occurred_at: datetime, *, at: datetime | None = None,
              reason: str | None = None, **fields: Any) -> Entry:
        """Record a fact that happened at occurred_at, entered at `at` (default: then).
        What fell due before it was entered is recorded first, as the workflow would."""
        self.run_until(at or occurred_at)
        with self._clock():
            return self.case_file.record(self.child_id, event_type, _json(fields), CASEWORKER,
                                         self.now, occurred_at=occurred_at,
                                         reason=reason).entry

    def tidy_arrival(self, hours: float = 2) -> None:
        """What arrival asks for, done at once: nothing of it is missed or escalated."""
        done = self.now + timedelta(hours=hours)
        self.enter("GuardianAppointed", done, name="God man", email="godman@example.org")
        self.enter("TalkHeld", done, kind="information", guardian_present=True)
        self.enter("HealthExamOffered", done)
        self.enter("CrisisPlanEstablished", done)
        self.enter("RiskAssessed", done, factors=[])

    def correct(self, entry: Entry, at: datetime, **fields: Any) -> Entry:
        return self.enter("Corrected", at, reason="corrected", entry=entry.seq,
                          fields=_json(fields))

    def retract(self, entry: Entry, at: datetime) -> Entry:
        return self.enter("Retracted", at, reason="recorded on the wrong child",
                          entry=entry.seq)

    # ---- what the journey workflow does ----

    def run_until(self, until: datetime) -> None:
        """Fire every timer due up to `until`, re-planning after each batch, as the
        workflow does (ChildJourney.run)."""
        for _ in range(10_000):
            plan = self.activities.plan_timers(PlanRequest(str(self.child_id), self.now))
            waiting = [t for t in plan.timers if t.key not in self.fired]
            due = [t for t in waiting if t.at <= until]
            if not due:
                self.now = max(self.now, until)
                return
            self.now = max(self.now, min(t.at for t in due))  # the workflow wakes then
            with self._clock():
                for timer in [t for t in due if t.at <= self.now]:
                    self.fired.add(timer.key)
                    self.activities.fire_timer(FireRequest(str(self.child_id), timer.key,
                                                           timer.at))
        raise AssertionError("the journey did not settle")

    # ---- reading ----

    @property
    def case(self) -> ChildCase:
        return self.case_file.get_case(self.child_id)

    def clocks(self) -> list[Clock]:
        return self.case_file.clocks(self.case)

    def clocks_of(self, rule_id: str) -> list[Clock]:
        return [c for c in self.clocks() if c.rule_id == rule_id]

    def entries(self, event_type: str) -> list[Entry]:
        return [e for e in self.case.entries if e.event_type == event_type]
