"""Event fields: JSON-shaped data becomes typed facts, or InvalidFields naming every field."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain import facts
from domain.errors import InvalidFields, UnknownEventType
from domain.fields import to_json
from domain.text import LINE_MAX, TEXT_MAX


def problems(event_type: str, data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(InvalidFields) as refused:
        facts.parse_fact(event_type, data)
    return {p.field: p.problem for p in refused.value.problems}


def test_reported_missing_without_fields_names_every_required_field() -> None:
    assert set(problems("ReportedMissing", {})) == {"last_seen_at", "place", "seen_by"}


def test_all_field_problems_are_reported_at_once() -> None:
    found = problems("Registered", {"arrived_at": "soon", "date_of_birth": "15/03/2011",
                                    "date_of_birth_basis": "guessed"})
    assert set(found) == {"arrived_at", "date_of_birth", "date_of_birth_basis", "municipality"}


def test_an_instant_without_utc_offset_is_refused() -> None:
    found = problems("ReportedMissing", {"last_seen_at": "2026-01-12T08:00:00",
                                         "place": "p", "seen_by": "s"})
    assert list(found) == ["last_seen_at"] and "offset" in found["last_seen_at"]


def test_an_instant_that_is_not_iso_8601_is_refused() -> None:
    assert "last_seen_at" in problems("ReportedMissing", {"last_seen_at": "yesterday evening",
                                                          "place": "p", "seen_by": "s"})


def test_an_instant_with_an_offset_is_stored_in_utc() -> None:
    fact = facts.parse_fact("ReportedMissing", {"last_seen_at": "2026-07-12T10:00:00+02:00",
                                                "place": "p", "seen_by": "s"})
    assert fact.last_seen_at == datetime(2026, 7, 12, 8, 0, tzinfo=UTC)
    assert fact.last_seen_at.utcoffset().total_seconds() == 0


def test_a_z_suffix_is_read_as_utc() -> None:
    fact = facts.parse_fact("ReportedMissing", {"last_seen_at": "2026-01-12T08:00:00Z",
                                                "place": "p", "seen_by": "s"})
    assert fact.last_seen_at == datetime(2026, 1, 12, 8, 0, tzinfo=UTC)


def test_a_value_outside_a_choice_is_refused_with_the_choices() -> None:
    found = problems("Found", {"location": "mars"})
    assert "sweden" in found["location"] and "abroad" in found["location"]


def test_an_unknown_field_is_refused_by_name() -> None:
    assert problems("Found", {"location": "sweden", "found_by": "police"}) == {
        "found_by": "unknown field for this event type"}


def test_a_blank_text_field_is_refused() -> None:
    assert "place" in problems("ReportedMissing", {
        "last_seen_at": "2026-01-12T08:00:00Z", "place": "   ", "seen_by": "s"})


def test_a_single_line_field_longer_than_the_limit_is_refused() -> None:
    assert "place" in problems("Found", {"location": "sweden", "place": "x" * (LINE_MAX + 1)})


def test_free_text_may_be_longer_and_span_lines_but_has_a_limit_too() -> None:
    note = "Har kontakt med en kusin i Göteborg.\n\tTelefon okänd."
    fact = facts.parse_fact("SearchActionTaken", {"action": note, "taken_by": "Sara"})
    assert fact.action == note
    assert "action" in problems("SearchActionTaken", {"action": "x" * (TEXT_MAX + 1),
                                                      "taken_by": "Sara"})


@pytest.mark.parametrize("poison", [
    "Strömsund\u0000", "a\u001bb", "a\u007fb", "a\u0085b", "\ud800", "x\udfffy", "a\u2028b",
    "two\nlines", "tab\there", "cr\rhere",
])
def test_a_single_line_field_refuses_control_characters_line_breaks_and_lone_surrogates(
        poison: str) -> None:
    found = problems("MunicipalityAssigned", {"municipality": poison})
    assert set(found) == {"municipality"}
    assert poison not in found["municipality"]


@pytest.mark.parametrize("poison", ["a\u0000b", "a\u001bb", "\ud83d", "a\u0007"])
def test_free_text_refuses_control_characters_and_lone_surrogates(poison: str) -> None:
    assert "action" in problems("SearchActionTaken", {"action": poison, "taken_by": "Sara"})


def test_windows_line_ends_in_free_text_are_stored_as_plain_newlines() -> None:
    fact = facts.parse_fact("SearchActionTaken", {"action": "a\r\nb", "taken_by": "Sara"})
    assert fact.action == "a\nb"


def test_text_is_stored_composed_so_one_name_typed_two_ways_is_one_name() -> None:
    decomposed = "Malmo\u0308"
    fact = facts.parse_fact("MunicipalityAssigned", {"municipality": decomposed})
    assert fact.municipality == "Malmö"


def test_list_items_follow_the_same_text_rule_and_lists_are_bounded() -> None:
    assert "languages[1]" in problems("Registered", {
        "arrived_at": "2026-01-12T08:00:00Z", "date_of_birth": "2012-01-01",
        "date_of_birth_basis": "stated", "municipality": "Malmö",
        "languages": ["dari", "pa\u0000shto"]})
    assert "attendees" in problems("FollowUpHeld", {"area": "B1", "attendees": ["x"] * 51})


def test_an_entry_number_must_be_a_sane_integer() -> None:
    assert "entry" in problems("Retracted", {"entry": 10**30})
    assert "entry" in problems("Retracted", {"entry": -1})


def test_a_stored_entry_an_older_version_let_through_still_loads() -> None:
    fact = facts.parse_fact("MunicipalityAssigned", {"municipality": "Strömsund\u0000"},
                            strict=False)
    assert fact.municipality == "Strömsund\u0000"


def test_text_fields_are_trimmed() -> None:
    fact = facts.parse_fact("Found", {"location": "sweden", "place": "  Göteborg "})
    assert fact.place == "Göteborg"


def test_a_malformed_email_is_refused() -> None:
    assert "email" in problems("GuardianAppointed", {"name": "Anna", "email": "anna-at-home"})


def test_a_boolean_must_be_true_or_false_not_a_string() -> None:
    assert "guardian_present" in problems("TalkHeld", {"kind": "debrief",
                                                        "guardian_present": "yes"})


def test_an_entry_number_must_be_an_integer_not_a_boolean() -> None:
    assert "entry" in problems("Retracted", {"entry": True})


def test_a_list_field_refuses_a_bare_string() -> None:
    assert "factors" in problems("RiskAssessed", {"factors": "A1"})


def test_a_list_item_of_the_wrong_type_is_named_by_its_position() -> None:
    assert "factors[1]" in problems("RiskAssessed", {"factors": ["A1", 7]})


def test_null_counts_as_absent_for_an_optional_field() -> None:
    fact = facts.parse_fact("Found", {"location": "sweden", "place": None})
    assert fact.place is None


def test_defaults_fill_fields_left_out() -> None:
    fact = facts.parse_fact("TalkHeld", {"kind": "debrief"})
    assert (fact.child_response, fact.guardian_present) == ("accepted", False)


def test_a_date_is_parsed_from_yyyy_mm_dd() -> None:
    fact = facts.parse_fact("AgeAssessed", {"outcome": "new_date_of_birth",
                                            "date_of_birth": "2009-11-01"})
    assert fact.date_of_birth == date(2009, 11, 1)


def test_to_json_gives_canonical_utc_text_and_leaves_out_empty_optionals() -> None:
    fact = facts.parse_fact("ReportedMissing", {"last_seen_at": "2026-07-12T10:00:00+02:00",
                                                "place": "p", "seen_by": "s"})
    assert to_json(fact) == {"last_seen_at": "2026-07-12T08:00:00+00:00", "place": "p",
                             "seen_by": "s"}


def test_a_fact_survives_a_round_trip_through_json() -> None:
    fact = facts.parse_fact("Registered", {
        "arrived_at": "2026-01-10T10:00:00+01:00", "date_of_birth": "2011-05-20",
        "date_of_birth_basis": "assessed", "municipality": "Malmö", "languages": ["dari"]})
    assert facts.parse_fact("Registered", to_json(fact)) == fact


def test_an_unknown_event_type_is_refused_with_the_known_ones() -> None:
    with pytest.raises(UnknownEventType, match="ReportedMissing"):
        facts.parse_fact("RanAway", {})


@pytest.mark.parametrize("event_type", ["DeadlineMissed", "DeadlineReminded", "Turned18"])
def test_system_event_types_cannot_be_recorded_by_hand(event_type: str) -> None:
    with pytest.raises(UnknownEventType, match="by Vaka itself"):
        facts.parse_fact(event_type, {})


def test_system_event_types_parse_when_vaka_records_them() -> None:
    fact = facts.parse_fact("DeadlineMissed", {
        "clock_id": "missing.police_report@2", "rule_id": "missing.police_report",
        "due": "2026-01-13T08:00:00+00:00"}, system=True)
    assert fact.due == datetime(2026, 1, 13, 8, 0, tzinfo=UTC)
