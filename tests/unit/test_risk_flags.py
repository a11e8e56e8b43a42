"""Derived risk factors (RULEBOOK section 7): Vaka raises them as RiskFlagRaised, once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.child_case import ChildCase
from domain.firing import falling_due
from tests.support.history import (
    applied,
    at,
    clock,
    clocks_of,
    custom_policy,
    default_rules,
    fire,
    granted,
    only_open,
    record,
    registered,
    rejected,
    state_of,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
APPLIED_AT = at("2026-01-12T09:00:00+00:00")
DECIDED_AT = at("2026-03-02T13:15:00+00:00")


def asylum_case() -> ChildCase:
    case = registered(ARRIVED, date(2011, 5, 20))
    applied(case, APPLIED_AT)  # entry 2
    return case


def change_placement(case: ChildCase, when: str, placement_type: str = "hvb") -> int:
    return record(case, "PlacementChanged", at(when), placement_type=placement_type,
                  legal_basis="SoL").seq


# ---- A3.1 rejection ----


def test_a_rejection_raises_the_rejection_flag_at_once() -> None:
    case = asylum_case()
    decision = rejected(case, DECIDED_AT)
    flag = clock(case, f"risk.flag.rejection@{decision.seq}")
    assert (flag.status, flag.due, flag.fires) == ("open", DECIDED_AT, "RiskFlagRaised")


def test_the_rejection_flag_records_factor_a3_1() -> None:
    case = asylum_case()
    rejected(case, DECIDED_AT)
    event_type, fields = falling_due(only_open(case, "risk.flag.rejection"), state_of(case))
    assert (event_type, fields["factor"]) == ("RiskFlagRaised", "A3.1")


def test_a_grant_raises_no_rejection_flag() -> None:
    case = asylum_case()
    granted(case, DECIDED_AT)
    assert clocks_of(case, "risk.flag.rejection") == []


# ---- A3.2 appeal ----


def test_an_appeal_raises_the_appeal_flag_at_once() -> None:
    case = asylum_case()
    rejected(case, DECIDED_AT)
    filed = record(case, "AppealFiled", DECIDED_AT + timedelta(days=5))
    flag = clock(case, f"risk.flag.appeal@{filed.seq}")
    assert (flag.status, flag.due) == ("open", filed.occurred_at)
    assert falling_due(flag, state_of(case))[1]["factor"] == "A3.2"


# ---- A3.3 long processing ----


def test_long_processing_is_flagged_six_months_after_the_application() -> None:
    flag = clock(asylum_case(), "risk.flag.long_processing@2")
    assert (flag.status, flag.due) == ("open", at("2026-07-12T00:00:00+02:00"))


def test_a_decision_cancels_the_long_processing_flag() -> None:
    case = asylum_case()
    decision = granted(case, DECIDED_AT)
    flag = clock(case, "risk.flag.long_processing@2")
    assert (flag.status, flag.resolved_seq) == ("cancelled", decision.seq)


def test_withdrawing_the_application_stops_the_long_processing_flag() -> None:
    case = asylum_case()
    record(case, "ApplicationWithdrawn", at("2026-02-12T09:00:00+00:00"))
    assert clock(case, "risk.flag.long_processing@2").status == "cancelled"


def test_the_long_processing_span_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["risk.flag.long_processing"]["due_after"] = "4mo"
    flag = clock(asylum_case(), "risk.flag.long_processing@2", custom_policy(rules))
    assert flag.due == at("2026-05-12T00:00:00+02:00")


# ---- A3.5 kinship placement ----


def test_a_kinship_placement_raises_the_kinship_flag_at_once() -> None:
    case = registered(ARRIVED)
    placed = record(case, "Placed", APPLIED_AT, placement_type="natverkshem", legal_basis="SoL")
    flag = clock(case, f"risk.flag.kinship_placement@{placed.seq}")
    assert (flag.status, flag.due) == ("open", APPLIED_AT)
    assert falling_due(flag, state_of(case))[1]["factor"] == "A3.5"


@pytest.mark.parametrize("placement_type", ["hvb", "stodboende", "familjehem", "jourhem"])
def test_a_placement_outside_the_childs_network_raises_no_kinship_flag(
        placement_type: str) -> None:
    case = registered(ARRIVED)
    record(case, "Placed", APPLIED_AT, placement_type=placement_type, legal_basis="SoL")
    assert clocks_of(case, "risk.flag.kinship_placement") == []


def test_a_raised_flag_meets_its_clock() -> None:
    case = registered(ARRIVED)
    record(case, "Placed", APPLIED_AT, placement_type="natverkshem", legal_basis="SoL")
    raised = fire(case, only_open(case, "risk.flag.kinship_placement"))
    flag = clock(case, "risk.flag.kinship_placement@2")
    assert (flag.status, flag.resolved_seq, flag.on_time) == ("met", raised.seq, True)
    assert state_of(case).risk_flags == {"A3.5": raised.seq}


def test_a_raised_flag_is_not_raised_again_by_a_later_kinship_placement() -> None:
    case = registered(ARRIVED)
    record(case, "Placed", APPLIED_AT, placement_type="natverkshem", legal_basis="SoL")
    fire(case, only_open(case, "risk.flag.kinship_placement"))
    change_placement(case, "2026-02-01T10:00:00+00:00", "natverkshem")
    assert [c.clock_id for c in clocks_of(case, "risk.flag.kinship_placement")] == [
        "risk.flag.kinship_placement@2"]


def test_a_flag_on_its_way_is_not_opened_a_second_time() -> None:
    case = registered(ARRIVED)
    record(case, "Placed", APPLIED_AT, placement_type="natverkshem", legal_basis="SoL")
    change_placement(case, "2026-01-12T10:00:00+00:00", "natverkshem")
    assert len(clocks_of(case, "risk.flag.kinship_placement")) == 1


# ---- A3.6 approaching 18 ----


def test_approaching_18_is_flagged_180_days_before_the_18th_birthday() -> None:
    flag = clock(registered(ARRIVED, date(2011, 5, 20)), "risk.flag.approaching_18@1")
    assert (flag.status, flag.due) == ("open", at("2028-11-21T00:00:00+01:00"))
    assert flag.fires == "RiskFlagRaised"


def test_an_older_assessed_date_of_birth_moves_the_approaching_18_flag() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    assessed = record(case, "AgeAssessed", APPLIED_AT, outcome="new_date_of_birth",
                      date_of_birth=date(2010, 5, 20))
    assert clock(case, "risk.flag.approaching_18@1").status == "cancelled"
    assert clock(case, f"risk.flag.approaching_18@{assessed.seq}").due == at(
        "2027-11-22T00:00:00+01:00")


# ---- A3.7 age upgrade ----


def test_an_older_assessed_date_of_birth_raises_the_age_upgrade_flag() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    assessed = record(case, "AgeAssessed", APPLIED_AT, outcome="new_date_of_birth",
                      date_of_birth=date(2010, 5, 20))
    flag = clock(case, f"risk.flag.age_upgrade@{assessed.seq}")
    assert (flag.status, flag.due) == ("open", APPLIED_AT)
    assert falling_due(flag, state_of(case))[1]["factor"] == "A3.7"


def test_an_assessment_as_adult_raises_the_age_upgrade_flag() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    assessed = record(case, "AgeAssessed", APPLIED_AT, outcome="adult")
    assert clock(case, f"risk.flag.age_upgrade@{assessed.seq}").status == "open"


def test_a_younger_assessed_date_of_birth_raises_no_age_upgrade_flag() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    record(case, "AgeAssessed", APPLIED_AT, outcome="new_date_of_birth",
           date_of_birth=date(2012, 1, 1))
    assert clocks_of(case, "risk.flag.age_upgrade") == []


# ---- A3.8 placement moves ----


def test_a_second_placement_change_within_six_months_raises_the_moves_flag() -> None:
    case = registered(ARRIVED)
    change_placement(case, "2026-01-20T10:00:00+00:00")
    second = change_placement(case, "2026-07-10T10:00:00+00:00")
    flag = clock(case, f"risk.flag.placement_moves@{second}")
    assert (flag.status, flag.due) == ("open", at("2026-07-10T10:00:00+00:00"))
    assert falling_due(flag, state_of(case))[1]["factor"] == "A3.8"


def test_one_placement_change_raises_no_moves_flag() -> None:
    case = registered(ARRIVED)
    change_placement(case, "2026-01-20T10:00:00+00:00")
    assert clocks_of(case, "risk.flag.placement_moves") == []


def test_two_placement_changes_seven_months_apart_raise_no_moves_flag() -> None:
    case = registered(ARRIVED)
    change_placement(case, "2026-01-20T10:00:00+00:00")
    change_placement(case, "2026-08-20T10:00:00+00:00")
    assert clocks_of(case, "risk.flag.placement_moves") == []


def test_the_moves_window_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["risk.flag.placement_moves"]["within"] = "8mo"
    case = registered(ARRIVED)
    change_placement(case, "2026-01-20T10:00:00+00:00")
    second = change_placement(case, "2026-08-20T10:00:00+00:00")
    assert [c.clock_id for c in clocks_of(case, "risk.flag.placement_moves",
                                          custom_policy(rules))] == [
        f"risk.flag.placement_moves@{second}"]
