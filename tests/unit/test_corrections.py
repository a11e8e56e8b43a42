"""Retracted and Corrected: the effective history after corrections drives state and clocks."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from domain import facts
from domain.entries import Entry, effective
from domain.errors import InvalidFields, TransitionRefused
from domain.judging import compute_clocks
from domain.recording import admit
from domain.state import fold
from domain.transitions import check_fits
from tests.support.history import (
    CASEWORKER,
    POLICY,
    at,
    clock,
    clocks,
    in_memory_case_file,
    miss,
    record,
    registered,
    report_missing,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
LAST_SEEN = at("2026-01-12T08:00:00+00:00")
REPORTED = LAST_SEEN + timedelta(hours=1)


def missing_case():  # type: ignore[no-untyped-def]
    case = registered(ARRIVED)
    report_missing(case, REPORTED, LAST_SEEN)  # entry 2
    return case


def retract(case, seq: int, when=REPORTED + timedelta(hours=2)):  # type: ignore[no-untyped-def]
    return record(case, "Retracted", when, reason="recorded on the wrong child", entry=seq)


def corrected(entries: list[Entry], seq: int, when, **fields) -> list[Entry]:  # type: ignore[no-untyped-def]
    """The history with a Corrected entry appended. Built by hand: the fact cannot be parsed
    from fields today (see test_a_correction_can_be_recorded_on_the_case_file)."""
    correction = Entry(
        seq=entries[-1].seq + 1, event_type="Corrected",
        fact=facts.Corrected(entry=seq, fields=fields), occurred_at=when, recorded_at=when,
        actor=CASEWORKER, reason="typo in the report",
    )
    return [*entries, correction]


def refuse(case, event_type: str, fact) -> None:  # type: ignore[no-untyped-def]
    """The guard as CaseFile.record calls it: the current state and the full history."""
    check_fits(fold(str(case.id), case.effective_entries), case.entries, event_type, fact)




def test_retracting_reported_missing_removes_the_missing_overlay() -> None:
    case = missing_case()
    retract(case, 2)
    assert fold(str(case.id), case.effective_entries).missing is None


def test_retracting_reported_missing_removes_its_clocks() -> None:
    case = missing_case()
    assert any(c.rule_id.startswith("missing.") for c in clocks(case))
    retract(case, 2)
    assert [c.rule_id for c in clocks(case) if c.rule_id.startswith("missing.")] == []


def test_retracted_entries_and_the_retractions_drop_out_of_the_effective_history() -> None:
    case = missing_case()
    retract(case, 2)
    assert [e.event_type for e in case.effective_entries] == ["Registered"]
    assert len(case.entries) == 3  # nothing is deleted from the case file


def test_a_deadline_miss_for_a_retracted_disappearance_opens_no_search_review() -> None:
    case = missing_case()
    miss(case, clock(case, "missing.search_review@2"))
    retract(case, 2, REPORTED + timedelta(hours=30))
    assert [c.rule_id for c in clocks(case) if c.rule_id.startswith("missing.")] == []


def test_retracting_case_closed_reopens_the_clocks_it_cancelled() -> None:
    case = registered(ARRIVED)
    closed = record(case, "CaseClosed", ARRIVED + timedelta(days=1), closure="moved")
    assert clock(case, "arrival.guardian@1").status == "cancelled"
    retract(case, closed.seq, ARRIVED + timedelta(days=1, hours=1))
    assert clock(case, "arrival.guardian@1").status == "open"
    assert fold(str(case.id), case.effective_entries).stage == "arrived"


def test_the_registration_cannot_be_retracted() -> None:
    with pytest.raises(TransitionRefused, match="registration"):
        refuse(missing_case(), "Retracted", facts.Retracted(entry=1))


def _case_file_with_a_retraction():  # type: ignore[no-untyped-def]
    """A case file (in memory) whose entry 2, ReportedMissing, is retracted by entry 3."""
    case_file = in_memory_case_file()
    now = REPORTED + timedelta(hours=3)
    child = case_file.register(
        {"arrived_at": ARRIVED.isoformat(), "date_of_birth": "2011-05-20",
         "date_of_birth_basis": "stated", "municipality": "Malmö"}, CASEWORKER, now).child_id
    case_file.record(child, "ReportedMissing", {"last_seen_at": LAST_SEEN.isoformat(),
                                                "place": "home", "seen_by": "staff"},
                     CASEWORKER, now, occurred_at=REPORTED)
    case_file.record(child, "Retracted", {"entry": 2}, CASEWORKER, now, reason="wrong child")
    return case_file, child, now


def test_an_entry_cannot_be_retracted_twice() -> None:
    case_file, child, now = _case_file_with_a_retraction()
    with pytest.raises(TransitionRefused, match="already retracted"):
        case_file.record(child, "Retracted", {"entry": 2}, CASEWORKER, now, reason="again")


def test_a_retraction_cannot_itself_be_retracted() -> None:
    case_file, child, now = _case_file_with_a_retraction()
    with pytest.raises(TransitionRefused, match="recorded by a person"):
        case_file.record(child, "Retracted", {"entry": 3}, CASEWORKER, now, reason="undo")


def test_an_entry_already_retracted_cannot_be_retracted_again() -> None:
    case = missing_case()
    retract(case, 2)
    with pytest.raises((InvalidFields, TransitionRefused)):
        refuse(case, "Retracted", facts.Retracted(entry=2))


def test_a_retraction_naming_no_entry_of_the_case_is_refused_on_the_entry_field() -> None:
    with pytest.raises(InvalidFields) as refused:
        refuse(missing_case(), "Retracted", facts.Retracted(entry=99))
    assert [p.field for p in refused.value.problems] == ["entry"]


def test_an_entry_recorded_by_vaka_itself_cannot_be_retracted() -> None:
    case = missing_case()
    missed = miss(case, clock(case, "missing.police_report@2"))
    with pytest.raises(TransitionRefused, match="recorded by a person"):
        refuse(case, "Retracted", facts.Retracted(entry=missed.seq))


def test_a_correction_must_still_give_valid_fields_for_the_corrected_entry() -> None:
    case = missing_case()
    with pytest.raises(InvalidFields) as refused:
        admit(str(case.id), fold(str(case.id), case.effective_entries), case.entries,
              "Corrected", facts.Corrected(entry=2, fields={"last_seen_at": "last tuesday"}),
              REPORTED, REPORTED, POLICY)
    assert [p.field for p in refused.value.problems] == ["last_seen_at"]


def test_correcting_last_seen_at_moves_the_police_report_due() -> None:
    case = missing_case()
    new_last_seen = LAST_SEEN - timedelta(hours=5)
    entries = corrected(case.entries, 2, REPORTED + timedelta(hours=1),
                        last_seen_at=new_last_seen.isoformat())
    police = next(c for c in compute_clocks("c", effective(entries), POLICY)
                  if c.clock_id == "missing.police_report@2")
    assert police.due == new_last_seen + timedelta(hours=24)
    assert police.reminders[0] == new_last_seen + timedelta(hours=2)


def test_a_corrected_entry_keeps_the_fields_it_did_not_correct() -> None:
    case = missing_case()
    entries = corrected(case.entries, 2, REPORTED + timedelta(hours=1), place="the station")
    fact = effective(entries)[1].fact
    assert (fact.place, fact.last_seen_at, fact.seen_by) == (
        "the station", LAST_SEEN, "night staff")


def test_a_later_correction_of_the_same_field_wins() -> None:
    case = missing_case()
    entries = corrected(case.entries, 2, REPORTED, place="first guess")
    entries = corrected(entries, 2, REPORTED, place="second guess")
    assert effective(entries)[1].fact.place == "second guess"


def test_correcting_the_date_of_birth_moves_the_eighteenth_birthday_clock() -> None:
    case = registered(ARRIVED)
    entries = corrected(case.entries, 1, ARRIVED + timedelta(hours=1),
                        date_of_birth="2010-10-10")
    birthday = next(c for c in compute_clocks("c", effective(entries), POLICY)
                    if c.rule_id == "age.eighteenth_birthday")
    assert birthday.due == at("2028-10-10T00:00:00+02:00")


def test_a_correction_can_be_recorded_on_the_case_file() -> None:
    case = missing_case()
    entry = record(case, "Corrected", REPORTED + timedelta(hours=1), reason="typo",
                   entry=2, fields={"place": "the station"})
    assert entry.fact == facts.Corrected(entry=2, fields={"place": "the station"})


def test_a_miss_for_the_old_due_does_not_stand_once_a_correction_moves_the_due_later() -> None:
    case = missing_case()
    miss(case, clock(case, "missing.police_report@2"))
    later_last_seen = LAST_SEEN + timedelta(hours=20)  # the first time was a typo
    entries = corrected(case.entries, 2, LAST_SEEN + timedelta(hours=25),
                        last_seen_at=later_last_seen.isoformat())
    police = next(c for c in compute_clocks("c", effective(entries), POLICY)
                  if c.clock_id == "missing.police_report@2")
    assert police.due == later_last_seen + timedelta(hours=24)
    assert police.status == "open"


def test_entries_keep_their_envelope_through_a_correction() -> None:
    case = missing_case()
    original = case.entries[1]
    entries = corrected(case.entries, 2, REPORTED, place="the station")
    after = effective(entries)[1]
    assert dataclasses.replace(after, fact=original.fact) == original
