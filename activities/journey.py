"""Plan a journey's timers and record what fell due, both from the case file.

Synchronous (the case file is); run on the worker's thread pool. Both are idempotent:
planning only reads, firing records with the timer key as command id.

Besides the clocks' own timers (domain.timers names them), planning lists one withdrawal
timer, due at once, for each of Vaka's conclusions that a correction or a late entry left
standing on nothing (domain.judging): firing it records `ConclusionWithdrawn`. The workflow needs no
change for this: it fires whatever timers planning gives it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar
from uuid import UUID

from temporalio import activity

from domain.case_file import CaseFile
from domain.child_case import ChildCase
from domain.clocks import Clock
from domain.errors import ChildNotFound
from domain.firing import falling_due, reminder
from domain.judging import Judgement, withdrawal_reason, withdrawal_timers
from domain.timers import TimerKey, pending_timers, renewed
from workflows.messages import (
    FIRE_TIMER,
    PLAN_TIMERS,
    FireRequest,
    FireResult,
    PlannedTimer,
    PlanRequest,
    TimerPlan,
)

P = ParamSpec("P")
R = TypeVar("R")


def whole(body: Callable[P, R]) -> Callable[P, R]:
    """Runs an activity's body whole. Temporal throws a cancellation (a timeout, a worker
    shutting down) into a synchronous activity's thread at whatever instant it comes; one
    landing between a transaction's BEGIN and its end returned the store's connection to
    its pool still inside that transaction, and every later use of that connection failed
    ("cannot start a transaction within a transaction"). Held back here, the cancellation
    is raised when the body is done."""

    @functools.wraps(body)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if not activity.in_activity():  # called directly, as the rules' tests do
            return body(*args, **kwargs)
        with activity.shield_thread_cancel_exception():
            return body(*args, **kwargs)

    return run


class JourneyActivities:
    def __init__(self, case_file: CaseFile) -> None:
        self.case_file = case_file

    @activity.defn(name=PLAN_TIMERS)
    @whole
    def plan_timers(self, request: PlanRequest) -> TimerPlan:
        try:
            case = self.case_file.get_case(UUID(request.child_id))
        except ChildNotFound:
            return TimerPlan(version=0, finished=True)
        judgement = self.case_file.judgement(case)
        learnt = max(e.recorded_at for e in case.entries)
        timers = withdrawal_timers(judgement, min(learnt, request.now)) + renewed(
            pending_timers(judgement.clocks, request.now), case.entries)
        return TimerPlan(
            version=case.version,
            timers=[PlannedTimer(t.key.format(), t.at) for t in timers],
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
    @whole
    def fire_timer(self, request: FireRequest) -> FireResult:
        child_id = UUID(request.child_id)
        key = TimerKey.parse(request.key)
        judgement = self._judged()
        if key.kind == "withdraw":
            return self._withdraw(child_id, int(key.subject), request, judgement)

        def current(case: ChildCase) -> Clock | None:
            """The clock as the case stands now, if the timer still applies to it."""
            clock = next((c for c in judgement(case).clocks if c.clock_id == key.subject),
                         None)
            if clock is None or clock.status != "open":
                return None  # met, cancelled or missed since the timer was planned
            if key.kind == "due" and request.at is not None and clock.due != request.at:
                return None  # a correction moved the due instant
            return clock

        case = self.case_file.get_case(child_id)
        clock = current(case)
        if clock is None:
            return FireResult()
        if key.kind == "remind":
            at = next((r for r in clock.reminders if r == key.instant), None)
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
