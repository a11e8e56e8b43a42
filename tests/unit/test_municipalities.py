"""Municipalities come from SCB's register: 290 with their four-digit codes. A name is
found whatever its case, diacritics or hyphens; what is stored is the official name; an
unknown name is refused with the nearest names; a stored name is never refused."""

from __future__ import annotations

import pytest

from domain import municipalities
from domain.errors import InvalidField, InvalidFields
from domain.facts import parse_fact
from domain.municipalities import all_municipalities, official_name, recognise


def test_the_register_holds_swedens_290_municipalities_with_unique_codes() -> None:
    found = all_municipalities()
    assert len(found) == 290
    assert len({m.code for m in found}) == 290 and len({m.name for m in found}) == 290
    assert all(len(m.code) == 4 and m.code.isdigit() for m in found)


@pytest.mark.parametrize(("code", "name"), [
    ("0114", "Upplands Väsby"), ("1280", "Malmö"), ("0180", "Stockholm"),
    ("1480", "Göteborg"), ("2584", "Kiruna"), ("0331", "Heby"), ("0980", "Gotland")])
def test_official_codes_name_their_municipalities(code: str, name: str) -> None:
    assert recognise(code) == municipalities.Municipality(code, name)


def test_each_county_has_its_number_of_municipalities() -> None:
    per_county: dict[str, int] = {}
    for m in all_municipalities():
        per_county[m.code[:2]] = per_county.get(m.code[:2], 0) + 1
    assert per_county == {"01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12,
                          "09": 1, "10": 5, "12": 33, "13": 6, "14": 49, "17": 16, "18": 12,
                          "19": 10, "20": 15, "21": 10, "22": 7, "23": 8, "24": 15, "25": 14}


@pytest.mark.parametrize("typed", ["malmo", "MALMÖ", "Malmö", " malmö ", "Malmö", "1280"])
def test_a_name_is_found_whatever_its_case_and_diacritics(typed: str) -> None:
    assert official_name("municipality", typed) == "Malmö"


def test_hyphens_and_spaces_are_alike() -> None:
    assert official_name("municipality", "upplands bro") == "Upplands-Bro"
    assert official_name("municipality", "malung salen") == "Malung-Sälen"


def test_names_that_differ_only_by_diacritics_keep_their_exact_spelling() -> None:
    assert official_name("municipality", "habo") == "Habo"
    assert official_name("municipality", "HÅBO") == "Håbo"


def test_an_unknown_name_is_refused_with_the_nearest_names() -> None:
    with pytest.raises(InvalidField) as refused:
        official_name("municipality", "Stokholm")
    assert refused.value.field == "municipality"
    assert refused.value.problem.startswith(
        "names no municipality of Sweden; did you mean Stockholm")


def test_a_name_near_none_is_refused_with_how_to_name_one() -> None:
    with pytest.raises(InvalidField) as refused:
        official_name("municipality", "Atlantis")
    assert "four-digit code" in refused.value.problem


def test_the_refusal_suggests_names_in_swedish_too() -> None:
    from vaka.i18n import refusals

    with pytest.raises(InvalidField) as refused:
        official_name("municipality", "Malmoe")
    assert refusals.say_problem(refused.value, "sv") == \
        "är ingen kommun i Sverige; menade du Malmö?"


@pytest.mark.parametrize(("event_type", "fields"), [
    ("Registered", {"arrived_at": "2026-03-01T10:00:00+00:00", "date_of_birth": "2011-05-20",
                    "date_of_birth_basis": "stated"}),
    ("MunicipalityAssigned", {}),
    ("PlacementChanged", {"placement_type": "hvb", "legal_basis": "SoL"}),
    ("Found", {"location": "sweden"}),
    ("ResponsibilityTransferred", {"to": "municipality"}),
])
def test_every_municipality_field_of_every_event_takes_only_swedens(
        event_type: str, fields: dict[str, str]) -> None:
    assert parse_fact(event_type, {**fields, "municipality": "lund"}).municipality == "Lund"
    with pytest.raises(InvalidFields):
        parse_fact(event_type, {**fields, "municipality": "Bench"})


def test_a_stored_name_is_read_as_it_was_written_when_it_names_none() -> None:
    fact = parse_fact("MunicipalityAssigned", {"municipality": "Bench"}, strict=False)
    assert fact.municipality == "Bench"


def test_a_stored_name_that_names_one_is_read_as_the_official_name() -> None:
    """An older case file typed "Malmo": read now, it is Malmö's, not a silo of its own."""
    fact = parse_fact("MunicipalityAssigned", {"municipality": "Malmo"}, strict=False)
    assert fact.municipality == "Malmö"
