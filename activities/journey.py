"""Plan a journey's timers and record what fell due, both from the case file.

Synchronous (the case file is); run on the worker's thread pool. Both are idempotent:
planning only reads, firing records with the timer key as command id.

Besides the clocks' own timers, planning lists one `withdraw|<entry>|<type>` timer, due at
once, for each of Vaka's conclusions that a correction or a late entry left standing on
nothing (domain.judging): firing it records `ConclusionWithdrawn`. The workflow needs no
change for this: it fires whatever timers planning gives it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from uuid import UUID

from temporalio import activity

from domain.case_file import CaseFile
from domain.child_case import ChildCase
from domain.clocks import Clock, Timer, pending_timers
from domain.errors import ChildNotFound
from domain.firing import falling_due, reminder
from domain.judging import Judgement, withdrawal_reason, withdrawal_timers
from workflows.messages import (
    FIRE_TIMER,
    PLAN_TIMERS,
    FireRequest,
    FireResult,
    PlannedTimer,
    PlanRequest,
    TimerPlan,
)


def _again(case: ChildCase, timers: list[Timer]) -> list[Timer]:
    """A clock whose conclusion was withdrawn and now stands again (the correction was
    itself corrected) fires under a new key: its first key is spent."""
    withdrawn = {e.fact.entry for e in case.entries if e.event_type == "ConclusionWithdrawn"}
    spent = Counter((e.command_id or "").split("|again")[0] for e in case.entries
                    if e.seq in withdrawn)
    return [Timer(f"{t.key}|again{spent[t.key]}", t.at) if spent.get(t.key) else t
            for t in timers]


class JourneyActivities:
    def __init__(self, case_file: CaseFile) -> None:
        self.case_file = case_file

    @activity.defn(name=PLAN_TIMERS)
    def plan_timers(self, request: PlanRequest) -> TimerPlan:
        try:
            case = self.case_file.get_case(UUID(request.child_id))
        except ChildNotFound:
            return TimerPlan(version=0, finished=True)
        judgement = self.case_file.judgement(case)
        learnt = max(e.recorded_at for e in case.entries)
        timers = withdrawal_timers(judgement, min(learnt, request.now)) + _again(
            case, pending_timers(judgement.clocks, request.now))
        return TimerPlan(
            version=case.version,
            timers=[PlannedTimer(t.key, t.at) for t in timers],
            finished=case.state.ended and not timers,
        )

    def _judged(self) -> Callable[[ChildCase], Judgement]:
        """Judging a case once per version within one activity call."""
        judged: dict[int, Judgement] = {}

        def judgement(case: ChildCase) -> Judgement:
            if case.version not in judged:
                judged[case.version] = self.case_file.judgement(case)
            return judged[case.version]

        return judgement

    @activity.defn(name=FIRE_TIMER)
    def fire_timer(self, request: FireRequest) -> FireResult:
        child_id = UUID(request.child_id)
        kind, clock_id, *rest = request.key.split("|")
        judgement = self._judged()
        if kind == "withdraw":
            return self._withdraw(child_id, int(clock_id), request, judgement)

        def current(case: ChildCase) -> Clock | None:
            """The clock as the case stands now, if the timer still applies to it."""
            clock = next((c for c in judgement(case).clocks if c.clock_id == clock_id), None)
            if clock is None or clock.status != "open":
                return None  # met, cancelled or missed since the timer was planned
            if kind == "due" and request.at is not None and clock.due != request.at:
                return None  # a correction moved the due instant
            return clock

        case = self.case_file.get_case(child_id)
        clock = current(case)
        if clock is None:
            return FireResult()
        if kind == "remind":
            at = next((r for r in clock.reminders if r.isoformat() == rest[0]), None)
            if at is None:
                return FireResult()
            event_type, fields = reminder(clock)
        else:
            at = clock.due
            event_type, fields = falling_due(clock, judgement(case).state)
        entry = self.case_file.record_system(
            child_id, event_type, fields, at, request.key,
            still_applies=lambda case: current(case) is not None)
        return FireResult(recorded_version=entry.seq if entry else None)

    def _withdraw(self, child_id: UUID, seq: int, request: FireRequest,
                  judgement: Callable[[ChildCase], Judgement]) -> FireResult:
        def unfounded(case: ChildCase) -> bool:
            return any(e.seq == seq for e in judgement(case).unfounded)

        case = self.case_file.get_case(child_id)
        target = next((e for e in case.entries if e.seq == seq), None)
        if target is None or not unfounded(case):
            return FireResult()
        at = request.at or max(e.recorded_at for e in case.entries)
        entry = self.case_file.record_system(
            child_id, "ConclusionWithdrawn", {"entry": seq, "conclusion": target.event_type},
            at, request.key, still_applies=unfounded,
            reason=withdrawal_reason(target, case.entries))
        return FireResult(recorded_version=entry.seq if entry else None)
