"""The case file is judged by when things happened, not by when Vaka learnt them (RULEBOOK
section 6): a random valid history, recorded once in time order and once with some events
entered late, ends with the same clocks and the same stage. Both are played through the
journey's own activities, so Vaka's misses and conclusions are recorded as the history
unfolds, and withdrawn where a late entry takes their ground away."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.clocks import Clock
from domain.entries import Entry
from domain.legal_time import legal_due
from tests.support.history import POLICY, at, custom_policy, default_rules
from tests.support.simulated_journey import Journey

ARRIVED = at("2030-01-07T09:00:00+00:00")
# Without the escalation ladder: its daily repeats would make each history long to play;
# late entries stopping escalations is shown in test_late_entries.
QUIET = custom_policy({k: v for k, v in default_rules().items() if k != "escalation"})


@dataclass
class Step:
    event_type: str
    occurred_at: datetime
    fields: dict[str, Any] = field(default_factory=dict)
    delay: timedelta = timedelta(0)  # entered this long after it happened


@dataclass
class Child:
    """What the generator knows, so that each step fits the child's state at its time."""

    now: datetime = ARRIVED
    before: datetime = ARRIVED  # the step before this one
    stage: str = "arrived"
    window_closes: datetime | None = None
    missing_since: datetime | None = None
    reported: bool = False
    guardian: bool = False
    custodian_applied: bool = False

    def choices(self) -> list[str]:
        if self.stage == "rejected" and self.window_closes and self.now >= self.window_closes:
            self.stage = "rejected_final"
        options = ["RiskAssessed", "FollowUpHeld", "TalkHeld", "SipMeetingHeld",
                   "PlacementChanged", "HealthExamOffered"]
        options += [] if self.guardian else ["GuardianAppointed"]
        if self.missing_since is None:
            options.append("ReportedMissing")
        else:
            options += ["SearchActionTaken", "Found", "ContactMade"]
            options += [] if self.reported else ["PoliceReportFiled"]
        options += {"arrived": ["AsylumApplied"], "in_asylum_process": ["DecisionIssued"],
                    "rejected": ["AppealFiled"], "appealing": ["AppealDecided"]}.get(
            self.stage, [])
        if self.stage == "granted" and not self.custodian_applied:
            options.append("SpecialCustodianApplied")
        return options


@st.composite
def steps(draw: st.DrawFn) -> tuple[date, list[Step]]:
    dob = ARRIVED.date().replace(year=ARRIVED.year - 18) + timedelta(
        days=draw(st.integers(60, 900)))
    child = Child()
    history: list[Step] = []
    for _ in range(draw(st.integers(3, 12))):
        child.before = child.now
        child.now += timedelta(hours=draw(st.integers(1, 24 * 12)))
        kind = draw(st.sampled_from(child.choices()))
        history.append(Step(kind, child.now, _fields(draw, child, kind)))
    for step in history:
        if draw(st.integers(0, 9)) < 3:
            step.delay = timedelta(hours=draw(st.integers(1, 24 * 10)))
    return dob, history


