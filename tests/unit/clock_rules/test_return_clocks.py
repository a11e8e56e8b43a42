"""Return (RULEBOOK section 6): the voluntary-departure window from the final rejection (two
weeks for avvisning, four for utvisning), the four-year lapse, enforcement acknowledged."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.child_case import ChildCase
from domain.entries import Entry
from tests.support.history import (
    applied,
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
    state_of,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
APPLIED_AT = at("2026-01-12T09:00:00+00:00")
EARLY_DECISION = at("2026-03-02T13:15:00+00:00")  # within three months: avvisning
LATE_DECISION = at("2026-05-04T10:00:00+00:00")  # after three months: utvisning


def rejected_case(decided_at: datetime = EARLY_DECISION) -> ChildCase:
    """Registered, AsylumApplied (2), DecisionIssued(rejected) (3), not yet final."""
    case = registered(ARRIVED, date(2011, 5, 20))
    applied(case, APPLIED_AT)
    rejected(case, decided_at, notified_at=decided_at + timedelta(days=3))
    return case


def final_case(decided_at: datetime = EARLY_DECISION,
               final_at: datetime | None = None) -> tuple[ChildCase, Entry]:
    case = rejected_case(decided_at)
    final = record(case, "DecisionFinal", final_at or decided_at + timedelta(days=10))
    return case, final


# ---- return.voluntary_departure ----


def test_voluntary_departure_window_is_two_weeks_after_a_final_avvisning() -> None:
    case, final = final_case(EARLY_DECISION, at("2026-03-12T10:00:00+00:00"))  # a Thursday
    window = clock(case, f"return.voluntary_departure@{final.seq}")  # in time all 26 March
    assert (window.status, window.due) == ("open", at("2026-03-27T00:00:00+01:00"))


def test_voluntary_departure_window_is_four_weeks_after_a_final_utvisning() -> None:
    case, final = final_case(LATE_DECISION, at("2026-05-12T10:00:00+00:00"))
    window = clock(case, f"return.voluntary_departure@{final.seq}")
    assert (window.status, window.due) == ("open", at("2026-06-10T00:00:00+02:00"))


def _made_final(case: ChildCase, how: str) -> Entry:
    if how == "DecisionFinal":
        return record(case, "DecisionFinal", at("2026-03-12T10:00:00+00:00"))
    if how == "AppealWindowExpired":
        return fire(case, only_open(case, "decision.appeal_window"))
    if how == "ApplicationWithdrawn":
        return record(case, "ApplicationWithdrawn", at("2026-03-12T10:00:00+00:00"))
    record(case, "AppealFiled", at("2026-03-10T10:00:00+00:00"))
    return record(case, "AppealDecided", at("2026-06-10T10:00:00+00:00"), outcome="rejected")


@pytest.mark.parametrize("how,due", [
    ("DecisionFinal", "2026-03-27T00:00:00+01:00"),
    ("AppealWindowExpired", "2026-04-11T00:00:00+02:00"),  # final from 27 March
    ("ApplicationWithdrawn", "2026-03-27T00:00:00+01:00"),
    ("AppealDecided", "2026-06-25T00:00:00+02:00"),
])
def test_the_departure_window_is_anchored_where_the_rejection_becomes_final(
        how: str, due: str) -> None:
    case = rejected_case()
    final = _made_final(case, how)
    window = only_open(case, "return.voluntary_departure")
    assert (window.clock_id, window.due) == (f"return.voluntary_departure@{final.seq}", at(due))
    assert state_of(case).stage == "rejected_final"


def test_no_departure_window_while_the_rejection_is_not_final() -> None:
    case = rejected_case()
    record(case, "AppealFiled", at("2026-03-10T10:00:00+00:00"))
    assert clocks_of(case, "return.voluntary_departure") == []


def test_no_departure_window_when_the_appeal_is_granted() -> None:
    case = rejected_case()
    record(case, "AppealFiled", at("2026-03-10T10:00:00+00:00"))
    record(case, "AppealDecided", at("2026-06-10T10:00:00+00:00"), outcome="granted",
           permit_type="temporary")
    assert (clocks_of(case, "return.voluntary_departure"),
            clocks_of(case, "return.expulsion_lapse")) == ([], [])


def test_departure_meets_the_voluntary_departure_window() -> None:
    case, final = final_case()
    departed = record(case, "Departed", at("2026-03-20T08:00:00+00:00"))
    window = clock(case, f"return.voluntary_departure@{final.seq}")
    assert (window.status, window.resolved_seq, window.on_time) == ("met", departed.seq, True)


def test_the_departure_window_records_departure_window_expired_which_meets_it() -> None:
    case, final = final_case()
    window = clock(case, f"return.voluntary_departure@{final.seq}")
    expired = fire(case, window)
    after = clock(case, f"return.voluntary_departure@{final.seq}")
    assert (expired.event_type, expired.fields["clock_id"]) == (
        "DepartureWindowExpired", window.clock_id)
    assert (after.status, after.resolved_seq) == ("met", expired.seq)


def test_the_departure_windows_come_from_the_policy_file() -> None:
    rules = default_rules()
    rules["return.voluntary_departure"]["avvisning_after"] = "3w"
    case, final = final_case(EARLY_DECISION, at("2026-03-12T10:00:00+00:00"))
    window = clock(case, f"return.voluntary_departure@{final.seq}", custom_policy(rules))
    assert window.due == at("2026-04-03T00:00:00+02:00")


# ---- return.expulsion_lapse ----


def test_an_expulsion_lapses_four_years_after_the_rejection_became_final() -> None:
    case, final = final_case(EARLY_DECISION, at("2026-03-12T10:00:00+00:00"))
    lapse = clock(case, f"return.expulsion_lapse@{final.seq}")
    assert (lapse.status, lapse.due, lapse.fires) == (
        "open", at("2030-03-12T00:00:00+01:00"), "ExpulsionLapsed")


def test_expulsion_lapsed_meets_the_lapse_clock_and_is_remembered() -> None:
    case, final = final_case()
    lapsed = fire(case, clock(case, f"return.expulsion_lapse@{final.seq}"))
    lapse = clock(case, f"return.expulsion_lapse@{final.seq}")
    assert (lapse.status, lapse.resolved_seq) == ("met", lapsed.seq)
    assert state_of(case).expulsion_lapsed is True


def test_departure_meets_the_expulsion_lapse_clock() -> None:
    case, final = final_case()
    departed = record(case, "Departed", at("2026-03-20T08:00:00+00:00"))
    lapse = clock(case, f"return.expulsion_lapse@{final.seq}")
    assert (lapse.status, lapse.resolved_seq) == ("met", departed.seq)


def test_departure_stops_the_talks_after_the_rejection() -> None:
    case, _final = final_case()
    talk = record(case, "TalkHeld", at("2026-03-14T10:00:00+00:00"), kind="after_rejection")
    departed = record(case, "Departed", at("2026-03-20T08:00:00+00:00"))
    following = clock(case, f"decision.after_rejection_talk@{talk.seq}")
    assert (following.status, following.resolved_seq) == ("cancelled", departed.seq)


# ---- enforcement.notify ----

ENFORCED_AT = at("2026-03-16T08:15:00+00:00")


def enforced(event_type: str) -> tuple[ChildCase, Entry]:
    case, _final = final_case()
    record(case, "ReturnConfirmed", at("2026-03-13T10:00:00+00:00"))
    return case, record(case, event_type, ENFORCED_AT)


@pytest.mark.parametrize("event_type", ["HandedOverToPolice", "DetentionOrdered",
                                        "DepartureScheduled"])
def test_an_enforcement_event_must_be_acknowledged_within_two_hours(event_type: str) -> None:
    case, event = enforced(event_type)
    notify = clock(case, f"enforcement.notify@{event.seq}")
    assert (notify.status, notify.due) == ("open", at("2026-03-16T10:15:00+00:00"))


def test_acknowledging_the_enforcement_event_meets_its_clock() -> None:
    case, event = enforced("HandedOverToPolice")
    ack = record(case, "EnforcementAcknowledged", ENFORCED_AT + timedelta(minutes=40),
                 entry=event.seq)
    notify = clock(case, f"enforcement.notify@{event.seq}")
    assert (notify.status, notify.resolved_seq) == ("met", ack.seq)


def test_acknowledging_another_enforcement_event_leaves_the_clock_open() -> None:
    case, detention = enforced("DetentionOrdered")
    scheduled = record(case, "DepartureScheduled", ENFORCED_AT + timedelta(minutes=5))
    record(case, "EnforcementAcknowledged", ENFORCED_AT + timedelta(minutes=40),
           entry=scheduled.seq)
    assert (clock(case, f"enforcement.notify@{detention.seq}").status,
            clock(case, f"enforcement.notify@{scheduled.seq}").status) == ("open", "met")


def test_the_acknowledgement_span_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["enforcement.notify"]["due_after"] = "30m"
    case, event = enforced("HandedOverToPolice")
    assert clock(case, f"enforcement.notify@{event.seq}", custom_policy(rules)).due == (
        at("2026-03-16T08:45:00+00:00"))
