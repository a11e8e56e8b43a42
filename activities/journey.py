"""Plan a journey's timers and record what fell due, both from the case file.

Synchronous (the case file is); run on the worker's thread pool. Both are idempotent:
planning only reads, firing records with the timer key as command id.
"""

from __future__ import annotations

from uuid import UUID

from temporalio import activity

from domain.case_file import CaseFile
from domain.child_case import ChildCase
from domain.clocks import Clock, pending_timers
from domain.errors import ChildNotFound
from domain.firing import falling_due, reminder
from workflows.messages import (
    FIRE_TIMER,
    PLAN_TIMERS,
    FireRequest,
    FireResult,
    PlannedTimer,
    PlanRequest,
    TimerPlan,
)


class JourneyActivities:
    def __init__(self, case_file: CaseFile) -> None:
        self.case_file = case_file

    @activity.defn(name=PLAN_TIMERS)
    def plan_timers(self, request: PlanRequest) -> TimerPlan:
        try:
            case = self.case_file.get_case(UUID(request.child_id))
        except ChildNotFound:
            return TimerPlan(version=0, finished=True)
        clocks = self.case_file.clocks(case)
        timers = pending_timers(clocks, request.now)
        return TimerPlan(
            version=case.version,
            timers=[PlannedTimer(t.key, t.at) for t in timers],
            finished=case.state.ended and not timers,
        )

    @activity.defn(name=FIRE_TIMER)
    def fire_timer(self, request: FireRequest) -> FireResult:
        child_id = UUID(request.child_id)
        kind, clock_id, *rest = request.key.split("|")

        def current(case: ChildCase) -> Clock | None:
            """The clock as the case stands now, if the timer still applies to it."""
            clock = next((c for c in self.case_file.clocks(case) if c.clock_id == clock_id),
                         None)
            if clock is None or clock.status != "open":
                return None  # met, cancelled or missed since the timer was planned
            if kind == "due" and request.at is not None and clock.due != request.at:
                return None  # a correction moved the due instant
            return clock

        clock = current(self.case_file.get_case(child_id))
        if clock is None:
            return FireResult()
        if kind == "remind":
            at = next((r for r in clock.reminders if r.isoformat() == rest[0]), None)
            if at is None:
                return FireResult()
            event_type, fields = reminder(clock)
        else:
            at = clock.due
            event_type, fields = falling_due(clock, self.case_file.get_case(child_id).state)
        entry = self.case_file.record_system(
            child_id, event_type, fields, at, request.key,
            still_applies=lambda case: current(case) is not None)
        return FireResult(recorded_version=entry.seq if entry else None)
