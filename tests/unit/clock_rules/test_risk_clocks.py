"""Risk (RULEBOOK sections 6 and 7): the assessment within 14 days of each anchor and at
least every 90 days, and the follow-up cadence of each risk area (B1-B4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from domain.child_case import ChildCase
from tests.support.history import (
    at,
    clock,
    clocks_of,
    custom_policy,
    default_rules,
    fire,
    only_open,
    record,
    registered,
    rejected,
    report_missing,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
ASSESSED_AT = at("2026-01-12T09:00:00+00:00")  # 10:00 in Stockholm
ANCHOR_AT = at("2026-02-01T12:00:00+00:00")
B1, B2, B3, B4 = ("risk.followup.absconding", "risk.followup.mental_health",
                  "risk.followup.asylum_placement", "risk.followup.trafficking")


def assessed(*factors: str, dob: date = date(2011, 5, 20)) -> ChildCase:
    """Registered, then RiskAssessed (entry 2) with the given factors ticked."""
    case = registered(ARRIVED, dob)
    record(case, "RiskAssessed", ASSESSED_AT, factors=list(factors))
    return case


# ---- risk.assessment ----


def test_risk_assessment_is_due_fourteen_days_after_registration() -> None:
    assessment = clock(registered(ARRIVED), "risk.assessment@1")
    assert (assessment.status, assessment.due) == ("open", at("2026-01-24T00:00:00+01:00"))


def test_a_placement_does_not_push_back_an_earlier_open_risk_assessment_due() -> None:
    case = registered(ARRIVED)
    record(case, "Placed", ARRIVED + timedelta(days=5), placement_type="hvb", legal_basis="SoL")
    assessment = only_open(case, "risk.assessment")
    assert (assessment.clock_id, assessment.due) == (
        "risk.assessment@1", at("2026-01-24T00:00:00+01:00"))


def test_a_risk_assessment_meets_the_open_risk_assessment_clock() -> None:
    case = assessed()
    assessment = clock(case, "risk.assessment@1")
    assert (assessment.status, assessment.resolved_seq, assessment.on_time) == ("met", 2, True)


def test_the_next_risk_assessment_is_due_ninety_days_after_the_last_one() -> None:
    case = assessed()
    assert clock(case, "risk.assessment@2").due == at("2026-04-12T00:00:00+02:00")


def _anchor(case: ChildCase, event_type: str) -> int:
    fields: dict[str, Any] = {}
    if event_type in ("Placed", "PlacementChanged"):
        fields = {"placement_type": "hvb", "legal_basis": "SoL"}
    elif event_type == "DecisionIssued":
        record(case, "AsylumApplied", ARRIVED + timedelta(days=3))
        fields = {"outcome": "granted", "decided_at": ANCHOR_AT, "permit_type": "temporary"}
    elif event_type == "Found":
        report_missing(case, ANCHOR_AT - timedelta(hours=5), ANCHOR_AT - timedelta(hours=6))
        fields = {"location": "sweden"}
    return record(case, event_type, ANCHOR_AT, **fields).seq


@pytest.mark.parametrize("event_type", ["Placed", "PlacementChanged", "DecisionIssued", "Found"])
def test_each_anchor_brings_the_risk_assessment_forward_to_fourteen_days(
        event_type: str) -> None:
    case = assessed()
    seq = _anchor(case, event_type)
    assessment = only_open(case, "risk.assessment")
    assert (assessment.clock_id, assessment.due) == (
        f"risk.assessment@{seq}", at("2026-02-15T00:00:00+01:00"))


def test_an_anchor_cancels_the_ninety_day_assessment_it_brings_forward() -> None:
    case = assessed()
    seq = _anchor(case, "Placed")
    cadence = clock(case, "risk.assessment@2")
    assert (cadence.status, cadence.resolved_seq) == ("cancelled", seq)


def test_the_risk_assessment_cadence_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["risk.assessment"]["then_every"] = "30d"
    case = assessed()
    assert clock(case, "risk.assessment@2", custom_policy(rules)).due == at(
        "2026-02-11T00:00:00+01:00")


# ---- B1: absconding ----


def test_an_absconding_factor_starts_a_follow_up_every_seven_days() -> None:
    follow_up = clock(assessed("A1.3"), f"{B1}@2")
    assert (follow_up.status, follow_up.due) == ("open", at("2026-01-19T00:00:00+01:00"))


def test_no_follow_up_of_any_area_without_a_ticked_factor() -> None:
    case = assessed()
    assert [c for rule in (B1, B2, B3, B4) for c in clocks_of(case, rule)] == []


def test_an_absconding_follow_up_meets_the_clock_and_the_next_runs_seven_days_from_it() -> None:
    case = assessed("A1.3")
    held = record(case, "FollowUpHeld", at("2026-01-16T13:00:00+00:00"), area="B1")
    assert (clock(case, f"{B1}@2").status, clock(case, f"{B1}@2").resolved_seq) == (
        "met", held.seq)
    assert only_open(case, B1).due == at("2026-01-23T00:00:00+01:00")


def test_a_later_assessment_without_an_absconding_factor_cancels_the_follow_up() -> None:
    case = assessed("A1.3")
    later = record(case, "RiskAssessed", at("2026-01-14T09:00:00+00:00"), factors=["A2.1"])
    follow_up = clock(case, f"{B1}@2")
    assert (follow_up.status, follow_up.resolved_seq) == ("cancelled", later.seq)


def test_a_later_assessment_still_ticking_absconding_keeps_the_follow_up_due() -> None:
    case = assessed("A1.3")
    record(case, "RiskAssessed", at("2026-01-14T09:00:00+00:00"), factors=["A1.3"])
    follow_up = only_open(case, B1)
    assert (follow_up.clock_id, follow_up.due) == (f"{B1}@2", at("2026-01-19T00:00:00+01:00"))


def test_a_new_absconding_factor_ticked_brings_the_follow_up_forward_to_at_once() -> None:
    case = assessed("A1.3")
    later = record(case, "RiskAssessed", at("2026-01-14T09:00:00+00:00"), factors=["A1.5"])
    follow_up = only_open(case, B1)
    assert (follow_up.clock_id, follow_up.due) == (
        f"{B1}@{later.seq}", later.occurred_at + timedelta(hours=24))


def test_a_mental_health_follow_up_does_not_meet_the_absconding_follow_up() -> None:
    case = assessed("A1.3", "A2.1")
    record(case, "FollowUpHeld", at("2026-01-16T13:00:00+00:00"), area="B2")
    assert clock(case, f"{B1}@2").status == "open"


# ---- B2: mental health ----


def test_a_mental_health_factor_starts_a_follow_up_every_fourteen_days() -> None:
    follow_up = clock(assessed("A2.2"), f"{B2}@2")
    assert (follow_up.status, follow_up.due) == ("open", at("2026-01-26T00:00:00+01:00"))


def test_a_mental_health_follow_up_restarts_the_fourteen_days() -> None:
    case = assessed("A2.2")
    record(case, "FollowUpHeld", at("2026-01-20T10:00:00+00:00"), area="B2")
    assert clock(case, f"{B2}@2").status == "met"
    assert only_open(case, B2).due == at("2026-02-03T00:00:00+01:00")


def test_a_later_assessment_without_a_mental_health_factor_cancels_its_follow_up() -> None:
    case = assessed("A2.2")
    record(case, "RiskAssessed", at("2026-01-14T09:00:00+00:00"), factors=[])
    assert clock(case, f"{B2}@2").status == "cancelled"


# ---- B3: asylum process and placement ----


def test_an_asylum_or_placement_factor_starts_a_monthly_follow_up() -> None:
    follow_up = clock(assessed("A3.4"), f"{B3}@2")
    assert (follow_up.status, follow_up.due) == ("open", at("2026-02-12T00:00:00+01:00"))


def test_a_raised_risk_flag_starts_the_asylum_and_placement_follow_up_at_once() -> None:
    case = registered(ARRIVED)
    record(case, "Placed", ASSESSED_AT, placement_type="natverkshem", legal_basis="SoL")
    flag = fire(case, only_open(case, "risk.flag.kinship_placement"))
    follow_up = only_open(case, B3)
    assert (follow_up.clock_id, follow_up.due) == (
        f"{B3}@{flag.seq}", ASSESSED_AT + timedelta(hours=24))


def test_after_the_first_follow_up_of_a_raised_flag_the_next_is_a_month_away() -> None:
    case = registered(ARRIVED)
    record(case, "Placed", ASSESSED_AT, placement_type="natverkshem", legal_basis="SoL")
    fire(case, only_open(case, "risk.flag.kinship_placement"))
    record(case, "FollowUpHeld", ASSESSED_AT + timedelta(hours=20), area="B3")
    assert only_open(case, B3).due == at("2026-02-13T00:00:00+01:00")


def test_a_raised_flag_keeps_the_asylum_follow_up_after_an_assessment_ticking_no_a3() -> None:
    case = registered(ARRIVED)
    record(case, "Placed", ASSESSED_AT, placement_type="natverkshem", legal_basis="SoL")
    flag = fire(case, only_open(case, "risk.flag.kinship_placement"))
    record(case, "RiskAssessed", ASSESSED_AT + timedelta(days=2), factors=["A1.1"])
    assert only_open(case, B3).clock_id == f"{B3}@{flag.seq}"


def test_an_asylum_follow_up_restarts_the_month() -> None:
    case = assessed("A3.4")
    record(case, "FollowUpHeld", at("2026-01-20T10:00:00+00:00"), area="B3")
    assert clock(case, f"{B3}@2").status == "met"
    assert only_open(case, B3).due == at("2026-02-20T00:00:00+01:00")


KEY_AT = at("2026-01-20T08:30:00+00:00")


def _key_event(case: ChildCase, event_type: str) -> int:
    if event_type == "PlacementChanged":
        return record(case, "PlacementChanged", KEY_AT, placement_type="hvb",
                      legal_basis="SoL").seq
    record(case, "AsylumApplied", ARRIVED + timedelta(days=1))
    if event_type == "DecisionIssued":
        return rejected(case, KEY_AT).seq
    rejected(case, KEY_AT - timedelta(days=3))
    record(case, "AppealFiled", KEY_AT - timedelta(days=2))
    # The follow-up the rejection moved up is held, so the next runs monthly again.
    record(case, "FollowUpHeld", KEY_AT - timedelta(days=1), area="B3")
    return record(case, "AppealDecided", KEY_AT, outcome="rejected").seq


@pytest.mark.parametrize("event_type", ["DecisionIssued", "AppealDecided", "PlacementChanged"])
def test_a_key_event_moves_the_asylum_follow_up_up_to_twenty_four_hours(
        event_type: str) -> None:
    case = assessed("A3.4")
    seq = _key_event(case, event_type)
    follow_up = only_open(case, B3)
    assert (follow_up.clock_id, follow_up.due) == (f"{B3}@{seq}", KEY_AT + timedelta(hours=24))


def test_a_key_event_cancels_the_monthly_asylum_follow_up_it_moves_up() -> None:
    case = assessed("A3.4")
    seq = _key_event(case, "PlacementChanged")
    monthly = clock(case, f"{B3}@2")
    assert (monthly.status, monthly.resolved_seq) == ("cancelled", seq)


def test_a_key_event_without_an_asylum_follow_up_running_opens_none() -> None:
    case = assessed("A1.1")
    _key_event(case, "PlacementChanged")
    assert clocks_of(case, B3) == []


def test_a_second_key_event_does_not_push_back_an_asylum_follow_up_already_moved_up() -> None:
    case = assessed("A3.4")
    record(case, "AsylumApplied", ARRIVED + timedelta(days=1))
    rejected(case, KEY_AT)
    record(case, "PlacementChanged", KEY_AT + timedelta(hours=20), placement_type="hvb",
           legal_basis="SoL")
    assert only_open(case, B3).due == KEY_AT + timedelta(hours=24)


def _turning_18_with_asylum_follow_up() -> tuple[ChildCase, datetime]:
    case = registered(ARRIVED, date(2008, 3, 1))  # turns 18 on 1 March 2026
    record(case, "RiskAssessed", ASSESSED_AT, factors=["A3.4"])
    record(case, "FollowUpHeld", at("2026-02-10T10:00:00+00:00"), area="B3")  # next 10 March
    turned = at("2026-03-01T00:00:00+01:00")
    return case, turned


def test_turning_18_stops_the_asylum_follow_up_as_a_child_only_clock() -> None:
    case, turned_at = _turning_18_with_asylum_follow_up()
    turned = fire(case, only_open(case, "age.eighteenth_birthday"))
    assert turned.occurred_at == turned_at
    assert [(c.status, c.resolved_seq) for c in clocks_of(case, B3)
            if c.anchor_seq == 3] == [("cancelled", turned.seq)]
    assert [c for c in clocks_of(case, B3) if c.status == "open"] == []


def test_turning_18_moves_the_asylum_follow_up_up_when_the_policy_keeps_it_after_18() -> None:
    rules = default_rules()
    rules[B3]["child_only"] = False
    policy = custom_policy(rules)
    case, turned_at = _turning_18_with_asylum_follow_up()
    fire(case, only_open(case, "age.eighteenth_birthday", policy))
    assert only_open(case, B3, policy).due == turned_at + timedelta(hours=24)


# ---- B4: trafficking ----


def test_a_trafficking_factor_starts_a_follow_up_within_twenty_four_hours() -> None:
    follow_up = clock(assessed("A4.4"), f"{B4}@2")
    assert (follow_up.status, follow_up.due) == ("open", ASSESSED_AT + timedelta(hours=24))


def test_after_the_first_trafficking_follow_up_the_next_is_due_in_three_days() -> None:
    case = assessed("A4.4")
    held = record(case, "FollowUpHeld", at("2026-01-13T08:00:00+00:00"), area="B4")
    first = clock(case, f"{B4}@2")
    assert (first.status, first.resolved_seq, first.on_time) == ("met", held.seq, True)
    assert only_open(case, B4).due == at("2026-01-16T00:00:00+01:00")


def test_a_later_assessment_without_a_trafficking_factor_cancels_its_follow_up() -> None:
    case = assessed("A4.4")
    record(case, "RiskAssessed", at("2026-01-12T20:00:00+00:00"), factors=["A1.2"])
    assert clock(case, f"{B4}@2").status == "cancelled"


def test_the_trafficking_cadence_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules[B4]["first_after"] = "6h"
    follow_up = clock(assessed("A4.4"), f"{B4}@2", custom_policy(rules))
    assert follow_up.due == ASSESSED_AT + timedelta(hours=6)
