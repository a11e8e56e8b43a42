"""Guards: a fact that does not fit the child's current state is refused (RULEBOOK section 4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain import facts
from domain.errors import InvalidFields, NotAChild, OccurredInFuture, TransitionRefused
from domain.state import fold
from domain.transitions import check_fits, check_not_in_future, check_registration
from tests.support.history import POLICY, at, record, registered, report_missing, system

ARRIVED = at("2026-01-10T10:00:00+00:00")
LAST_SEEN = at("2026-01-12T08:00:00+00:00")


def fits(case, event_type: str, **fields) -> None:  # type: ignore[no-untyped-def]
    fact = facts.parse_fact(event_type, fields)
    entries = case.effective_entries
    check_fits(fold(str(case.id), entries), entries, event_type, fact)


def missing_case():  # type: ignore[no-untyped-def]
    case = registered(ARRIVED, date(2011, 4, 4))
    report_missing(case, LAST_SEEN + timedelta(hours=1), LAST_SEEN)
    return case


def registration(dob: date, arrived: datetime = ARRIVED) -> facts.Registered:
    fact = facts.parse_fact("Registered", {
        "arrived_at": arrived.isoformat(), "date_of_birth": dob.isoformat(),
        "date_of_birth_basis": "stated", "municipality": "Malmö"})
    assert isinstance(fact, facts.Registered)
    return fact


def test_found_is_refused_for_a_child_who_is_not_missing() -> None:
    with pytest.raises(TransitionRefused, match="missing"):
        fits(registered(ARRIVED), "Found", location="sweden")


def test_contact_made_is_refused_for_a_child_who_is_not_missing() -> None:
    with pytest.raises(TransitionRefused):
        fits(registered(ARRIVED), "ContactMade")


def test_a_search_action_is_refused_for_a_child_who_is_not_missing() -> None:
    with pytest.raises(TransitionRefused):
        fits(registered(ARRIVED), "SearchActionTaken", action="x", taken_by="y")


def test_a_police_report_is_refused_for_a_child_who_is_not_missing() -> None:
    with pytest.raises(TransitionRefused):
        fits(registered(ARRIVED), "PoliceReportFiled")


def test_found_fits_a_missing_child() -> None:
    fits(missing_case(), "Found", location="abroad")  # no refusal


def test_a_child_already_missing_cannot_be_reported_missing_again() -> None:
    with pytest.raises(TransitionRefused, match="already reported missing"):
        fits(missing_case(), "ReportedMissing", last_seen_at=LAST_SEEN.isoformat(),
             place="p", seen_by="s")


def test_a_second_police_report_for_the_same_disappearance_is_refused() -> None:
    case = missing_case()
    record(case, "PoliceReportFiled", LAST_SEEN + timedelta(hours=2))
    with pytest.raises(TransitionRefused, match="already recorded"):
        fits(case, "PoliceReportFiled")


def test_after_found_the_child_can_be_reported_missing_again() -> None:
    case = missing_case()
    record(case, "Found", LAST_SEEN + timedelta(hours=5), location="sweden")
    again = LAST_SEEN + timedelta(hours=6)
    fits(case, "ReportedMissing", last_seen_at=again.isoformat(), place="p", seen_by="s")


def test_a_new_disappearance_cannot_begin_before_the_last_one_ended() -> None:
    case = missing_case()
    record(case, "Found", LAST_SEEN + timedelta(hours=5), location="sweden")
    with pytest.raises(InvalidFields, match="last_seen_at"):
        fits(case, "ReportedMissing", last_seen_at=LAST_SEEN.isoformat(), place="p",
             seen_by="s")


def test_found_ends_the_missing_overlay_and_keeps_the_stage() -> None:
    case = missing_case()
    assert fold(str(case.id), case.effective_entries).missing is not None
    record(case, "Found", LAST_SEEN + timedelta(hours=5), location="sweden")
    after = fold(str(case.id), case.effective_entries)
    assert (after.missing, after.stage) == (None, "arrived")


def test_the_missing_overlay_remembers_last_seen_and_the_report_instant() -> None:
    episode = fold("c", missing_case().effective_entries).missing
    assert episode is not None
    assert (episode.last_seen_at, episode.reported_at, episode.reported_seq) == (
        LAST_SEEN, LAST_SEEN + timedelta(hours=1), 2)


@pytest.mark.parametrize("event_type,fields", [
    ("CaseworkerAssigned", {"caseworker_id": "cw-2"}),
    ("ReportedMissing", {"last_seen_at": "2026-01-12T08:00:00+00:00", "place": "p",
                         "seen_by": "s"}),
    ("CaseClosed", {"closure": "other"}),
    ("RiskAssessed", {}),
])
def test_anything_but_a_correction_is_refused_after_the_case_is_closed(
        event_type: str, fields: dict[str, str]) -> None:
    case = registered(ARRIVED)
    record(case, "CaseClosed", ARRIVED + timedelta(days=3), closure="moved")
    with pytest.raises(TransitionRefused, match="closed"):
        fits(case, event_type, **fields)


def test_a_retraction_fits_a_closed_case() -> None:
    case = registered(ARRIVED)
    record(case, "CaseClosed", ARRIVED + timedelta(days=3), closure="moved")
    fits(case, "Retracted", entry=2)  # no refusal


def test_case_closed_moves_the_stage_to_closed_and_remembers_the_stage_before() -> None:
    case = registered(ARRIVED)
    record(case, "CaseClosed", ARRIVED + timedelta(days=3), closure="moved")
    after = fold(str(case.id), case.effective_entries)
    assert (after.stage, after.asylum_stage, after.closed) == ("closed", "arrived", True)


def test_a_second_registration_is_refused() -> None:
    case = registered(ARRIVED)
    with pytest.raises(TransitionRefused, match="already registered"):
        fits(case, "Registered", **{"arrived_at": ARRIVED.isoformat(),
                                    "date_of_birth": "2011-01-01",
                                    "date_of_birth_basis": "stated", "municipality": "Malmö"})


def test_ending_a_guardian_is_refused_when_the_child_has_none() -> None:
    with pytest.raises(TransitionRefused, match="no god man"):
        fits(registered(ARRIVED), "GuardianEnded")


def test_age_assessment_is_refused_for_someone_already_treated_as_adult() -> None:
    case = registered(ARRIVED)
    record(case, "AgeAssessed", ARRIVED + timedelta(days=1), outcome="adult")
    with pytest.raises(TransitionRefused, match="adult"):
        fits(case, "AgeAssessed", outcome="new_date_of_birth", date_of_birth="2010-01-01")


def test_age_assessment_after_turning_18_is_refused() -> None:
    case = registered(at("2025-06-01T10:00:00+00:00"), date(2008, 1, 2))
    system(case, "Turned18", at("2026-01-01T23:00:00+00:00"), responsibility_to="migration_agency")
    with pytest.raises(TransitionRefused):
        fits(case, "AgeAssessed", outcome="adult")


def test_a_new_date_of_birth_outcome_needs_the_date_of_birth() -> None:
    with pytest.raises(InvalidFields) as refused:
        fits(registered(ARRIVED), "AgeAssessed", outcome="new_date_of_birth")
    assert [p.field for p in refused.value.problems] == ["date_of_birth"]


def test_registering_someone_already_18_by_stockholm_midnight_is_refused() -> None:
    # 23:30 UTC on 10 March is 00:30 on 11 March in Stockholm: the 18th birthday has begun
    with pytest.raises(NotAChild):
        check_registration(registration(date(2008, 3, 11), at("2026-03-10T20:00:00+00:00")),
                           at("2026-03-10T23:30:00+00:00"), POLICY)


def test_registering_a_child_the_day_before_the_18th_birthday_is_allowed() -> None:
    check_registration(registration(date(2008, 3, 11), at("2026-03-10T20:00:00+00:00")),
                       at("2026-03-10T22:30:00+00:00"), POLICY)  # 23:30 local on 10 March


def test_registering_an_arrival_in_the_future_is_refused() -> None:
    with pytest.raises(OccurredInFuture, match="arrived_at"):
        check_registration(registration(date(2011, 1, 1), at("2026-03-11T10:00:00+00:00")),
                           at("2026-03-10T10:00:00+00:00"), POLICY)


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidFields) as refused:
        check_registration(registration(date(2026, 5, 1)), at("2026-03-10T10:00:00+00:00"),
                           POLICY)
    assert [p.field for p in refused.value.problems] == ["date_of_birth"]


def test_an_instant_after_now_is_refused_and_named() -> None:
    now = at("2026-03-10T10:00:00+00:00")
    with pytest.raises(OccurredInFuture, match="last_seen_at"):
        check_not_in_future(now + timedelta(seconds=1), now, "last_seen_at")


def test_an_instant_equal_to_now_is_not_in_the_future() -> None:
    now = at("2026-03-10T10:00:00+00:00")
    check_not_in_future(now, now)


@pytest.mark.parametrize("hours_before", [1, 48])
def test_a_decision_dated_before_the_asylum_application_is_refused(hours_before: int) -> None:
    case = registered(ARRIVED)
    applied_at = ARRIVED + timedelta(days=2)
    record(case, "AsylumApplied", applied_at)
    with pytest.raises(InvalidFields) as refused:
        fits(case, "DecisionIssued", outcome="rejected",
             decided_at=(applied_at - timedelta(hours=hours_before)).isoformat())
    assert [p.field for p in refused.value.problems] == ["decided_at"]


def test_a_decision_on_the_day_of_the_application_fits() -> None:
    case = registered(ARRIVED)
    applied_at = ARRIVED + timedelta(days=2)
    record(case, "AsylumApplied", applied_at)
    fits(case, "DecisionIssued", outcome="rejected", decided_at=applied_at.isoformat())
