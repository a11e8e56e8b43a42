"""Decision and appeal (RULEBOOK section 6): the SIP meeting, the talks after a rejection,
the three-week appeal window, the LVU statement and the permit's expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.child_case import ChildCase
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
DECIDED_AT = at("2026-03-02T13:15:00+00:00")  # 14:15 in Stockholm
NOTIFIED_AT = at("2026-03-05T10:00:00+00:00")  # 11:00 in Stockholm


def asylum_case(legal_basis: str | None = None) -> ChildCase:
    case = registered(ARRIVED, date(2011, 5, 20))
    if legal_basis is not None:
        record(case, "Placed", ARRIVED + timedelta(days=1), placement_type="hvb",
               legal_basis=legal_basis)
    applied(case, APPLIED_AT)
    return case


def rejected_case() -> tuple[ChildCase, int]:
    case = asylum_case()
    return case, rejected(case, DECIDED_AT, notified_at=NOTIFIED_AT).seq


# ---- decision.sip_meeting ----


@pytest.mark.parametrize("outcome", ["granted", "rejected"])
def test_a_sip_meeting_is_due_fourteen_days_after_any_decision(outcome: str) -> None:
    case = asylum_case()
    decision = granted(case, DECIDED_AT) if outcome == "granted" else rejected(case, DECIDED_AT)
    meeting = clock(case, f"decision.sip_meeting@{decision.seq}")
    assert (meeting.status, meeting.due) == ("open", at("2026-03-16T00:00:00+01:00"))


def test_a_sip_meeting_meets_the_sip_meeting_clock() -> None:
    case, decision = rejected_case()
    held = record(case, "SipMeetingHeld", DECIDED_AT + timedelta(days=6), topic="decision")
    meeting = clock(case, f"decision.sip_meeting@{decision}")
    assert (meeting.status, meeting.resolved_seq) == ("met", held.seq)


def test_no_sip_meeting_clock_before_a_decision() -> None:
    assert clocks_of(asylum_case(), "decision.sip_meeting") == []


# ---- decision.after_rejection_talk ----


def test_the_first_talk_after_a_rejection_is_due_within_seven_days() -> None:
    case, decision = rejected_case()
    talk = clock(case, f"decision.after_rejection_talk@{decision}")
    assert (talk.status, talk.due) == ("open", at("2026-03-09T00:00:00+01:00"))


def test_a_grant_opens_no_after_rejection_talk() -> None:
    case = asylum_case()
    granted(case, DECIDED_AT)
    assert clocks_of(case, "decision.after_rejection_talk") == []


def test_a_talk_after_the_rejection_meets_the_clock_and_the_next_is_due_in_fourteen_days(
        ) -> None:
    case, decision = rejected_case()
    talk = record(case, "TalkHeld", at("2026-03-06T10:00:00+00:00"), kind="after_rejection")
    first = clock(case, f"decision.after_rejection_talk@{decision}")
    assert (first.status, first.resolved_seq) == ("met", talk.seq)
    following = only_open(case, "decision.after_rejection_talk")
    assert (following.clock_id, following.due) == (
        f"decision.after_rejection_talk@{talk.seq}", at("2026-03-20T00:00:00+01:00"))


def test_a_talk_of_another_kind_does_not_meet_the_after_rejection_talk() -> None:
    case, decision = rejected_case()
    record(case, "TalkHeld", at("2026-03-06T10:00:00+00:00"), kind="check_in")
    assert clock(case, f"decision.after_rejection_talk@{decision}").status == "open"


def test_the_talks_after_a_rejection_stop_when_the_appeal_is_granted() -> None:
    case, _decision = rejected_case()
    talk = record(case, "TalkHeld", at("2026-03-06T10:00:00+00:00"), kind="after_rejection")
    record(case, "AppealFiled", at("2026-03-10T10:00:00+00:00"))
    grant = record(case, "AppealDecided", at("2026-03-18T10:00:00+00:00"), outcome="granted",
                   permit_type="temporary")
    following = clock(case, f"decision.after_rejection_talk@{talk.seq}")
    assert (following.status, following.resolved_seq) == ("cancelled", grant.seq)


def test_a_talk_overdue_when_the_appeal_is_granted_stays_missed() -> None:
    case, decision = rejected_case()
    record(case, "AppealFiled", at("2026-03-10T10:00:00+00:00"))
    grant = record(case, "AppealDecided", at("2026-05-04T10:00:00+00:00"), outcome="granted",
                   permit_type="temporary")
    talk = clock(case, f"decision.after_rejection_talk@{decision}")
    assert (talk.status, talk.resolved_seq, talk.on_time) == ("missed", grant.seq, False)


def test_the_talks_after_a_rejection_go_on_while_the_appeal_runs() -> None:
    case, _decision = rejected_case()
    record(case, "AppealFiled", at("2026-03-10T10:00:00+00:00"))
    talk = record(case, "TalkHeld", at("2026-03-12T10:00:00+00:00"), kind="after_rejection")
    assert only_open(case, "decision.after_rejection_talk").anchor_seq == talk.seq


def test_the_after_rejection_cadence_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["decision.after_rejection_talk"]["then_every"] = "7d"
    case, _decision = rejected_case()
    record(case, "TalkHeld", at("2026-03-06T10:00:00+00:00"), kind="after_rejection")
    assert only_open(case, "decision.after_rejection_talk", custom_policy(rules)).due == at(
        "2026-03-13T00:00:00+01:00")


# ---- decision.appeal_window ----


def test_appeal_window_closes_after_the_same_weekday_three_weeks_after_notification() -> None:
    case, decision = rejected_case()  # notified Thursday 5 March: in time all Thursday 26th
    window = clock(case, f"decision.appeal_window@{decision}")
    assert (window.status, window.due) == ("open", at("2026-03-27T00:00:00+01:00"))


def test_appeal_window_runs_from_the_decision_entry_when_no_notification_is_given() -> None:
    case = asylum_case()
    decision = rejected(case, DECIDED_AT)
    assert clock(case, f"decision.appeal_window@{decision.seq}").due == at(
        "2026-03-24T00:00:00+01:00")


def test_appeal_window_reminds_seven_days_before_it_closes() -> None:
    case, decision = rejected_case()
    window = clock(case, f"decision.appeal_window@{decision}")
    assert (window.reminders, window.owner) == ((at("2026-03-20T00:00:00+01:00"),), "god_man")


def test_an_appeal_meets_the_appeal_window() -> None:
    case, decision = rejected_case()
    filed = record(case, "AppealFiled", at("2026-03-20T10:00:00+00:00"))
    window = clock(case, f"decision.appeal_window@{decision}")
    assert (window.status, window.resolved_seq, window.on_time) == ("met", filed.seq, True)


def test_the_appeal_window_records_appeal_window_expired_when_it_closes() -> None:
    case, decision = rejected_case()
    assert clock(case, f"decision.appeal_window@{decision}").fires == "AppealWindowExpired"


def test_appeal_window_expired_meets_the_window_and_makes_the_rejection_final() -> None:
    case, decision = rejected_case()
    expired = fire(case, clock(case, f"decision.appeal_window@{decision}"))
    window = clock(case, f"decision.appeal_window@{decision}")
    assert (expired.event_type, window.status, window.resolved_seq) == (
        "AppealWindowExpired", "met", expired.seq)
    after = state_of(case)
    assert (after.stage, after.rejection_final_at) == ("rejected_final", expired.occurred_at)


def test_a_rejection_made_final_by_hand_cancels_the_appeal_window() -> None:
    case, decision = rejected_case()
    final = record(case, "DecisionFinal", at("2026-03-12T10:00:00+00:00"))
    window = clock(case, f"decision.appeal_window@{decision}")
    assert (window.status, window.resolved_seq) == ("cancelled", final.seq)


def test_the_appeal_window_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["decision.appeal_window"]["due_after"] = "5w"
    case, decision = rejected_case()
    window = clock(case, f"decision.appeal_window@{decision}", custom_policy(rules))
    assert (window.due, window.reminders) == (
        at("2026-04-10T00:00:00+02:00"), (at("2026-04-03T00:00:00+02:00"),))


# ---- decision.lvu_statement ----


def test_an_interview_of_an_lvu_placed_child_calls_for_a_statement_within_fourteen_days(
        ) -> None:
    case = asylum_case("LVU")
    interview = record(case, "InterviewHeld", at("2026-02-10T09:00:00+00:00"))
    statement = clock(case, f"decision.lvu_statement@{interview.seq}")
    assert (statement.status, statement.due) == ("open", at("2026-02-24T00:00:00+01:00"))


def test_a_submitted_statement_meets_the_lvu_statement_clock() -> None:
    case = asylum_case("LVU")
    interview = record(case, "InterviewHeld", at("2026-02-10T09:00:00+00:00"))
    submitted = record(case, "StatementSubmitted", at("2026-02-18T09:00:00+00:00"))
    statement = clock(case, f"decision.lvu_statement@{interview.seq}")
    assert (statement.status, statement.resolved_seq) == ("met", submitted.seq)


def test_no_statement_clock_for_a_child_placed_under_sol() -> None:
    case = asylum_case("SoL")
    record(case, "InterviewHeld", at("2026-02-10T09:00:00+00:00"))
    assert clocks_of(case, "decision.lvu_statement") == []


def test_no_statement_clock_when_the_statement_was_already_submitted() -> None:
    case = asylum_case("LVU")
    record(case, "StatementSubmitted", at("2026-02-05T09:00:00+00:00"))
    record(case, "InterviewHeld", at("2026-02-10T09:00:00+00:00"))
    assert clocks_of(case, "decision.lvu_statement") == []


# ---- permit.expiry ----


def permit_case(expires_on: date = date(2027, 4, 15)) -> tuple[ChildCase, int]:
    case = asylum_case()
    return case, granted(case, DECIDED_AT, permit_expires_on=expires_on).seq


def test_permit_expiry_is_due_at_stockholm_midnight_on_the_expiry_date() -> None:
    case, decision = permit_case()
    expiry = clock(case, f"permit.expiry@{decision}")
    assert (expiry.status, expiry.due) == ("open", at("2027-04-15T00:00:00+02:00"))


def test_permit_expiry_reminds_sixty_days_before() -> None:
    case, decision = permit_case()
    assert clock(case, f"permit.expiry@{decision}").reminders == (
        at("2027-02-14T00:00:00+01:00"),)


def test_a_permanent_permit_without_expiry_opens_no_expiry_clock() -> None:
    case = asylum_case()
    granted(case, DECIDED_AT, permit_type="permanent")
    assert clocks_of(case, "permit.expiry") == []


def test_a_new_decision_meets_the_expiring_permit_and_opens_the_next_expiry() -> None:
    case, decision = permit_case()
    renewal = granted(case, at("2027-03-30T09:00:00+00:00"), permit_expires_on=date(2029, 4, 1))
    old = clock(case, f"permit.expiry@{decision}")
    assert (old.status, old.resolved_seq) == ("met", renewal.seq)
    assert only_open(case, "permit.expiry").due == at("2029-04-01T00:00:00+02:00")


def test_a_permit_granted_on_appeal_opens_its_expiry_clock() -> None:
    case, _decision = rejected_case()
    record(case, "AppealFiled", at("2026-03-10T10:00:00+00:00"))
    grant = record(case, "AppealDecided", at("2026-05-04T10:00:00+00:00"), outcome="granted",
                   permit_type="temporary", permit_expires_on=date(2027, 6, 1))
    expiry = clock(case, f"permit.expiry@{grant.seq}")
    assert (expiry.status, expiry.due) == ("open", at("2027-06-01T00:00:00+02:00"))


def test_the_permit_expiry_lead_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["permit.expiry"]["reminders_before"] = ["90d", "30d"]
    case, decision = permit_case()
    assert clock(case, f"permit.expiry@{decision}", custom_policy(rules)).reminders == (
        at("2027-01-15T00:00:00+01:00"), at("2027-03-16T00:00:00+01:00"))