def _fields(draw: st.DrawFn, child: Child, kind: str) -> dict[str, Any]:
    pick = lambda *options: draw(st.sampled_from(options))  # noqa: E731
    if kind == "RiskAssessed":
        return {"factors": sorted(draw(st.sets(st.sampled_from(
            ["A1.1", "A2.1", "A3.4", "A4.1"]))))}
    if kind == "FollowUpHeld":
        return {"area": pick("B1", "B2", "B3", "B4", "network")}
    if kind == "TalkHeld":
        return {"kind": pick("debrief", "after_rejection", "information", "check_in"),
                "guardian_present": True}
    if kind == "SipMeetingHeld":
        return {"topic": pick("decision", "adulthood")}
    if kind == "PlacementChanged":
        return {"placement_type": pick("hvb", "natverkshem", "jourhem", "familjehem"),
                "legal_basis": pick("SoL", "LVU")}
    if kind == "GuardianAppointed":
        child.guardian = True
        return {"name": "God man"}
    if kind == "ReportedMissing":
        child.missing_since, child.reported = child.now, False
        seen = max(child.before, child.now - timedelta(hours=draw(st.integers(0, 10))))
        return {"last_seen_at": seen, "place": "the station", "seen_by": "staff"}
    if kind == "PoliceReportFiled":
        child.reported = True
    if kind == "SearchActionTaken":
        return {"action": "called friends", "taken_by": "caseworker"}
    if kind in ("Found", "ContactMade"):
        child.missing_since = None
        if kind == "Found":
            return {"location": "sweden", "municipality": pick(None, "Lund"),
                    "suspected_exploitation": draw(st.booleans())}
    if kind == "AsylumApplied":
        child.stage = "in_asylum_process"
    if kind == "DecisionIssued":
        outcome = pick("rejected", "granted")
        child.stage = outcome
        child.window_closes = legal_due(child.now, "3w", POLICY.timezone)
        # Decided after the application (it was in the step before) and before it was told.
        decided = max(child.before, child.now - timedelta(hours=draw(st.integers(0, 48))))
        if outcome == "granted":
            return {"outcome": outcome, "decided_at": decided, "permit_type": "permanent"}
        return {"outcome": outcome, "decided_at": decided, "notified_at": child.now}
    if kind == "AppealFiled":
        child.stage = "appealing"
    if kind == "AppealDecided":
        outcome = pick("rejected", "granted")
        child.stage = "granted" if outcome == "granted" else "rejected_final"
        return {"outcome": outcome} | ({"permit_type": "temporary"}
                                       if outcome == "granted" else {})
    if kind == "SpecialCustodianApplied":
        child.custodian_applied = True
    return {}


def play(dob: date, history: list[Step], *, late: bool) -> Journey:
    journey = Journey({"arrived_at": ARRIVED, "date_of_birth": dob,
                       "date_of_birth_basis": "stated", "municipality": "Malmö"}, QUIET)
    entered = ARRIVED
    for step in history:
        entered = max(entered, step.occurred_at + (step.delay if late else timedelta(0)))
        journey.enter(step.event_type, step.occurred_at, at=entered, **step.fields)
    # Both orders are judged at the same instant, after the last late entry.
    journey.run_until(max(s.occurred_at + s.delay for s in history) + timedelta(days=30))
    return journey


def _keys(entries: list[Entry]) -> dict[int, tuple[object, ...]]:
    """A name for each entry that does not depend on the order it was recorded in."""
    keys: dict[int, tuple[object, ...]] = {}
    for entry in entries:
        about = str(getattr(entry.fact, "clock_id", "") or "").split("@")[0]
        keys[entry.seq] = (entry.event_type, entry.occurred_at, about)
    return keys


def judged(journey: Journey) -> tuple[str, str, Counter[tuple[object, ...]]]:
    case = journey.case
    keys = _keys(case.entries)

    def name(clock: Clock) -> tuple[object, ...]:
        # A miss is the same miss whether Vaka saw it fall due (DeadlineMissed) or learnt of
        # it only after what closed the clock, say the 18th birthday: due, status and
        # on-time are compared, the entry that closed it is not.
        closed = None if clock.status == "missed" else keys.get(clock.resolved_seq or 0)
        return (clock.rule_id, keys.get(clock.anchor_seq), clock.due, clock.status,
                clock.on_time, closed, keys.get(clock.episode or 0),
                (clock.subject or "").split("@")[0])

    clocks = journey.case_file.judgement(case).clocks
    return case.state.stage, journey.case_file.judgement(case).state.stage, Counter(
        name(c) for c in clocks)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps())
def test_a_history_entered_late_ends_with_the_same_clocks_and_stage_as_in_time(
        drawn: tuple[date, list[Step]]) -> None:
    dob, history = drawn
    in_time, entered_late = judged(play(dob, history, late=False)), judged(
        play(dob, history, late=True))
    assert in_time[:2] == entered_late[:2]
    assert in_time[2] == entered_late[2], (
        f"only in time: {in_time[2] - entered_late[2]}\n"
        f"only late: {entered_late[2] - in_time[2]}")
