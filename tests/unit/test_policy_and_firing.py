"""The policy is versioned and every clock names its version; what Vaka records when a
clock of the whole journey falls due (domain.firing)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.child_case import ChildCase
from domain.clocks import Clock
from domain.firing import falling_due, reminder
from tests.support.history import (
    POLICY,
    applied,
    at,
    clock,
    clocks,
    clocks_of,
    custom_policy,
    default_rules,
    fire,
    only_open,
    record,
    registered,
    rejected,
    state_of,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
DECIDED_AT = at("2026-03-02T13:15:00+00:00")


def journey() -> ChildCase:
    """Arrival, placement, risk, a rejection made final, return and enforcement."""
    case = registered(ARRIVED, date(2011, 5, 20))
    record(case, "Placed", ARRIVED + timedelta(days=1), placement_type="jourhem",
           legal_basis="LVU")
    record(case, "RiskAssessed", ARRIVED + timedelta(days=2), factors=["A1.1", "A4.1"])
    applied(case, ARRIVED + timedelta(days=3))
    record(case, "InterviewHeld", ARRIVED + timedelta(days=20))
    rejected(case, DECIDED_AT)
    record(case, "DecisionFinal", DECIDED_AT + timedelta(days=5))
    record(case, "ReturnConfirmed", DECIDED_AT + timedelta(days=6))
    record(case, "HandedOverToPolice", DECIDED_AT + timedelta(days=7))
    return case


def test_every_clock_of_the_journey_carries_the_policy_version() -> None:
    policy = custom_policy(default_rules(), version="test-journey-7")
    every = clocks(journey(), policy)
    assert len({c.rule_id for c in every}) >= 20
    assert {c.policy_version for c in every} == {"test-journey-7"}


def test_the_default_policy_version_is_named_on_a_return_clock() -> None:
    lapse = only_open(journey(), "return.expulsion_lapse")
    assert lapse.policy_version == POLICY.version


def test_a_rule_left_out_of_the_policy_opens_no_clock_and_fires_nothing() -> None:
    rules = {k: v for k, v in default_rules().items() if k != "decision.appeal_window"}
    case = registered(ARRIVED)
    applied(case, ARRIVED + timedelta(days=3))
    rejected(case, DECIDED_AT)
    assert clocks_of(case, "decision.appeal_window", custom_policy(rules)) == []


def test_changing_the_sip_meeting_days_moves_its_due() -> None:
    rules = default_rules()
    rules["decision.sip_meeting"]["due_after"] = "10d"
    case = registered(ARRIVED)
    applied(case, ARRIVED + timedelta(days=3))
    decision = rejected(case, DECIDED_AT)
    assert clock(case, f"decision.sip_meeting@{decision.seq}", custom_policy(rules)).due == (
        at("2026-03-12T00:00:00+01:00"))


def test_changing_the_expulsion_lapse_years_moves_its_due() -> None:
    rules = default_rules()
    rules["return.expulsion_lapse"]["due_after"] = "5y"
    lapse = only_open(journey(), "return.expulsion_lapse", custom_policy(rules))
    assert lapse.due == at("2031-03-07T00:00:00+01:00")


# ---- what falls due records ----


@pytest.mark.parametrize("rule_id,factor", [
    ("risk.flag.rejection", "A3.1"),
    ("risk.flag.appeal", "A3.2"),
    ("risk.flag.long_processing", "A3.3"),
    ("risk.flag.kinship_placement", "A3.5"),
    ("risk.flag.approaching_18", "A3.6"),
    ("risk.flag.age_upgrade", "A3.7"),
    ("risk.flag.placement_moves", "A3.8"),
])
def test_each_derived_flag_records_its_factor_of_the_checklist(rule_id: str, factor: str) -> None:
    flag = Clock(clock_id=f"{rule_id}@4", rule_id=rule_id, anchor_seq=4, due=DECIDED_AT,
                 owner="system", policy_version="v", fires="RiskFlagRaised")
    assert falling_due(flag, state_of(registered(ARRIVED))) == (
        "RiskFlagRaised", {"factor": factor, "clock_id": f"{rule_id}@4"})


@pytest.mark.parametrize("rule_id,event_type", [
    ("decision.appeal_window", "AppealWindowExpired"),
    ("return.voluntary_departure", "DepartureWindowExpired"),
    ("return.expulsion_lapse", "ExpulsionLapsed"),
])
def test_a_window_that_closes_records_its_event_naming_the_clock(
        rule_id: str, event_type: str) -> None:
    case = registered(ARRIVED)
    applied(case, ARRIVED + timedelta(days=3))
    rejected(case, DECIDED_AT)
    if rule_id != "decision.appeal_window":
        record(case, "DecisionFinal", DECIDED_AT + timedelta(days=5))
    window = only_open(case, rule_id)
    assert falling_due(window, state_of(case)) == (event_type, {"clock_id": window.clock_id})


def test_a_missed_deadline_of_the_journey_records_deadline_missed() -> None:
    case = journey()
    notify = only_open(case, "enforcement.notify")
    assert falling_due(notify, state_of(case)) == ("DeadlineMissed", {
        "clock_id": notify.clock_id, "rule_id": "enforcement.notify",
        "due": "2026-03-09T15:15:00+00:00"})


def test_a_missed_journey_deadline_recorded_makes_the_clock_missed() -> None:
    case = journey()
    due = only_open(case, "enforcement.notify")
    missed = fire(case, due)
    notify = clock(case, due.clock_id)
    assert (notify.status, notify.resolved_seq) == ("missed", missed.seq)


def test_a_reminder_of_the_appeal_window_records_deadline_reminded() -> None:
    case = registered(ARRIVED)
    applied(case, ARRIVED + timedelta(days=3))
    rejected(case, DECIDED_AT)
    window = only_open(case, "decision.appeal_window")
    assert reminder(window) == ("DeadlineReminded", {
        "clock_id": window.clock_id, "rule_id": "decision.appeal_window",
        "due": "2026-03-23T23:00:00+00:00"})  # in time all Monday 23 March
