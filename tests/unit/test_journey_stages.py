"""The stage model of RULEBOOK section 4: the allowed journey, its overlays, and every
command refused because it does not fit the child's current state."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain.child_case import ChildCase
from domain.errors import InvalidFields, TransitionRefused
from domain.risk import FACTORS
from tests.support.history import (
    applied,
    at,
    fits,
    granted,
    lawful,
    record,
    registered,
    rejected,
    report_missing,
    state_of,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
APPLIED_AT = at("2026-01-12T09:00:00+00:00")
DECIDED_AT = at("2026-03-02T13:15:00+00:00")
LATER = at("2026-03-20T10:00:00+00:00")


def in_process() -> ChildCase:
    case = registered(ARRIVED, date(2011, 5, 20))
    applied(case, APPLIED_AT)
    return case


def rejected_case() -> ChildCase:
    case = in_process()
    rejected(case, DECIDED_AT)
    return case


def appealing_case() -> ChildCase:
    case = rejected_case()
    record(case, "AppealFiled", DECIDED_AT + timedelta(days=5))
    return case


def final_case() -> ChildCase:
    case = rejected_case()
    record(case, "DecisionFinal", DECIDED_AT + timedelta(days=10))
    return case


def returning_case() -> ChildCase:
    case = final_case()
    record(case, "ReturnConfirmed", DECIDED_AT + timedelta(days=12))
    return case


def problems(refused: pytest.ExceptionInfo[InvalidFields]) -> list[str]:
    return [p.field for p in refused.value.problems]


# ---- the allowed journey ----


def test_the_whole_journey_from_arrival_to_departure_passes_every_guard() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    stages = [state_of(case).stage]
    steps: list[tuple[str, dict[str, Any]]] = [
        ("AsylumApplied", {}),
        ("DecisionIssued", {"outcome": "rejected", "decided_at": DECIDED_AT}),
        ("AppealFiled", {}),
        ("AppealDecided", {"outcome": "rejected"}),
        ("ReturnConfirmed", {}),
        ("Departed", {}),
    ]
    for i, (event_type, fields) in enumerate(steps):
        lawful(case, event_type, APPLIED_AT + timedelta(days=10 * i), **fields)
        stages.append(state_of(case).stage)
    assert stages == ["arrived", "in_asylum_process", "rejected", "appealing",
                      "rejected_final", "return_preparation", "departed"]


def test_a_grant_moves_the_stage_to_granted() -> None:
    case = in_process()
    lawful(case, "DecisionIssued", DECIDED_AT, outcome="granted", decided_at=DECIDED_AT,
           permit_type="temporary")
    assert state_of(case).stage == "granted"


def test_a_grant_on_appeal_moves_the_stage_to_granted() -> None:
    case = appealing_case()
    lawful(case, "AppealDecided", LATER, outcome="granted", permit_type="permanent")
    assert state_of(case).stage == "granted"


def test_a_renewal_decision_fits_a_child_with_a_permit() -> None:
    case = in_process()
    granted(case, DECIDED_AT, permit_expires_on=date(2027, 4, 15))
    fits(case, "DecisionIssued", outcome="granted", decided_at=LATER, permit_type="temporary",
         permit_expires_on=date(2029, 4, 15))


def test_an_adult_overlays_the_stage_and_keeps_the_asylum_stage_beneath() -> None:
    case = rejected_case()
    lawful(case, "AgeAssessed", LATER, outcome="adult")
    after = state_of(case)
    assert (after.stage, after.asylum_stage) == ("adult", "rejected")


def test_an_adult_can_still_appeal_the_rejection() -> None:
    case = rejected_case()
    record(case, "AgeAssessed", LATER, outcome="adult")
    lawful(case, "AppealFiled", LATER + timedelta(days=1))
    after = state_of(case)
    assert (after.stage, after.asylum_stage) == ("adult", "appealing")


def test_a_rejected_child_who_goes_missing_is_still_rejected() -> None:
    case = rejected_case()
    report_missing(case, LATER, LATER - timedelta(hours=2))
    after = state_of(case)
    assert (after.stage, after.missing is not None) == ("rejected", True)


def test_a_rejected_child_found_again_is_still_rejected() -> None:
    case = rejected_case()
    report_missing(case, LATER, LATER - timedelta(hours=2))
    lawful(case, "Found", LATER + timedelta(days=1), location="sweden")
    after = state_of(case)
    assert (after.stage, after.missing) == ("rejected", None)


def test_departure_ends_the_journey_even_for_an_adult() -> None:
    case = final_case()
    record(case, "AgeAssessed", LATER, outcome="adult")
    lawful(case, "Departed", LATER + timedelta(days=1))
    assert (state_of(case).stage, state_of(case).ended) == ("departed", True)


# ---- refused: asylum ----


def test_an_asylum_application_is_refused_a_second_time() -> None:
    with pytest.raises(TransitionRefused, match="once"):
        fits(in_process(), "AsylumApplied")


def test_a_decision_is_refused_before_an_asylum_application() -> None:
    case = registered(ARRIVED)
    with pytest.raises(TransitionRefused, match="AsylumApplied"):
        fits(case, "DecisionIssued", outcome="rejected", decided_at=DECIDED_AT)


def test_a_second_decision_is_refused_while_the_rejection_stands() -> None:
    with pytest.raises(TransitionRefused, match="rejected"):
        fits(rejected_case(), "DecisionIssued", outcome="rejected", decided_at=LATER)


def test_a_grant_without_a_permit_type_is_refused() -> None:
    with pytest.raises(InvalidFields) as refused:
        fits(in_process(), "DecisionIssued", outcome="granted", decided_at=DECIDED_AT)
    assert problems(refused) == ["permit_type"]


def test_a_rejection_with_a_permit_is_refused() -> None:
    with pytest.raises(InvalidFields) as refused:
        fits(in_process(), "DecisionIssued", outcome="rejected", decided_at=DECIDED_AT,
             permit_type="temporary")
    assert problems(refused) == ["permit_type"]


def test_a_grant_on_appeal_without_a_permit_type_is_refused() -> None:
    with pytest.raises(InvalidFields) as refused:
        fits(appealing_case(), "AppealDecided", outcome="granted")
    assert problems(refused) == ["permit_type"]


def test_an_appeal_is_refused_without_a_rejection() -> None:
    with pytest.raises(TransitionRefused, match="needs a rejection"):
        fits(in_process(), "AppealFiled")


def test_an_appeal_is_refused_once_the_rejection_is_final() -> None:
    with pytest.raises(TransitionRefused, match="rejected final"):
        fits(final_case(), "AppealFiled")


def test_a_second_appeal_is_refused_while_the_first_runs() -> None:
    with pytest.raises(TransitionRefused, match="appealing"):
        fits(appealing_case(), "AppealFiled")


def test_an_appeal_decision_is_refused_without_an_appeal() -> None:
    with pytest.raises(TransitionRefused, match="AppealFiled"):
        fits(rejected_case(), "AppealDecided", outcome="rejected")


def test_making_a_rejection_final_by_hand_is_refused_while_it_is_appealed() -> None:
    with pytest.raises(TransitionRefused, match="under appeal"):
        fits(appealing_case(), "DecisionFinal")


def test_making_a_decision_final_is_refused_without_a_rejection() -> None:
    with pytest.raises(TransitionRefused):
        fits(in_process(), "DecisionFinal")


def test_withdrawing_an_application_is_refused_after_a_grant() -> None:
    case = in_process()
    granted(case, DECIDED_AT)
    with pytest.raises(TransitionRefused, match="open application"):
        fits(case, "ApplicationWithdrawn")


def test_an_interview_is_refused_before_an_asylum_application() -> None:
    with pytest.raises(TransitionRefused, match="open asylum case"):
        fits(registered(ARRIVED), "InterviewHeld")


def test_a_statement_is_refused_once_the_rejection_is_final() -> None:
    with pytest.raises(TransitionRefused, match="open asylum case"):
        fits(final_case(), "StatementSubmitted")


def test_a_special_custodian_is_refused_without_a_permit() -> None:
    with pytest.raises(TransitionRefused, match="after a permit"):
        fits(rejected_case(), "SpecialCustodianAppointed", name="Karin Berg")


def test_a_special_custodian_fits_after_a_permit() -> None:
    case = in_process()
    granted(case, DECIDED_AT)
    fits(case, "SpecialCustodianAppointed", name="Karin Berg")


# ---- refused: return ----


def test_organised_reception_is_refused_before_a_rejection() -> None:
    with pytest.raises(TransitionRefused, match="after a rejection"):
        fits(in_process(), "ReceptionInvestigated", organised_reception_found=False)


def test_a_return_is_refused_before_the_rejection_is_final() -> None:
    with pytest.raises(TransitionRefused, match="final"):
        fits(rejected_case(), "ReturnConfirmed")


def test_a_return_is_refused_a_second_time() -> None:
    with pytest.raises(TransitionRefused, match="return preparation"):
        fits(returning_case(), "ReturnConfirmed")


@pytest.mark.parametrize("event_type", ["HandedOverToPolice", "DetentionOrdered",
                                        "DepartureScheduled", "Departed"])
@pytest.mark.parametrize("stage", ["in_process", "rejected", "appealing"])
def test_enforcement_is_refused_before_a_final_rejection(event_type: str, stage: str) -> None:
    case = {"in_process": in_process, "rejected": rejected_case,
            "appealing": appealing_case}[stage]()
    with pytest.raises(TransitionRefused, match="final rejection"):
        fits(case, event_type)


@pytest.mark.parametrize("event_type", ["HandedOverToPolice", "DetentionOrdered",
                                        "DepartureScheduled", "Departed"])
def test_enforcement_fits_a_return_in_preparation(event_type: str) -> None:
    fits(returning_case(), event_type)


def test_acknowledging_an_entry_that_is_not_enforcement_is_refused() -> None:
    case = returning_case()
    with pytest.raises(InvalidFields) as refused:
        fits(case, "EnforcementAcknowledged", entry=2)  # AsylumApplied
    assert problems(refused) == ["entry"]


def test_acknowledging_an_entry_the_case_does_not_have_is_refused() -> None:
    with pytest.raises(InvalidFields) as refused:
        fits(returning_case(), "EnforcementAcknowledged", entry=99)
    assert problems(refused) == ["entry"]


def test_acknowledging_an_enforcement_event_fits() -> None:
    case = returning_case()
    handed_over = record(case, "HandedOverToPolice", LATER)
    fits(case, "EnforcementAcknowledged", entry=handed_over.seq)


@pytest.mark.parametrize("event_type", ["ChecklistItemDone", "ChecklistItemAssigned"])
def test_the_return_checklist_is_refused_before_a_return_is_confirmed(event_type: str) -> None:
    fields = {"item": "money"} | ({"owner": "god_man"} if "Assigned" in event_type else {})
    with pytest.raises(TransitionRefused, match="before ReturnConfirmed"):
        fits(final_case(), event_type, **fields)


def test_an_unknown_checklist_item_is_refused() -> None:
    with pytest.raises(InvalidFields) as refused:
        fits(returning_case(), "ChecklistItemDone", item="passport_photo")
    assert problems(refused) == ["item"]


def test_a_checklist_item_is_refused_when_already_done() -> None:
    case = returning_case()
    lawful(case, "ChecklistItemDone", LATER, item="money")
    with pytest.raises(TransitionRefused, match="already done"):
        fits(case, "ChecklistItemDone", item="money")


# ---- refused: care ----


def test_updating_the_police_pack_is_refused_while_the_child_is_missing() -> None:
    case = registered(ARRIVED)
    report_missing(case, LATER, LATER - timedelta(hours=2))
    with pytest.raises(TransitionRefused, match="SearchActionTaken"):
        fits(case, "PolicePackUpdated", description="tall, red jacket")


def test_an_empty_police_pack_update_is_refused() -> None:
    with pytest.raises(InvalidFields):
        fits(registered(ARRIVED), "PolicePackUpdated")


@pytest.mark.parametrize("factor", ["A1.10", "A2.5", "A3.13", "A4.16", "A5.1", "B1.1", "a1.1"])
def test_a_risk_assessment_with_an_unknown_factor_is_refused(factor: str) -> None:
    with pytest.raises(InvalidFields) as refused:
        fits(registered(ARRIVED), "RiskAssessed", factors=["A1.1", factor])
    assert problems(refused) == ["factors"]
    assert factor in str(refused.value)


def test_a_risk_assessment_ticking_all_forty_factors_fits() -> None:
    every = ([f"A1.{i}" for i in range(1, 10)] + [f"A2.{i}" for i in range(1, 5)]
             + [f"A3.{i}" for i in range(1, 13)] + [f"A4.{i}" for i in range(1, 16)])
    assert sorted(every) == sorted(FACTORS)
    fits(registered(ARRIVED), "RiskAssessed", factors=every)


# ---- refused: the end of the journey ----


def deceased_case() -> ChildCase:
    case = registered(ARRIVED)
    report_missing(case, LATER, LATER - timedelta(hours=2))
    record(case, "FoundDeceased", LATER + timedelta(days=3))
    return case


@pytest.mark.parametrize("event_type,fields", [
    ("CaseworkerAssigned", {"caseworker_id": "cw-2"}),
    ("RiskAssessed", {"factors": []}),
    ("ResponsibilityTransferred", {"to": "municipality", "municipality": "Lund"}),
    ("TalkHeld", {"kind": "check_in"}),
])
def test_after_the_child_is_found_deceased_only_closing_the_case_is_allowed(
        event_type: str, fields: dict[str, Any]) -> None:
    with pytest.raises(TransitionRefused, match="deceased"):
        fits(deceased_case(), event_type, **fields)


def test_closing_the_case_fits_after_the_child_is_found_deceased() -> None:
    fits(deceased_case(), "CaseClosed", closure="deceased")


def departed_case() -> ChildCase:
    case = returning_case()
    record(case, "Departed", LATER)
    return case


@pytest.mark.parametrize("event_type,fields", [
    ("TalkHeld", {"kind": "farewell"}),
    ("ReportedMissing", {"last_seen_at": "2026-03-20T08:00:00+00:00", "place": "p",
                         "seen_by": "s"}),
    ("ChecklistItemDone", {"item": "money"}),
    ("Departed", {}),
])
def test_after_departure_the_journey_has_ended(event_type: str, fields: dict[str, Any]) -> None:
    with pytest.raises(TransitionRefused, match="departed"):
        fits(departed_case(), event_type, **fields)


@pytest.mark.parametrize("event_type,fields", [
    ("CaseClosed", {"closure": "returned"}),
    ("ResponsibilityTransferred", {"to": "migration_agency"}),
])
def test_after_departure_the_case_can_be_handed_over_or_closed(
        event_type: str, fields: dict[str, Any]) -> None:
    fits(departed_case(), event_type, **fields)


def test_an_appeal_filed_in_time_but_recorded_after_the_window_closed_reopens_the_appeal(
) -> None:
    from domain.case_file import CaseFile
    from domain.entries import Actor
    from domain.policy import load_policy

    case_file = CaseFile(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, policy=load_policy())
    now = datetime.now(UTC)
    child = case_file.register(
        {"arrived_at": (now - timedelta(days=200)).isoformat(), "date_of_birth": "2012-01-01",
         "date_of_birth_basis": "stated", "municipality": "Malmö"},
        Actor("cw", "caseworker"), now).child_id
    actor = Actor("cw", "caseworker")
    case_file.record(child, "AsylumApplied", {}, actor, now,
                     occurred_at=now - timedelta(days=199))
    notified = now - timedelta(days=40)
    case_file.record(child, "DecisionIssued", {"outcome": "rejected",
                                               "decided_at": notified.isoformat()},
                     actor, now, occurred_at=notified)
    window = next(c for c in case_file.clocks(case_file.get_case(child))
                  if c.rule_id == "decision.appeal_window")
    case_file.record_system(child, "AppealWindowExpired", {"clock_id": window.clock_id},
                            window.due, "expired")
    assert case_file.get_case(child).state.asylum_stage == "rejected_final"
    with pytest.raises(TransitionRefused):  # filed after the window: refused
        case_file.record(child, "AppealFiled", {}, actor, now,
                         occurred_at=window.due + timedelta(days=1))
    case_file.record(child, "AppealFiled", {}, actor, now,
                     occurred_at=window.due - timedelta(days=2))
    case = case_file.get_case(child)
    assert case.state.asylum_stage == "appealing"
    open_rules = {c.rule_id for c in case_file.clocks(case) if c.status == "open"}
    assert "return.voluntary_departure" not in open_rules
