"""The child's journey: the workflow that keeps the child's clocks.

It owns no rules. After each change of the case file it asks `plan_timers` what to wake
for, sleeps until the earliest instant or the next change, and asks `fire_timer` to
record what fell due. Rules live in the domain and may change without breaking a run.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from workflows.messages import (
        CASE_CHANGED,
        FIRE_TIMER,
        GET_STATUS,
        PLAN_TIMERS,
        POLICY_CHANGED,
        WORKFLOW,
        CaseChanged,
        FireRequest,
        JourneyInput,
        JourneyStatus,
        PlannedTimer,
        PlanRequest,
        PolicyChanged,
        TimerPlan,
    )

# Short: an attempt lost with a killed worker is retried after this long. Planning and
# recording take milliseconds.
ACTIVITY_TIMEOUT = timedelta(seconds=10)
RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30))
# Continue-as-new well before Temporal's limits: a journey lives for years.
MAX_HISTORY_EVENTS = 2_000


@workflow.defn(name=WORKFLOW)
class ChildJourney:
    @workflow.init
    def __init__(self, journey: JourneyInput) -> None:
        self._child_id = journey.child_id
        self._wanted = journey.known_version
        self._planned = -1
        self._timers: list[PlannedTimer] = []
        # Keys fired in this run: a timer the domain no longer wants recorded is not retried.
        self._fired: set[str] = set()

    @workflow.signal(name=CASE_CHANGED)
    def case_changed(self, change: CaseChanged) -> None:
        # Versions already planned for are ignored: the relay may deliver twice.
        self._wanted = max(self._wanted, change.version)

    @workflow.signal(name=POLICY_CHANGED)
    def policy_changed(self, change: PolicyChanged) -> None:
        # The clocks are recomputed under the new policy at the next plan.
        self._planned = -1

    @workflow.query(name=GET_STATUS)
    def get_status(self) -> JourneyStatus:
        return JourneyStatus(
            child_id=self._child_id,
            planned_version=self._planned,
            wanted_version=self._wanted,
            next_timer_at=self._timers[0].at if self._timers else None,
            timers=len(self._timers),
            planned=list(self._timers),
        )

    @workflow.run
    async def run(self, journey: JourneyInput) -> None:
        while True:
            if self._planned < self._wanted or self._planned < 0:
                plan = await self._plan()
                caught_up = not workflow.patched("finish-only-when-caught-up") or \
                    self._wanted <= plan.version
                if plan.finished and caught_up:
                    return
            due = [t for t in self._timers if t.at <= workflow.now() and t.key not in self._fired]
            if due:
                for timer in due:
                    self._fired.add(timer.key)
                    await workflow.execute_activity(
                        FIRE_TIMER, FireRequest(self._child_id, timer.key, timer.at),
                        start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=RETRY,
                    )
                self._planned = -1  # what fired changed the case: plan again
                continue
            if self._should_continue_as_new():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(JourneyInput(self._child_id, self._wanted))
            waiting = [t for t in self._timers if t.key not in self._fired]
            timeout = None
            if waiting:
                timeout = max(waiting[0].at - workflow.now(), timedelta(milliseconds=1))
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(lambda: self._wanted > self._planned,
                                              timeout=timeout)

    async def _plan(self) -> TimerPlan:
        plan: TimerPlan = await workflow.execute_activity(
            PLAN_TIMERS, PlanRequest(self._child_id, workflow.now()),
            result_type=TimerPlan, start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=RETRY,
        )
        self._planned = max(plan.version, 0)
        self._wanted = max(self._wanted, self._planned)
        self._timers = sorted(plan.timers, key=lambda t: (t.at, t.key))
        return plan

    def _should_continue_as_new(self) -> bool:
        info = workflow.info()
        return (
            info.is_continue_as_new_suggested()
            or info.get_current_history_length() > MAX_HISTORY_EVENTS
        )
