"""Arrival (RULEBOOK section 6): an information talk with the god man within 7 days, a health
examination offered and a crisis plan within 14 days of Registered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.history import (
    POLICY,
    at,
    clock,
    clocks_of,
    custom_policy,
    default_rules,
    record,
    registered,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")  # 11:00 in Stockholm


def test_information_talk_is_due_seven_days_after_arrival_at_stockholm_midnight() -> None:
    talk = clock(registered(ARRIVED), "arrival.information_talk@1")
    assert (talk.status, talk.due) == ("open", at("2026-01-17T00:00:00+01:00"))


def test_an_information_talk_with_the_god_man_present_meets_the_information_talk_clock() -> None:
    case = registered(ARRIVED)
    held = record(case, "TalkHeld", ARRIVED + timedelta(days=2), kind="information",
                  guardian_present=True)
    talk = clock(case, "arrival.information_talk@1")
    assert (talk.status, talk.resolved_seq, talk.on_time) == ("met", held.seq, True)


def test_an_information_talk_without_the_god_man_does_not_meet_the_clock() -> None:
    case = registered(ARRIVED)
    record(case, "TalkHeld", ARRIVED + timedelta(days=2), kind="information",
           guardian_present=False)
    assert clock(case, "arrival.information_talk@1").status == "open"


def test_a_check_in_talk_with_the_god_man_does_not_meet_the_information_talk_clock() -> None:
    case = registered(ARRIVED)
    record(case, "TalkHeld", ARRIVED + timedelta(days=2), kind="check_in", guardian_present=True)
    assert clock(case, "arrival.information_talk@1").status == "open"


def test_an_information_talk_after_the_due_instant_meets_the_clock_late() -> None:
    case = registered(ARRIVED)
    record(case, "TalkHeld", ARRIVED + timedelta(days=9), kind="information",
           guardian_present=True)
    talk = clock(case, "arrival.information_talk@1")
    assert (talk.status, talk.on_time) == ("met", False)


def test_health_exam_offer_is_due_fourteen_days_after_arrival_at_stockholm_midnight() -> None:
    exam = clock(registered(ARRIVED), "arrival.health_exam@1")
    assert (exam.status, exam.due) == ("open", at("2026-01-24T00:00:00+01:00"))


def test_offering_a_health_exam_meets_the_health_exam_clock() -> None:
    case = registered(ARRIVED)
    offered = record(case, "HealthExamOffered", ARRIVED + timedelta(days=5))
    exam = clock(case, "arrival.health_exam@1")
    assert (exam.status, exam.resolved_seq) == ("met", offered.seq)


def test_crisis_plan_is_due_fourteen_days_after_arrival_at_stockholm_midnight() -> None:
    plan = clock(registered(ARRIVED), "arrival.crisis_plan@1")
    assert (plan.status, plan.due) == ("open", at("2026-01-24T00:00:00+01:00"))


def test_establishing_a_crisis_plan_meets_the_crisis_plan_clock() -> None:
    case = registered(ARRIVED)
    established = record(case, "CrisisPlanEstablished", ARRIVED + timedelta(days=13))
    plan = clock(case, "arrival.crisis_plan@1")
    assert (plan.status, plan.resolved_seq) == ("met", established.seq)


def test_a_health_exam_offer_does_not_meet_the_crisis_plan_clock() -> None:
    case = registered(ARRIVED)
    record(case, "HealthExamOffered", ARRIVED + timedelta(days=5))
    assert clock(case, "arrival.crisis_plan@1").status == "open"


@pytest.mark.parametrize("rule_id", ["arrival.information_talk", "arrival.health_exam",
                                     "arrival.crisis_plan"])
def test_an_arrival_clock_is_owned_by_the_caseworker_and_cancelled_when_assessed_adult(
        rule_id: str) -> None:
    case = registered(ARRIVED)
    assessed = record(case, "AgeAssessed", ARRIVED + timedelta(days=1), outcome="adult")
    arrival = clock(case, f"{rule_id}@1")
    assert (arrival.owner, arrival.status, arrival.resolved_seq) == (
        "caseworker", "cancelled", assessed.seq)


def test_the_information_talk_span_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["arrival.information_talk"]["due_after"] = "10d"
    talk = clock(registered(ARRIVED), "arrival.information_talk@1", custom_policy(rules))
    assert talk.due == at("2026-01-20T00:00:00+01:00")


def test_an_arrival_rule_left_out_of_the_policy_opens_no_clock() -> None:
    rules = {k: v for k, v in default_rules().items() if k != "arrival.crisis_plan"}
    case = registered(ARRIVED)
    assert clocks_of(case, "arrival.crisis_plan", custom_policy(rules)) == []
    assert len(clocks_of(case, "arrival.crisis_plan", POLICY)) == 1
