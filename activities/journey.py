"""Plan a journey's timers and record what fell due, both from the case file.

Synchronous (the case file is); run on the worker's thread pool. Both are idempotent:
planning only reads, firing records with the timer key as command id.
"""

from __future__ import annotations

from uuid import UUID

from temporalio import activity

from domain.case_file import CaseFile
from domain.clocks import pending_timers
from domain.errors import ChildNotFound
from domain.firing import falling_due, reminder
from workflows.messages import FireRequest, FireResult, PlannedTimer, PlanRequest, TimerPlan


class JourneyActivities:
    def __init__(self, case_file: CaseFile) -> None:
        self.case_file = case_file

    @activity.defn(name="plan_timers")
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

    @activity.defn(name="fire_timer")
    def fire_timer(self, request: FireRequest) -> FireResult:
        child_id = UUID(request.child_id)
        case = self.case_file.get_case(child_id)
        clocks = {c.clock_id: c for c in self.case_file.clocks(case)}
        kind, clock_id, *rest = request.key.split("|")
        clock = clocks.get(clock_id)
        if clock is None or clock.status != "open":
            return FireResult()  # met, cancelled or moved since the timer was planned
        if kind == "due" and request.at is not None and clock.due != request.at:
            return FireResult()  # a correction moved the due instant
        if kind == "remind":
            at = next((r for r in clock.reminders if r.isoformat() == rest[0]), None)
            if at is None:
                return FireResult()
            event_type, fields = reminder(clock)
        else:
            at = clock.due
            event_type, fields = falling_due(clock, case.state)
        entry = self.case_file.record_system(child_id, event_type, fields, at, request.key)
        return FireResult(recorded_version=entry.seq if entry else None)

