"""Follow-ups "or on change" (RULEBOOK section 7): a key event (a decision, a rejection, a
placement change, a disappearance, turning 18, a new factor in that area) brings the
area's next follow-up forward to at once (due 24 hours after the event); a follow-up is
never due before the event that started it; the networking row runs monthly while any
risk area is followed up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.child_case import ChildCase
from domain.entries import Entry
from tests.support.history import (
    applied,
    at,
    clock,
    clocks_of,
    fire,
    only_open,
    record,
    registered,
    rejected,
    report_missing,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
ASSESSED_AT = at("2026-01-12T09:00:00+00:00")
KEY_AT = at("2026-01-20T08:30:00+00:00")
B1, B2, B3, B4 = ("risk.followup.absconding", "risk.followup.mental_health",
                  "risk.followup.asylum_placement", "risk.followup.trafficking")
NETWORK = "risk.followup.network"


def assessed(*factors: str, dob: date = date(2011, 5, 20)) -> ChildCase:
    case = registered(ARRIVED, dob)
    record(case, "RiskAssessed", ASSESSED_AT, factors=list(factors))
    return case


# ---- the rejection: a key event and the A3.1 trigger ----


def test_a_rejection_brings_the_asylum_follow_up_to_within_24_hours() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    applied(case, ARRIVED + timedelta(days=1))
    rejected(case, KEY_AT)
    flag = fire(case, only_open(case, "risk.flag.rejection"))
    assert flag.occurred_at == KEY_AT
    assert only_open(case, B3).due == KEY_AT + timedelta(hours=24)


def test_a_rejection_while_the_asylum_follow_up_runs_brings_it_forward() -> None:
    case = assessed("A3.4")
    applied(case, ARRIVED + timedelta(days=1))
    decision = rejected(case, KEY_AT)
    follow_up = only_open(case, B3)
    assert (follow_up.clock_id, follow_up.due) == (f"{B3}@{decision.seq}",
                                                  KEY_AT + timedelta(hours=24))


# ---- never due before the event that started it ----


def test_a_child_arriving_within_180_days_of_18_is_flagged_on_arrival_not_before() -> None:
    case = registered(ARRIVED, date(2008, 4, 1))  # 18 on 1 April 2026, 81 days away
    flag = clock(case, "risk.flag.approaching_18@1")
    assert flag.due == ARRIVED


def test_the_follow_up_of_a_child_arriving_near_18_falls_due_after_arrival() -> None:
    case = registered(ARRIVED, date(2008, 4, 1))
    fire(case, only_open(case, "risk.flag.approaching_18"))
    follow_up = only_open(case, B3)
    assert follow_up.due == ARRIVED + timedelta(hours=24)
    assert all(c.due > ARRIVED for c in clocks_of(case, B3))


def test_preparing_for_adulthood_of_a_child_arriving_near_18_is_due_after_arrival() -> None:
    case = registered(ARRIVED, date(2008, 3, 1))  # 18 in 50 days: inside the 90-day lead
    prepare = only_open(case, "age.prepare_adulthood")
    assert prepare.due == at("2026-01-24T00:00:00+01:00")  # 14 days after arrival


# ---- key events bring every running follow-up forward ----


def _key_event(case: ChildCase, event_type: str) -> Entry:
    """A key event two days after the assessment: B1 is due in five, B2 in twelve."""
    key_at = ASSESSED_AT + timedelta(days=2)
    if event_type == "PlacementChanged":
        return record(case, "PlacementChanged", key_at, placement_type="hvb",
                      legal_basis="SoL")
    if event_type == "ReportedMissing":
        return report_missing(case, key_at, key_at - timedelta(hours=2))
    applied(case, ARRIVED + timedelta(days=1))
    if event_type == "DecisionIssued":
        return record(case, "DecisionIssued", key_at, outcome="granted", decided_at=key_at,
                      permit_type="permanent")
    rejected(case, ASSESSED_AT - timedelta(hours=2))  # brings both forward once
    record(case, "AppealFiled", ASSESSED_AT - timedelta(hours=1))
    record(case, "FollowUpHeld", ASSESSED_AT + timedelta(hours=12), area="B1")
    record(case, "FollowUpHeld", ASSESSED_AT + timedelta(hours=12), area="B2")
    return record(case, "AppealDecided", key_at, outcome="rejected")


@pytest.mark.parametrize("event_type", ["DecisionIssued", "AppealDecided", "PlacementChanged",
                                        "ReportedMissing"])
@pytest.mark.parametrize("area", [B1, B2])
def test_a_key_event_brings_a_running_follow_up_forward_to_24_hours(
        event_type: str, area: str) -> None:
    case = assessed("A1.1", "A2.1")
    key = _key_event(case, event_type)
    assert only_open(case, area).due == key.occurred_at + timedelta(hours=24)


def test_a_follow_up_already_due_sooner_is_not_pushed_back_by_a_key_event() -> None:
    case = assessed("A4.1")  # B4 due 24 h after the assessment
    record(case, "PlacementChanged", ASSESSED_AT + timedelta(hours=20), placement_type="hvb",
           legal_basis="SoL")
    assert only_open(case, B4).due == ASSESSED_AT + timedelta(hours=24)


def test_a_key_event_starts_no_follow_up_of_an_area_not_followed_up() -> None:
    case = assessed("A1.1")
    record(case, "PlacementChanged", KEY_AT, placement_type="hvb", legal_basis="SoL")
    assert clocks_of(case, B2) == []


# ---- a new factor in an area brings that area's follow-up forward ----


def test_a_new_mental_health_factor_brings_only_the_mental_health_follow_up_forward() -> None:
    case = assessed("A1.1", "A2.1")
    later = record(case, "RiskAssessed", KEY_AT, factors=["A1.1", "A2.1", "A2.2"])
    assert only_open(case, B2).due == later.occurred_at + timedelta(hours=24)
    assert only_open(case, B1).anchor_seq == 2  # unchanged: no new absconding factor


def test_a_newly_derived_asylum_factor_brings_the_running_asylum_follow_up_forward() -> None:
    case = assessed("A3.4")
    record(case, "Placed", KEY_AT, placement_type="natverkshem", legal_basis="SoL")
    flag = fire(case, only_open(case, "risk.flag.kinship_placement"))
    assert only_open(case, B3).due == flag.occurred_at + timedelta(hours=24)


# ---- the networking row ----


def test_the_networking_follow_up_runs_monthly_while_any_area_is_followed_up() -> None:
    case = assessed("A2.1")
    network = only_open(case, NETWORK)
    assert (network.anchor_seq, network.due) == (2, at("2026-02-12T00:00:00+01:00"))


def test_no_networking_follow_up_while_no_area_is_followed_up() -> None:
    assert clocks_of(assessed(), NETWORK) == []


def test_a_networking_meeting_meets_it_and_the_next_is_a_month_later() -> None:
    case = assessed("A2.1")
    held = record(case, "FollowUpHeld", at("2026-01-30T10:00:00+00:00"), area="network")
    assert clock(case, f"{NETWORK}@2").status == "met"
    assert only_open(case, NETWORK).due == at("2026-02-28T00:00:00+01:00")
    assert only_open(case, NETWORK).anchor_seq == held.seq


def test_the_networking_follow_up_stops_when_no_area_is_followed_up_any_more() -> None:
    case = assessed("A2.1")
    later = record(case, "RiskAssessed", KEY_AT, factors=[])
    network = clock(case, f"{NETWORK}@2")
    assert (network.status, network.resolved_seq) == ("cancelled", later.seq)


def test_a_key_event_brings_the_networking_follow_up_forward() -> None:
    case = assessed("A2.1")
    key = record(case, "PlacementChanged", KEY_AT, placement_type="hvb", legal_basis="SoL")
    assert only_open(case, NETWORK).due == key.occurred_at + timedelta(hours=24)


# ---- suspected exploitation when the child is found ----


FOUND_AT = at("2026-02-03T18:00:00+00:00")


def found_with(suspicion: bool) -> ChildCase:
    case = registered(ARRIVED, date(2011, 5, 20))
    report_missing(case, FOUND_AT - timedelta(days=3), FOUND_AT - timedelta(days=4))
    record(case, "Found", FOUND_AT, location="sweden", suspected_exploitation=suspicion)
    return case


def test_suspected_exploitation_when_found_raises_the_victimisation_flag_at_once() -> None:
    case = found_with(True)
    flag = only_open(case, "risk.flag.victimisation")
    assert (flag.due, flag.fires) == (FOUND_AT, "RiskFlagRaised")
    raised = fire(case, flag)
    assert raised.fields["factor"] == "A4.15"


def test_the_victimisation_flag_starts_the_trafficking_follow_up_within_24_hours() -> None:
    case = found_with(True)
    fire(case, only_open(case, "risk.flag.victimisation"))
    assert only_open(case, B4).due == FOUND_AT + timedelta(hours=24)


def test_no_victimisation_flag_when_nothing_is_suspected() -> None:
    assert clocks_of(found_with(False), "risk.flag.victimisation") == []


def test_suspected_exploitation_said_in_the_debrief_raises_the_flag() -> None:
    case = found_with(False)
    talk = record(case, "TalkHeld", FOUND_AT + timedelta(hours=30), kind="debrief",
                  suspected_exploitation=True)
    assert only_open(case, "risk.flag.victimisation").due == talk.occurred_at
