"""Facts Vaka derives rather than has typed: the rejection kind (the three-month rule), the
return checklist, the LVU compliance alert and the police information pack."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.child_case import ChildCase
from domain.state import rejection_kind
from tests.support.history import (
    applied,
    at,
    clock,
    custom_policy,
    default_rules,
    granted,
    record,
    registered,
    rejected,
    state_of,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
APPLIED_AT = at("2026-01-12T09:00:00+00:00")  # three months on: 2026-04-12T09:00Z


def rejected_on(decided_at: datetime, recorded_at: datetime | None = None) -> ChildCase:
    case = registered(ARRIVED, date(2011, 5, 20))
    applied(case, APPLIED_AT)
    rejected(case, recorded_at or decided_at, decided_at=decided_at)
    return case


# ---- the rejection kind ----


def test_a_rejection_within_three_months_of_the_application_is_avvisning() -> None:
    case = rejected_on(at("2026-03-02T13:15:00+00:00"))
    assert rejection_kind(state_of(case), 3) == "avvisning"


def test_a_rejection_after_three_months_is_utvisning() -> None:
    case = rejected_on(at("2026-05-04T10:00:00+00:00"))
    assert rejection_kind(state_of(case), 3) == "utvisning"


def test_a_rejection_just_before_the_three_months_are_up_is_avvisning() -> None:
    case = rejected_on(at("2026-04-12T08:59:59+00:00"))
    assert rejection_kind(state_of(case), 3) == "avvisning"


def test_a_rejection_exactly_three_months_after_the_application_is_utvisning() -> None:
    case = rejected_on(at("2026-04-12T09:00:00+00:00"))
    assert rejection_kind(state_of(case), 3) == "utvisning"


def test_the_rejection_kind_counts_from_decided_at_not_from_when_it_was_recorded() -> None:
    case = rejected_on(at("2026-03-02T13:15:00+00:00"), recorded_at=at("2026-05-04T10:00:00+00:00"))
    assert rejection_kind(state_of(case), 3) == "avvisning"


def test_the_rejection_kind_follows_the_number_of_months_given() -> None:
    case = rejected_on(at("2026-05-04T10:00:00+00:00"))
    assert rejection_kind(state_of(case), 4) == "avvisning"


def test_a_grant_has_no_rejection_kind() -> None:
    case = registered(ARRIVED)
    applied(case, APPLIED_AT)
    granted(case, at("2026-03-02T13:15:00+00:00"))
    assert rejection_kind(state_of(case), 3) is None


def test_the_rejection_kind_survives_a_rejected_appeal() -> None:
    case = rejected_on(at("2026-03-02T13:15:00+00:00"))
    record(case, "AppealFiled", at("2026-03-10T10:00:00+00:00"))
    record(case, "AppealDecided", at("2026-07-01T10:00:00+00:00"), outcome="rejected")
    assert rejection_kind(state_of(case), 3) == "avvisning"


def test_the_policy_months_decide_the_departure_window() -> None:
    case = rejected_on(at("2026-05-04T10:00:00+00:00"))  # utvisning by three months
    final = record(case, "DecisionFinal", at("2026-05-12T10:00:00+00:00"))
    policy = custom_policy(default_rules(), rejection_kind_months=4)  # avvisning by four
    window = clock(case, f"return.voluntary_departure@{final.seq}", policy)
    assert window.due == at("2026-05-27T00:00:00+02:00")


# ---- the return checklist ----


def returning() -> ChildCase:
    case = rejected_on(at("2026-03-02T13:15:00+00:00"))
    record(case, "DecisionFinal", at("2026-03-12T10:00:00+00:00"))
    record(case, "ReturnConfirmed", at("2026-03-13T10:00:00+00:00"))
    return case


def test_there_is_no_return_checklist_before_the_return_is_confirmed() -> None:
    case = rejected_on(at("2026-03-02T13:15:00+00:00"))
    record(case, "DecisionFinal", at("2026-03-12T10:00:00+00:00"))
    assert state_of(case).checklist == {}


def test_a_confirmed_return_opens_the_checklist_with_an_owner_per_item() -> None:
    checklist = state_of(returning()).checklist
    assert {item: entry.owner for item, entry in checklist.items()} == {
        "farewell_preparation": "caseworker",
        "documents_translated": "caseworker",
        "certificates": "placement",
        "keepsakes_and_contacts": "god_man",
        "reception_and_housing": "caseworker",
        "money": "caseworker",
        "medical_handover": "health",
    }
    assert [entry.done_seq for entry in checklist.values()] == [None] * 7


def test_assigning_a_checklist_item_changes_its_owner() -> None:
    case = returning()
    record(case, "ChecklistItemAssigned", at("2026-03-14T10:00:00+00:00"), item="money",
           owner="god_man")
    assert state_of(case).checklist["money"].owner == "god_man"


def test_a_done_checklist_item_is_ticked_with_when_it_was_done() -> None:
    case = returning()
    done = record(case, "ChecklistItemDone", at("2026-03-15T10:00:00+00:00"),
                  item="certificates")
    item = state_of(case).checklist["certificates"]
    assert (item.done_seq, item.done_at) == (done.seq, done.occurred_at)


def test_ticking_one_checklist_item_leaves_the_others_open() -> None:
    case = returning()
    record(case, "ChecklistItemDone", at("2026-03-15T10:00:00+00:00"), item="certificates")
    still_open = sorted(i for i, e in state_of(case).checklist.items() if e.done_seq is None)
    assert still_open == ["documents_translated", "farewell_preparation",
                          "keepsakes_and_contacts", "medical_handover", "money",
                          "reception_and_housing"]


# ---- the LVU compliance alert ----


def lvu_case(legal_basis: str = "LVU") -> ChildCase:
    case = registered(ARRIVED, date(2011, 5, 20))
    record(case, "Placed", ARRIVED + timedelta(days=1), placement_type="hvb",
           legal_basis=legal_basis)
    applied(case, APPLIED_AT)
    return case


def test_a_rejected_lvu_placed_child_without_a_statement_raises_a_compliance_alert() -> None:
    case = lvu_case()
    rejected(case, at("2026-03-02T13:15:00+00:00"))
    assert state_of(case).compliance_alerts == ["lvu_statement_missing"]


def test_no_compliance_alert_when_the_statement_was_submitted() -> None:
    case = lvu_case()
    record(case, "StatementSubmitted", at("2026-02-20T10:00:00+00:00"))
    rejected(case, at("2026-03-02T13:15:00+00:00"))
    assert state_of(case).compliance_alerts == []


def test_no_compliance_alert_for_a_rejected_child_placed_under_sol() -> None:
    case = lvu_case("SoL")
    rejected(case, at("2026-03-02T13:15:00+00:00"))
    assert state_of(case).compliance_alerts == []


@pytest.mark.parametrize("decided", [False, True])
def test_no_compliance_alert_for_an_lvu_placed_child_without_a_rejection(decided: bool) -> None:
    case = lvu_case()
    if decided:
        granted(case, at("2026-03-02T13:15:00+00:00"))
    assert state_of(case).compliance_alerts == []


# ---- the police information pack ----


def test_the_police_pack_keeps_the_fields_given() -> None:
    case = registered(ARRIVED)
    record(case, "PolicePackUpdated", at("2026-01-11T10:00:00+00:00"),
           description="about 160 cm, dark hair", interests="football")
    assert state_of(case).police_pack == {"description": "about 160 cm, dark hair",
                                          "interests": "football"}


def test_a_later_police_pack_update_replaces_only_the_fields_it_gives() -> None:
    case = registered(ARRIVED)
    record(case, "PolicePackUpdated", at("2026-01-11T10:00:00+00:00"),
           description="about 160 cm, dark hair", interests="football")
    record(case, "PolicePackUpdated", at("2026-02-11T10:00:00+00:00"),
           interests="football, gaming", stays="with a cousin in Lund")
    assert state_of(case).police_pack == {"description": "about 160 cm, dark hair",
                                          "interests": "football, gaming",
                                          "stays": "with a cousin in Lund"}
