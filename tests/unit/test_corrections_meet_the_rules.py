"""A correction meets the rules its entry met: the entry as the correction makes it read is
checked like a new entry, against the case as it stood before that entry. One test per kind
of field a correction can touch; a refused correction records nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.case_file import CaseFile
from domain.entries import Actor, effective
from domain.errors import (
    DomainError,
    InvalidFields,
    NotAChild,
    OccurredInFuture,
    TransitionRefused,
)
from domain.state import CaseState
from tests.support.history import CASEWORKER, at, in_memory_case_file

ARRIVED = at("2026-03-01T10:00:00+00:00")
APPLIED = at("2026-03-02T10:00:00+00:00")
NOW = at("2026-03-20T12:00:00+00:00")
ADMIN = Actor("admin-1", "admin")


@pytest.fixture
def case_file() -> CaseFile:
    return in_memory_case_file()


def _register(case_file: CaseFile, **extra: Any) -> UUID:
    fields = {"arrived_at": ARRIVED.isoformat(), "date_of_birth": "2011-05-20",
              "date_of_birth_basis": "stated", "municipality": "Malmö", **extra}
    return case_file.register(fields, CASEWORKER, NOW).child_id


def _record(case_file: CaseFile, child: UUID, event_type: str, occurred_at=None,  # type: ignore[no-untyped-def]
            **fields: Any) -> int:
    return case_file.record(child, event_type, fields, CASEWORKER, NOW,
                            occurred_at=occurred_at).entry.seq


def _correct(case_file: CaseFile, child: UUID, seq: int, vet=None, **fields: Any):  # type: ignore[no-untyped-def]
    return case_file.record(child, "Corrected", {"entry": seq, "fields": fields}, CASEWORKER,
                            NOW, reason="recorded wrongly", vet=vet)


def _refused(case_file: CaseFile, child: UUID, seq: int, error: type[DomainError],
             **fields: Any) -> DomainError:
    """The correction is refused with `error`, and nothing is recorded."""
    before = case_file.get_case(child).version
    with pytest.raises(error) as refused:
        _correct(case_file, child, seq, **fields)
    assert case_file.get_case(child).version == before
    return refused.value


def _fields_at_fault(problem: DomainError) -> list[str]:
    assert isinstance(problem, InvalidFields)
    return [p.field for p in problem.problems]


def _missing(case_file: CaseFile, child: UUID, last_seen: str = "2026-03-10T06:00:00+00:00",
             occurred: str = "2026-03-10T07:00:00+00:00") -> int:
    return _record(case_file, child, "ReportedMissing", at(occurred), last_seen_at=last_seen,
                   place="the residential home", seen_by="night staff")


# ---- text ----

def test_a_corrected_single_line_text_may_not_hold_a_line_break(case_file: CaseFile) -> None:
    child = _register(case_file)
    seq = _missing(case_file, child)
    problem = _refused(case_file, child, seq, InvalidFields, place="the\nstation")
    assert _fields_at_fault(problem) == ["place"]


def test_a_corrected_text_is_stored_cleaned_like_any_input(case_file: CaseFile) -> None:
    child = _register(case_file)
    seq = _missing(case_file, child)
    entry = _correct(case_file, child, seq, place="  the station  ").entry
    assert entry.fact.fields == {"place": "the station"}


def test_a_correction_may_not_empty_a_required_field(case_file: CaseFile) -> None:
    child = _register(case_file)
    seq = _missing(case_file, child)
    assert _fields_at_fault(_refused(case_file, child, seq, InvalidFields, place=None)) == \
        ["place"]


def test_a_correction_naming_a_field_the_entry_has_not_is_refused(case_file: CaseFile) -> None:
    child = _register(case_file)
    seq = _missing(case_file, child)
    assert _fields_at_fault(_refused(case_file, child, seq, InvalidFields, colour="red")) == \
        ["colour"]


# ---- instants and dates ----

def test_a_corrected_instant_may_not_lie_in_the_future(case_file: CaseFile) -> None:
    child = _register(case_file)
    seq = _missing(case_file, child)
    _refused(case_file, child, seq, OccurredInFuture,
             last_seen_at=(NOW + timedelta(hours=1)).isoformat())


def test_a_corrected_date_of_birth_may_not_make_the_child_an_adult_on_arrival(
        case_file: CaseFile) -> None:
    child = _register(case_file)
    _refused(case_file, child, 1, NotAChild, date_of_birth="2007-01-01")


def test_a_corrected_arrival_may_not_lie_before_the_date_of_birth(case_file: CaseFile) -> None:
    child = _register(case_file, date_of_birth="2011-05-20")
    problem = _refused(case_file, child, 1, InvalidFields, arrived_at="2010-01-01T10:00:00+00:00")
    assert _fields_at_fault(problem) == ["arrived_at"]


def test_a_corrected_decision_may_not_lie_before_the_asylum_application(
        case_file: CaseFile) -> None:
    child = _register(case_file)
    _record(case_file, child, "AsylumApplied", APPLIED)
    seq = _record(case_file, child, "DecisionIssued", outcome="rejected",
                  decided_at="2026-03-15T09:00:00+00:00")
    problem = _refused(case_file, child, seq, InvalidFields,
                       decided_at="2026-03-01T09:00:00+00:00")
    assert _fields_at_fault(problem) == ["decided_at"]


def test_a_corrected_last_seen_may_not_fall_before_the_previous_disappearance_ended(
        case_file: CaseFile) -> None:
    child = _register(case_file)
    _missing(case_file, child)
    _record(case_file, child, "Found", at("2026-03-11T08:00:00+00:00"), location="sweden")
    second = _missing(case_file, child, "2026-03-15T20:00:00+00:00", "2026-03-15T21:00:00+00:00")
    problem = _refused(case_file, child, second, InvalidFields,
                       last_seen_at="2026-03-10T12:00:00+00:00")
    assert _fields_at_fault(problem) == ["last_seen_at"]


# ---- choices and what they require together ----

def test_a_corrected_choice_must_be_one_of_its_values(case_file: CaseFile) -> None:
    child = _register(case_file)
    seq = _record(case_file, child, "Placed", placement_type="hvb", legal_basis="SoL")
    assert _fields_at_fault(_refused(case_file, child, seq, InvalidFields,
                                     legal_basis="LSS")) == ["legal_basis"]


def test_a_decision_corrected_to_a_grant_needs_a_permit_type(case_file: CaseFile) -> None:
    child = _register(case_file)
    _record(case_file, child, "AsylumApplied", APPLIED)
    seq = _record(case_file, child, "DecisionIssued", outcome="rejected",
                  decided_at="2026-03-15T09:00:00+00:00")
    assert _fields_at_fault(_refused(case_file, child, seq, InvalidFields,
                                     outcome="granted")) == ["permit_type"]


def test_a_second_correction_is_checked_on_top_of_the_first(case_file: CaseFile) -> None:
    child = _register(case_file)
    _record(case_file, child, "AsylumApplied", APPLIED)
    seq = _record(case_file, child, "DecisionIssued", outcome="rejected",
                  decided_at="2026-03-15T09:00:00+00:00")
    _correct(case_file, child, seq, outcome="granted", permit_type="temporary")
    assert _fields_at_fault(_refused(case_file, child, seq, InvalidFields,
                                     permit_type=None)) == ["permit_type"]


def test_a_transfer_corrected_to_a_municipality_must_name_one(case_file: CaseFile) -> None:
    child = _register(case_file)
    seq = _record(case_file, child, "ResponsibilityTransferred", to="migration_agency")
    assert _fields_at_fault(_refused(case_file, child, seq, InvalidFields,
                                     to="municipality")) == ["municipality"]


# ---- municipalities ----

def test_a_corrected_municipality_must_be_one_of_swedens(case_file: CaseFile) -> None:
    child = _register(case_file)
    problem = _refused(case_file, child, 1, InvalidFields, municipality="Malmoe")
    assert isinstance(problem, InvalidFields)
    assert problem.problems[0].problem == \
        "names no municipality of Sweden; did you mean Malmö?"


def test_a_corrected_municipality_is_stored_by_its_official_name(case_file: CaseFile) -> None:
    child = _register(case_file)
    seq = _record(case_file, child, "PlacementChanged", placement_type="hvb", legal_basis="SoL",
                  municipality="Lund")
    entry = _correct(case_file, child, seq, municipality="GOTEBORG").entry
    assert entry.fact.fields == {"municipality": "Göteborg"}
    assert case_file.get_case(child).state.handover_to == "Göteborg"


# ---- references to other entries, clocks and factors ----

def test_an_acknowledgement_corrected_to_name_no_enforcement_event_is_refused(
        case_file: CaseFile) -> None:
    child = _register(case_file)
    _record(case_file, child, "AsylumApplied", APPLIED)
    _record(case_file, child, "DecisionIssued", at("2026-03-05T10:00:00+00:00"),
            outcome="rejected", decided_at="2026-03-05T09:00:00+00:00")
    _record(case_file, child, "DecisionFinal", at("2026-03-06T10:00:00+00:00"))
    police = _record(case_file, child, "HandedOverToPolice", at("2026-03-07T10:00:00+00:00"))
    seq = _record(case_file, child, "EnforcementAcknowledged", entry=police)
    assert _fields_at_fault(_refused(case_file, child, seq, InvalidFields, entry=1)) == ["entry"]


def test_an_acknowledgement_corrected_to_a_clock_never_missed_is_refused(
        case_file: CaseFile) -> None:
    child = _register(case_file)
    missing = _missing(case_file, child)
    case_file.record_system(child, "DeadlineMissed", {
        "clock_id": f"missing.police_report@{missing}", "rule_id": "missing.police_report",
        "due": "2026-03-11T06:00:00+00:00"}, at("2026-03-11T06:00:00+00:00"), "due|1")
    seq = _record(case_file, child, "EscalationAcknowledged",
                  clock_id=f"missing.police_report@{missing}")
    problem = _refused(case_file, child, seq, InvalidFields,
                       clock_id=f"missing.search_review@{missing}")
    assert _fields_at_fault(problem) == ["clock_id"]


def test_an_acknowledgement_of_a_clock_never_missed_is_refused_as_it_is_recorded(
        case_file: CaseFile) -> None:
    child = _register(case_file)
    with pytest.raises(InvalidFields):
        _record(case_file, child, "EscalationAcknowledged", clock_id="arrival.guardian@1")


def test_corrected_risk_factors_must_be_factors_of_the_checklist(case_file: CaseFile) -> None:
    child = _register(case_file)
    seq = _record(case_file, child, "RiskAssessed", factors=["A1.1"])
    assert _fields_at_fault(_refused(case_file, child, seq, InvalidFields,
                                     factors=["A1.1", "Z9"])) == ["factors"]


def test_a_corrected_episode_must_name_a_disappearance(case_file: CaseFile) -> None:
    child = _register(case_file)
    missing = _missing(case_file, child)
    seq = _record(case_file, child, "SearchActionTaken", at("2026-03-10T08:00:00+00:00"),
                  action="called the school", taken_by="caseworker", episode=missing)
    assert _fields_at_fault(_refused(case_file, child, seq, InvalidFields, episode=1)) == \
        ["episode"]


# ---- the state before the entry ----

def test_a_correction_is_judged_against_the_case_before_its_entry(case_file: CaseFile) -> None:
    """A police report corrected to answer its own disappearance is fine, although that
    disappearance has a report now: its own."""
    child = _register(case_file)
    missing = _missing(case_file, child)
    seq = _record(case_file, child, "PoliceReportFiled", at("2026-03-10T08:00:00+00:00"),
                  police_reference="K-1")
    entry = _correct(case_file, child, seq, episode=missing, police_reference="K-2").entry
    assert entry.fact.fields == {"episode": missing, "police_reference": "K-2"}


def test_a_correction_of_a_late_guard_sees_what_was_retracted_before_it(
        case_file: CaseFile) -> None:
    """The decision's application was retracted: the decision, as corrected, no longer
    fits the case before it, so the correction is refused (retract the decision instead)."""
    child = _register(case_file)
    applied = _record(case_file, child, "AsylumApplied", APPLIED)
    seq = _record(case_file, child, "DecisionIssued", outcome="rejected",
                  decided_at="2026-03-15T09:00:00+00:00")
    case_file.record(child, "Retracted", {"entry": applied}, CASEWORKER, NOW, reason="wrong")
    _refused(case_file, child, seq, TransitionRefused, decided_at="2026-03-14T09:00:00+00:00")


# ---- the caller's own checks see the entry as corrected ----

def test_the_callers_checks_see_the_corrected_entry_and_the_state_before_it(
        case_file: CaseFile) -> None:
    child = _register(case_file)
    seq = _record(case_file, child, "CaseworkerAssigned", caseworker_id="anna")
    _record(case_file, child, "ResponsibilityTransferred", to="municipality", municipality="Lund")
    seen: list[tuple[str, Any, CaseState]] = []
    _correct(case_file, child, seq, vet=lambda t, f, s: seen.append((t, f, s)),
             caseworker_id="bo")
    corrected_as = seen[-1]
    assert corrected_as[0] == "CaseworkerAssigned"
    assert corrected_as[1].caseworker_id == "bo"
    assert corrected_as[2].municipality == "Malmö"  # as it stood before the entry


def test_a_correction_the_callers_checks_refuse_records_nothing(case_file: CaseFile) -> None:
    child = _register(case_file)
    seq = _record(case_file, child, "CaseworkerAssigned", caseworker_id="anna")

    def refuse_bo(event_type: str, fact: Any, state: CaseState) -> None:
        if getattr(fact, "caseworker_id", None) == "bo":
            raise InvalidFields([])

    before = case_file.get_case(child).version
    with pytest.raises(InvalidFields):
        _correct(case_file, child, seq, vet=refuse_bo, caseworker_id="bo")
    assert case_file.get_case(child).version == before
    assert [e.fact.caseworker_id for e in effective(case_file.get_case(child).entries)
            if e.event_type == "CaseworkerAssigned"] == ["anna"]


def test_an_admin_correction_meets_the_same_rules(case_file: CaseFile) -> None:
    child = _register(case_file)
    with pytest.raises(InvalidFields):
        case_file.record(child, "Corrected", {"entry": 1, "fields": {"municipality": "Bench"}},
                         ADMIN, NOW, reason="repair")
