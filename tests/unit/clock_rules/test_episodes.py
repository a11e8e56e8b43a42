"""Episodes (RULEBOOK section 6): a clock belongs to the episode (one disappearance, one
decision) whose event opened it. An event of a later episode never meets or cancels a clock
of an earlier one; a missed clock of an earlier episode stays missed until someone
acknowledges it or records what it asked for with a reference to that episode."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from domain import facts
from domain.child_case import ChildCase
from domain.entries import Entry
from domain.episodes import missing_episodes
from domain.errors import InvalidFields, TransitionRefused
from domain.transitions import check_fits
from tests.support.history import (
    applied,
    at,
    clock,
    clocks_of,
    miss,
    record,
    registered,
    rejected,
    report_missing,
    state_of,
)

ARRIVED = at("2026-01-05T09:00:00+00:00")
SEEN_1 = at("2026-01-12T21:40:00+00:00")
FOUND_1 = SEEN_1 + timedelta(days=3)
SEEN_2 = SEEN_1 + timedelta(days=20)
FOUND_2 = SEEN_2 + timedelta(days=2)


def first_episode_missed() -> tuple[ChildCase, Entry]:
    """Missing (2), police report missed (3), found (4): the report was never made."""
    case = registered(ARRIVED, date(2011, 5, 20))
    first = report_missing(case, SEEN_1 + timedelta(hours=1), SEEN_1)
    miss(case, clock(case, f"missing.police_report@{first.seq}"))
    record(case, "Found", FOUND_1, location="sweden")
    return case, first


def missing_again(case: ChildCase) -> Entry:
    return report_missing(case, SEEN_2 + timedelta(hours=1), SEEN_2)


def status(case: ChildCase, clock_id: str) -> tuple[str, bool | None]:
    found = clock(case, clock_id)
    return found.status, found.on_time


def fits(case: ChildCase, event_type: str, occurred_at: datetime, **fields: Any) -> None:
    fact = facts.parse_fact(event_type, fields)
    check_fits(state_of(case), case.entries, event_type, fact, occurred_at)


# ---- the police report ----


def test_police_report_of_a_later_disappearance_leaves_the_earlier_missed_report_missed(
        ) -> None:
    case, first = first_episode_missed()
    second = missing_again(case)
    record(case, "PoliceReportFiled", SEEN_2 + timedelta(hours=3))
    assert status(case, f"missing.police_report@{first.seq}") == ("missed", False)
    assert status(case, f"missing.police_report@{second.seq}") == ("met", True)


def test_police_report_for_the_earlier_disappearance_entered_late_meets_only_that_one(
        ) -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    first = report_missing(case, SEEN_1 + timedelta(hours=1), SEEN_1)
    record(case, "Found", FOUND_1, location="sweden")
    second = missing_again(case)
    # Made during the first disappearance, entered only during the second.
    record(case, "PoliceReportFiled", SEEN_1 + timedelta(hours=2))
    assert status(case, f"missing.police_report@{first.seq}") == ("met", True)
    assert status(case, f"missing.police_report@{second.seq}") == ("open", None)


def test_a_missed_report_is_met_by_a_report_naming_its_disappearance() -> None:
    case, first = first_episode_missed()
    missing_again(case)
    named = record(case, "PoliceReportFiled", SEEN_2 + timedelta(hours=5), episode=first.seq)
    earlier = clock(case, f"missing.police_report@{first.seq}")
    assert (earlier.status, earlier.on_time, earlier.resolved_seq) == ("met", False, named.seq)


def test_a_report_naming_a_disappearance_is_accepted_after_the_child_is_back() -> None:
    case, first = first_episode_missed()
    fits(case, "PoliceReportFiled", FOUND_1 + timedelta(days=1), episode=first.seq)


def test_a_report_without_a_disappearance_of_its_time_is_refused() -> None:
    case, _ = first_episode_missed()
    with pytest.raises(TransitionRefused, match="episode"):
        fits(case, "PoliceReportFiled", FOUND_1 + timedelta(days=1))


def test_a_report_naming_an_entry_that_is_no_disappearance_is_refused() -> None:
    case, _ = first_episode_missed()
    with pytest.raises(InvalidFields, match="episode"):
        fits(case, "PoliceReportFiled", FOUND_1 + timedelta(days=1), episode=1)


def test_a_second_report_for_the_same_disappearance_is_refused() -> None:
    case, first = first_episode_missed()
    record(case, "PoliceReportFiled", FOUND_1 + timedelta(days=1), episode=first.seq)
    with pytest.raises(TransitionRefused, match="already"):
        fits(case, "PoliceReportFiled", FOUND_1 + timedelta(days=2), episode=first.seq)


def test_the_figures_count_a_late_report_for_its_own_disappearance() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    report_missing(case, SEEN_1 + timedelta(hours=1), SEEN_1)
    record(case, "Found", FOUND_1, location="sweden")
    missing_again(case)
    record(case, "PoliceReportFiled", SEEN_1 + timedelta(hours=2))
    first, second = missing_episodes(case.effective_entries)
    assert (first.police_report_at, second.police_report_at) == (
        SEEN_1 + timedelta(hours=2), None)


# ---- the search reviews ----


def test_search_action_of_a_later_disappearance_leaves_the_earlier_missed_review_missed(
        ) -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    first = report_missing(case, SEEN_1 + timedelta(hours=1), SEEN_1)
    miss(case, clock(case, f"missing.search_review@{first.seq}"))
    record(case, "Found", FOUND_1, location="sweden")
    second = missing_again(case)
    record(case, "SearchActionTaken", SEEN_2 + timedelta(hours=4), action="called",
           taken_by="caseworker")
    assert status(case, f"missing.search_review@{first.seq}") == ("missed", False)
    assert status(case, f"missing.search_review@{second.seq}") == ("met", True)


def test_search_action_entered_late_for_the_earlier_disappearance_meets_only_its_review(
        ) -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    first = report_missing(case, SEEN_1 + timedelta(hours=1), SEEN_1)
    record(case, "Found", FOUND_1, location="sweden")
    second = missing_again(case)
    record(case, "SearchActionTaken", SEEN_1 + timedelta(hours=5), action="searched",
           taken_by="staff")
    assert status(case, f"missing.search_review@{first.seq}") == ("met", True)
    assert status(case, f"missing.search_review@{second.seq}") == ("open", None)


# ---- the debrief and the risk re-assessment after the child is found ----


def twice_found() -> tuple[ChildCase, Entry, Entry]:
    case = registered(ARRIVED, date(2011, 5, 20))
    report_missing(case, SEEN_1 + timedelta(hours=1), SEEN_1)
    found_1 = record(case, "Found", FOUND_1, location="sweden")
    miss(case, clock(case, f"found.debrief@{found_1.seq}"))
    missing_again(case)
    found_2 = record(case, "Found", FOUND_2, location="sweden")
    return case, found_1, found_2


def test_debrief_after_the_second_return_leaves_the_first_missed_debrief_missed() -> None:
    case, found_1, found_2 = twice_found()
    record(case, "TalkHeld", FOUND_2 + timedelta(hours=20), kind="debrief")
    assert status(case, f"found.debrief@{found_1.seq}") == ("missed", False)
    assert status(case, f"found.debrief@{found_2.seq}") == ("met", True)


def test_a_debrief_naming_the_first_disappearance_meets_its_missed_debrief() -> None:
    case, found_1, found_2 = twice_found()
    record(case, "TalkHeld", FOUND_2 + timedelta(hours=20), kind="debrief", episode=2)
    assert status(case, f"found.debrief@{found_1.seq}") == ("met", False)
    assert status(case, f"found.debrief@{found_2.seq}") == ("open", None)


def test_a_debrief_held_after_the_first_return_but_entered_late_meets_the_first() -> None:
    case, found_1, found_2 = twice_found()
    record(case, "TalkHeld", FOUND_1 + timedelta(hours=30), kind="debrief")
    assert status(case, f"found.debrief@{found_1.seq}") == ("met", True)
    assert status(case, f"found.debrief@{found_2.seq}") == ("open", None)


def test_risk_assessment_after_the_second_return_meets_only_its_reassessment() -> None:
    case, found_1, found_2 = twice_found()
    miss(case, clock(case, f"found.risk_reassessment@{found_1.seq}"))
    record(case, "RiskAssessed", FOUND_2 + timedelta(days=1), factors=[])
    assert status(case, f"found.risk_reassessment@{found_1.seq}") == ("missed", False)
    assert status(case, f"found.risk_reassessment@{found_2.seq}") == ("met", True)


def test_a_missed_clock_of_an_earlier_episode_stays_missed_when_acknowledged() -> None:
    case, found_1, _ = twice_found()
    record(case, "EscalationAcknowledged", FOUND_2 + timedelta(hours=1),
           clock_id=f"found.debrief@{found_1.seq}")
    assert status(case, f"found.debrief@{found_1.seq}") == ("missed", False)
    assert [c for c in clocks_of(case, "escalation")
            if c.subject == f"found.debrief@{found_1.seq}" and c.status == "open"] == []


# ---- decisions ----


def appealed_and_decided() -> tuple[ChildCase, Entry, Entry]:
    case = registered(ARRIVED, date(2011, 5, 20))
    applied(case, ARRIVED + timedelta(days=1))
    first = rejected(case, at("2026-03-02T10:00:00+00:00"))
    record(case, "AppealFiled", at("2026-03-09T10:00:00+00:00"))
    on_appeal = record(case, "AppealDecided", at("2026-03-12T10:00:00+00:00"),
                       outcome="rejected")
    return case, first, on_appeal


def test_an_appeal_decision_does_not_cancel_the_first_decisions_sip_meeting() -> None:
    case, first, on_appeal = appealed_and_decided()
    assert status(case, f"decision.sip_meeting@{first.seq}") == ("open", None)
    assert status(case, f"decision.sip_meeting@{on_appeal.seq}") == ("open", None)


def test_a_sip_meeting_after_the_appeal_decision_meets_only_that_decisions_meeting() -> None:
    case, first, on_appeal = appealed_and_decided()
    record(case, "SipMeetingHeld", at("2026-03-13T10:00:00+00:00"), topic="decision")
    assert status(case, f"decision.sip_meeting@{first.seq}") == ("open", None)
    assert status(case, f"decision.sip_meeting@{on_appeal.seq}") == ("met", True)


def test_a_sip_meeting_held_before_the_appeal_decision_but_entered_after_meets_the_first(
        ) -> None:
    case, first, on_appeal = appealed_and_decided()
    record(case, "SipMeetingHeld", at("2026-03-10T10:00:00+00:00"), topic="decision")
    assert status(case, f"decision.sip_meeting@{first.seq}") == ("met", True)
    assert status(case, f"decision.sip_meeting@{on_appeal.seq}") == ("open", None)


def test_a_sip_meeting_naming_the_first_decision_meets_its_meeting() -> None:
    case, first, on_appeal = appealed_and_decided()
    record(case, "SipMeetingHeld", at("2026-03-13T10:00:00+00:00"), episode=first.seq)
    assert status(case, f"decision.sip_meeting@{first.seq}") == ("met", True)
    assert status(case, f"decision.sip_meeting@{on_appeal.seq}") == ("open", None)
