"""CaseFile commands on the in-memory store: validation, idempotency, versions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.case_file import CaseFile
from domain.entries import Actor
from domain.errors import (
    ChildNotFound,
    IdempotencyKeyReused,
    InvalidFields,
    NotAChild,
    OccurredInFuture,
    TransitionRefused,
    UnknownEventType,
    VersionConflict,
)
from tests.support.history import CASEWORKER, at, custom_policy, default_rules, in_memory_case_file

NOW = at("2026-03-10T12:00:00+00:00")
ARRIVED = at("2026-03-01T10:00:00+00:00")
LAST_SEEN = at("2026-03-10T06:00:00+00:00")
OTHER = Actor("caseworker-2", "caseworker")


def registration(**overrides: Any) -> dict[str, Any]:
    return {"arrived_at": ARRIVED.isoformat(), "date_of_birth": "2011-05-20",
            "date_of_birth_basis": "stated", "municipality": "Malmö", **overrides}


def missing_fields(**overrides: Any) -> dict[str, Any]:
    return {"last_seen_at": LAST_SEEN.isoformat(), "place": "the residential home",
            "seen_by": "night staff", **overrides}


@pytest.fixture
def case_file() -> CaseFile:
    return in_memory_case_file()


@pytest.fixture
def child(case_file: CaseFile) -> UUID:
    return case_file.register(registration(), CASEWORKER, NOW).child_id


def history(case_file: CaseFile, child_id: UUID) -> list[str]:
    return [e.event_type for e in case_file.get_case(child_id).entries]


# ---- registering ----

def test_registering_records_the_registration_as_entry_1(case_file: CaseFile) -> None:
    recorded = case_file.register(registration(), CASEWORKER, NOW)
    assert (recorded.version, recorded.entry.seq, recorded.replayed) == (1, 1, False)
    assert history(case_file, recorded.child_id) == ["Registered"]


def test_registration_occurs_when_the_child_arrived(case_file: CaseFile) -> None:
    recorded = case_file.register(registration(), CASEWORKER, NOW)
    assert recorded.entry.occurred_at == ARRIVED


def test_registering_someone_already_18_is_refused(case_file: CaseFile) -> None:
    with pytest.raises(NotAChild):
        case_file.register(registration(date_of_birth="2008-03-10"), CASEWORKER, NOW)


def test_registering_with_missing_fields_names_them(case_file: CaseFile) -> None:
    with pytest.raises(InvalidFields) as refused:
        case_file.register({"arrived_at": ARRIVED.isoformat()}, CASEWORKER, NOW)
    assert {p.field for p in refused.value.problems} == {
        "date_of_birth", "date_of_birth_basis", "municipality"}


def test_registering_an_arrival_in_the_future_is_refused(case_file: CaseFile) -> None:
    with pytest.raises(OccurredInFuture):
        case_file.register(registration(arrived_at=(NOW + timedelta(hours=1)).isoformat()),
                           CASEWORKER, NOW)


def test_registering_again_with_the_same_key_returns_the_same_child(case_file: CaseFile) -> None:
    first = case_file.register(registration(), CASEWORKER, NOW, idempotency_key="reg-1")
    again = case_file.register(registration(), CASEWORKER, NOW + timedelta(seconds=5),
                               idempotency_key="reg-1")
    assert (again.child_id, again.replayed) == (first.child_id, True)
    assert history(case_file, first.child_id) == ["Registered"]


def test_registering_with_a_reused_key_and_another_body_is_refused(case_file: CaseFile) -> None:
    case_file.register(registration(), CASEWORKER, NOW, idempotency_key="reg-1")
    with pytest.raises(IdempotencyKeyReused):
        case_file.register(registration(municipality="Lund"), CASEWORKER, NOW,
                           idempotency_key="reg-1")


def test_the_same_key_from_two_caseworkers_registers_two_children(case_file: CaseFile) -> None:
    first = case_file.register(registration(), CASEWORKER, NOW, idempotency_key="k")
    second = case_file.register(registration(), OTHER, NOW, idempotency_key="k")
    assert first.child_id != second.child_id and not second.replayed


# ---- recording ----

def test_recording_a_fact_appends_the_next_entry(case_file: CaseFile, child: UUID) -> None:
    recorded = case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW)
    assert (recorded.version, recorded.entry.seq, recorded.entry.occurred_at) == (2, 2, NOW)
    assert history(case_file, child) == ["Registered", "ReportedMissing"]


def test_recording_keeps_a_past_occurred_at(case_file: CaseFile, child: UUID) -> None:
    when = NOW - timedelta(hours=3)
    recorded = case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW,
                                occurred_at=when)
    assert recorded.entry.occurred_at == when


def test_the_same_key_returns_the_first_result_and_records_nothing_new(
        case_file: CaseFile, child: UUID) -> None:
    first = case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW,
                             idempotency_key="miss-1")
    again = case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER,
                             NOW + timedelta(seconds=3), idempotency_key="miss-1")
    assert (again.replayed, again.entry, again.version) == (True, first.entry, first.version)
    assert history(case_file, child) == ["Registered", "ReportedMissing"]


def test_a_retry_with_the_same_key_is_answered_even_with_a_stale_expected_version(
        case_file: CaseFile, child: UUID) -> None:
    first = case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW,
                             expected_version=1, idempotency_key="miss-1")
    again = case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW,
                             expected_version=1, idempotency_key="miss-1")
    assert (again.replayed, again.entry.seq) == (True, first.entry.seq)


def test_the_same_key_with_a_different_body_is_refused(case_file: CaseFile, child: UUID) -> None:
    case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW,
                     idempotency_key="miss-1")
    with pytest.raises(IdempotencyKeyReused):
        case_file.record(child, "ReportedMissing", missing_fields(place="school"), CASEWORKER,
                         NOW, idempotency_key="miss-1")
    assert history(case_file, child) == ["Registered", "ReportedMissing"]


def test_the_same_key_for_another_event_type_is_refused(case_file: CaseFile, child: UUID) -> None:
    case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW,
                     idempotency_key="k-1")
    with pytest.raises(IdempotencyKeyReused):
        case_file.record(child, "Found", {"location": "sweden"}, CASEWORKER, NOW,
                         idempotency_key="k-1")


def test_a_stale_expected_version_is_refused(case_file: CaseFile, child: UUID) -> None:
    case_file.record(child, "CaseworkerAssigned", {"caseworker_id": "cw-1"}, CASEWORKER, NOW)
    with pytest.raises(VersionConflict, match="expected version 1"):
        case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW,
                         expected_version=1)


def test_a_refused_stale_write_leaves_the_case_unchanged(case_file: CaseFile, child: UUID) -> None:
    # Two caseworkers read version 1; the first writes, the second's write must not land.
    case_file.record(child, "CaseworkerAssigned", {"caseworker_id": "cw-1"}, CASEWORKER, NOW,
                     expected_version=1)
    before = case_file.get_case(child)
    with pytest.raises(VersionConflict):
        case_file.record(child, "CaseworkerAssigned", {"caseworker_id": "cw-2"}, OTHER, NOW,
                         expected_version=1)
    after = case_file.get_case(child)
    assert (len(after.entries), after.version) == (len(before.entries), before.version)
    assert after.state.caseworker_id == "cw-1"


def test_the_current_expected_version_is_accepted(case_file: CaseFile, child: UUID) -> None:
    recorded = case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW,
                                expected_version=1)
    assert recorded.version == 2


def test_occurred_at_in_the_future_is_refused(case_file: CaseFile, child: UUID) -> None:
    with pytest.raises(OccurredInFuture):
        case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW,
                         occurred_at=NOW + timedelta(minutes=1))
    assert history(case_file, child) == ["Registered"]


def test_a_field_instant_in_the_future_is_refused_by_name(case_file: CaseFile, child: UUID) -> None:
    with pytest.raises(OccurredInFuture, match="last_seen_at"):
        case_file.record(child, "ReportedMissing",
                         missing_fields(last_seen_at=(NOW + timedelta(hours=1)).isoformat()),
                         CASEWORKER, NOW)


def test_found_for_a_child_not_missing_is_refused(case_file: CaseFile, child: UUID) -> None:
    with pytest.raises(TransitionRefused):
        case_file.record(child, "Found", {"location": "sweden"}, CASEWORKER, NOW)
    assert history(case_file, child) == ["Registered"]


def test_found_for_a_missing_child_is_recorded(case_file: CaseFile, child: UUID) -> None:
    case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW)
    case_file.record(child, "Found", {"location": "sweden"}, CASEWORKER, NOW)
    assert case_file.get_case(child).state.missing is None


def test_after_case_closed_a_new_fact_is_refused(case_file: CaseFile, child: UUID) -> None:
    case_file.record(child, "CaseClosed", {"closure": "moved"}, CASEWORKER, NOW)
    with pytest.raises(TransitionRefused, match="closed"):
        case_file.record(child, "CaseworkerAssigned", {"caseworker_id": "cw-1"}, CASEWORKER,
                         NOW)


def test_after_case_closed_a_retraction_is_recorded(case_file: CaseFile, child: UUID) -> None:
    closed = case_file.record(child, "CaseClosed", {"closure": "moved"}, CASEWORKER, NOW)
    case_file.record(child, "Retracted", {"entry": closed.entry.seq}, CASEWORKER, NOW,
                     reason="closed the wrong case")
    assert case_file.get_case(child).state.stage == "arrived"


def test_after_case_closed_a_correction_is_recorded(case_file: CaseFile, child: UUID) -> None:
    closed = case_file.record(child, "CaseClosed", {"closure": "moved"}, CASEWORKER, NOW)
    case_file.record(child, "Corrected",
                     {"entry": closed.entry.seq, "fields": {"closure": "returned"}},
                     CASEWORKER, NOW, reason="wrong closure chosen")
    assert history(case_file, child)[-1] == "Corrected"


def test_a_correction_without_a_reason_is_refused(case_file: CaseFile, child: UUID) -> None:
    recorded = case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW)
    with pytest.raises(InvalidFields) as refused:
        case_file.record(child, "Retracted", {"entry": recorded.entry.seq}, CASEWORKER, NOW,
                         reason="  ")
    assert [p.field for p in refused.value.problems] == ["reason"]


def test_an_unknown_event_type_is_refused(case_file: CaseFile, child: UUID) -> None:
    with pytest.raises(UnknownEventType):
        case_file.record(child, "RanAway", {}, CASEWORKER, NOW)


def test_registered_cannot_be_recorded_on_an_existing_case(
        case_file: CaseFile, child: UUID) -> None:
    with pytest.raises(InvalidFields) as refused:
        case_file.record(child, "Registered", registration(), CASEWORKER, NOW)
    assert [p.field for p in refused.value.problems] == ["type"]


def test_missing_and_malformed_fields_are_named(case_file: CaseFile, child: UUID) -> None:
    with pytest.raises(InvalidFields) as refused:
        case_file.record(child, "ReportedMissing", {"last_seen_at": "last night"}, CASEWORKER,
                         NOW)
    assert {p.field for p in refused.value.problems} == {"last_seen_at", "place", "seen_by"}


@pytest.mark.parametrize("event_type", ["DeadlineMissed", "DeadlineReminded", "Turned18"])
def test_system_event_types_are_refused_for_caseworkers(
        case_file: CaseFile, child: UUID, event_type: str) -> None:
    with pytest.raises(UnknownEventType, match="by Vaka itself"):
        case_file.record(child, event_type, {"responsibility_to": "migration_agency"},
                         CASEWORKER, NOW)
    assert history(case_file, child) == ["Registered"]


def test_recording_on_an_unknown_child_is_refused(case_file: CaseFile) -> None:
    with pytest.raises(ChildNotFound):
        case_file.record(UUID(int=7), "CaseworkerAssigned", {"caseworker_id": "cw"}, CASEWORKER,
                         NOW)


def test_authorize_sees_the_state_and_can_refuse_before_anything_is_recorded(
        case_file: CaseFile, child: UUID) -> None:
    seen = []

    def deny(state) -> None:  # type: ignore[no-untyped-def]
        seen.append(state.child_id)
        raise PermissionError("not your case")

    with pytest.raises(PermissionError):
        case_file.record(child, "CaseworkerAssigned", {"caseworker_id": "cw"}, CASEWORKER, NOW,
                         authorize=deny)
    assert seen == [str(child)] and history(case_file, child) == ["Registered"]


# ---- Vaka's own events ----

def _deadline(case_file: CaseFile, child: UUID) -> dict[str, str]:
    police = next(c for c in case_file.clocks(case_file.get_case(child))
                  if c.rule_id == "missing.police_report")
    return {"clock_id": police.clock_id, "rule_id": police.rule_id, "due": police.due.isoformat()}


def test_a_system_event_is_recorded_by_the_system_actor(case_file: CaseFile, child: UUID) -> None:
    case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW)
    fields = _deadline(case_file, child)
    entry = case_file.record_system(child, "DeadlineMissed", fields,
                                    LAST_SEEN + timedelta(hours=24), "due|x")
    assert entry is not None and entry.actor == Actor.system()
    police = next(c for c in case_file.clocks(case_file.get_case(child))
                  if c.clock_id == fields["clock_id"])
    assert police.status == "missed"


def test_recording_the_same_system_event_twice_is_a_no_op(case_file: CaseFile, child: UUID) -> None:
    case_file.record(child, "ReportedMissing", missing_fields(), CASEWORKER, NOW)
    fields = _deadline(case_file, child)
    case_file.record_system(child, "DeadlineMissed", fields, LAST_SEEN, "due|x")
    again = case_file.record_system(child, "DeadlineMissed", fields, LAST_SEEN, "due|x")
    assert again is None
    assert history(case_file, child) == ["Registered", "ReportedMissing", "DeadlineMissed"]


def test_clocks_carry_the_case_files_policy_version(child: UUID, case_file: CaseFile) -> None:
    versions = {c.policy_version for c in case_file.clocks(case_file.get_case(child))}
    assert versions == {case_file.policy.version}


def test_a_case_file_with_another_policy_computes_with_it() -> None:
    rules = default_rules()
    rules["arrival.guardian"]["due_after"] = "1d"
    case_file = in_memory_case_file(custom_policy(rules, version="test-2"))
    child = case_file.register(registration(), CASEWORKER, NOW).child_id
    guardian = next(c for c in case_file.clocks(case_file.get_case(child))
                    if c.rule_id == "arrival.guardian")
    assert (guardian.due, guardian.policy_version) == (at("2026-03-02T00:00:00+01:00"), "test-2")


def test_registration_of_a_child_born_today_is_allowed(case_file: CaseFile) -> None:
    recorded = case_file.register(
        registration(date_of_birth=NOW.date().isoformat(),
                     arrived_at=(NOW - timedelta(hours=1)).isoformat()), CASEWORKER, NOW)
    assert case_file.get_case(recorded.child_id).state.date_of_birth == date(2026, 3, 10)
