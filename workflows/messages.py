"""Payloads between the relay, the journey workflow and its activities.

Permanent contracts: add fields with defaults, never rename. Ids, rule ids and instants
only; a child's personal data never travels through Temporal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Wire names: what Temporal knows the journey, its messages and its activities by. Shared by
# the workflow, the activities and the relay; permanent, like the payloads.
WORKFLOW = "ChildJourney"
CASE_CHANGED = "case_changed"  # signal: the case file has a new version
POLICY_CHANGED = "policy_changed"  # signal: recompute the clocks under a new policy
GET_STATUS = "get_status"  # query
PLAN_TIMERS = "plan_timers"  # activity
FIRE_TIMER = "fire_timer"  # activity


def journey_workflow_id(child_id: str) -> str:
    return f"child-journey-{child_id}"


@dataclass
class JourneyInput:
    child_id: str
    known_version: int = 0


@dataclass
class CaseChanged:
    version: int


@dataclass
class PlanRequest:
    child_id: str
    now: datetime


@dataclass
class PlannedTimer:
    key: str
    at: datetime


@dataclass
class TimerPlan:
    version: int
    timers: list[PlannedTimer] = field(default_factory=list)
    finished: bool = False  # the journey has ended: nothing left to keep


@dataclass
class FireRequest:
    child_id: str
    key: str
    at: datetime | None = None  # the instant it was planned for; a moved clock is not fired


@dataclass
class FireResult:
    recorded_version: int | None = None


@dataclass
class JourneyStatus:
    child_id: str
    planned_version: int
    wanted_version: int
    next_timer_at: datetime | None
    timers: int
    planned: list[PlannedTimer] = field(default_factory=list)


@dataclass
class PolicyChanged:
    version: str
