"""Turning 18 (RULEBOOK sections 5 and 6): preparing 90 days before, who is responsible at
the birthday, and which clocks stop."""

from __future__ import annotations

from datetime import date

import pytest

from domain.child_case import ChildCase
from domain.firing import falling_due, responsibility_at_18
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
RULE = "age.prepare_adulthood"


def child(dob: date = date(2011, 5, 20)) -> ChildCase:
    return registered(ARRIVED, dob)


def test_preparing_for_adulthood_is_due_ninety_days_before_the_18th_birthday() -> None:
    prepare = clock(child(), f"{RULE}@1")
    assert (prepare.status, prepare.due, prepare.owner) == (
        "open", at("2029-02-19T00:00:00+01:00"), "caseworker")


def test_a_sip_meeting_on_adulthood_meets_the_preparation_clock() -> None:
    case = child()
    held = record(case, "SipMeetingHeld", at("2029-01-10T10:00:00+00:00"), topic="adulthood")
    prepare = clock(case, f"{RULE}@1")
    assert (prepare.status, prepare.resolved_seq, prepare.on_time) == ("met", held.seq, True)


def test_a_talk_on_adulthood_meets_the_preparation_clock() -> None:
    case = child()
    held = record(case, "TalkHeld", at("2029-01-10T10:00:00+00:00"), kind="adulthood")
    prepare = clock(case, f"{RULE}@1")
    assert (prepare.status, prepare.resolved_seq) == ("met", held.seq)


@pytest.mark.parametrize("topic", ["decision", "other"])
def test_a_sip_meeting_on_another_topic_does_not_meet_the_preparation_clock(topic: str) -> None:
    case = child()
    record(case, "SipMeetingHeld", at("2029-01-10T10:00:00+00:00"), topic=topic)
    assert clock(case, f"{RULE}@1").status == "open"


def test_an_older_assessed_date_of_birth_moves_the_preparation_clock() -> None:
    case = child()
    assessed = record(case, "AgeAssessed", at("2026-02-01T10:00:00+00:00"),
                      outcome="new_date_of_birth", date_of_birth=date(2010, 5, 20))
    old = clock(case, f"{RULE}@1")
    assert (old.status, old.resolved_seq) == ("cancelled", assessed.seq)
    moved = only_open(case, RULE)
    assert (moved.clock_id, moved.due) == (f"{RULE}@{assessed.seq}",
                                           at("2028-02-20T00:00:00+01:00"))


def test_an_assessment_as_adult_cancels_the_preparation_clock() -> None:
    case = child()
    assessed = record(case, "AgeAssessed", at("2026-02-01T10:00:00+00:00"), outcome="adult")
    prepare = clock(case, f"{RULE}@1")
    assert (prepare.status, prepare.resolved_seq) == ("cancelled", assessed.seq)


def test_the_preparation_lead_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules[RULE]["before_birthday"] = "120d"
    assert clock(child(), f"{RULE}@1", custom_policy(rules)).due == at(
        "2029-01-20T00:00:00+01:00")


# ---- Turned18: who is responsible ----


def nearly_18() -> ChildCase:
    case = registered(at("2026-01-10T10:00:00+00:00"), date(2008, 5, 20))
    applied(case, at("2026-01-12T09:00:00+00:00"))
    return case


def test_turning_18_during_the_asylum_process_hands_responsibility_to_the_agency() -> None:
    case = nearly_18()
    birthday = only_open(case, "age.eighteenth_birthday")
    event_type, fields = falling_due(birthday, state_of(case))
    assert (event_type, fields) == ("Turned18", {"responsibility_to": "migration_agency",
                                                 "clock_id": birthday.clock_id})


def test_turning_18_with_a_permit_keeps_responsibility_with_social_services() -> None:
    case = nearly_18()
    granted(case, at("2026-03-02T10:00:00+00:00"))
    turned = fire(case, only_open(case, "age.eighteenth_birthday"))
    assert turned.fields["responsibility_to"] == "social_services"
    assert state_of(case).responsibility == "social_services"


def test_turning_18_after_a_rejection_hands_responsibility_to_the_agency() -> None:
    case = nearly_18()
    rejected(case, at("2026-03-02T10:00:00+00:00"))
    assert responsibility_at_18(state_of(case)) == "migration_agency"


def test_a_rejected_child_who_turns_18_is_adult_and_still_rejected() -> None:
    case = nearly_18()
    rejected(case, at("2026-03-02T10:00:00+00:00"))
    fire(case, only_open(case, "age.eighteenth_birthday"))
    after = state_of(case)
    assert (after.stage, after.asylum_stage, after.rejected) == ("adult", "rejected", True)


def test_turning_18_stops_the_child_only_risk_assessment() -> None:
    case = nearly_18()
    assessed = record(case, "RiskAssessed", at("2026-04-01T10:00:00+00:00"), factors=[])
    turned = fire(case, only_open(case, "age.eighteenth_birthday"))
    cadence = clock(case, f"risk.assessment@{assessed.seq}")
    assert (cadence.status, cadence.resolved_seq) == ("cancelled", turned.seq)


def test_a_decision_after_18_opens_no_child_only_risk_assessment() -> None:
    case = nearly_18()
    fire(case, only_open(case, "age.eighteenth_birthday"))
    rejected(case, at("2026-06-01T10:00:00+00:00"))
    assert [c for c in clocks_of(case, "risk.assessment") if c.status == "open"] == []


def test_a_decision_after_18_still_calls_a_sip_meeting() -> None:
    case = nearly_18()
    fire(case, only_open(case, "age.eighteenth_birthday"))
    decision = rejected(case, at("2026-06-01T10:00:00+00:00"))
    assert clock(case, f"decision.sip_meeting@{decision.seq}").status == "open"


def test_the_eighteenth_birthday_of_a_child_assessed_older_is_recomputed() -> None:
    case = child()
    record(case, "AgeAssessed", at("2026-02-01T10:00:00+00:00"), outcome="new_date_of_birth",
           date_of_birth=date(2008, 9, 2))
    assert only_open(case, "age.eighteenth_birthday").due == at("2026-09-02T00:00:00+02:00")


def test_turned18_recorded_at_the_birthday_is_entered_at_that_instant() -> None:
    case = nearly_18()
    turned = fire(case, only_open(case, "age.eighteenth_birthday"))
    assert turned.occurred_at == at("2026-05-20T00:00:00+02:00")
