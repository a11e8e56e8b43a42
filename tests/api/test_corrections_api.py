"""A correction through the API meets the checks its entry met: a caseworker corrected in
must be an active caseworker of the child's municipality, for a caseworker and an admin
alike; what is refused is a problem+json answer and records nothing. Both stores."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.people import People, problem_fields
from vaka.bootstrap import Services


@pytest.fixture
def people(services: Services) -> Iterator[People]:
    with TestClient(create_app(services)) as client:
        found = People(services, client)
        for name, role, municipality in [
                ("anna", "caseworker", "Malmö"), ("bo", "caseworker", "Malmö"),
                ("lena", "caseworker", "Lund"), ("sup", "supervisor", "Malmö"),
                ("admin", "admin", None)]:
            found.add(name, role, municipality)
        yield found


def _child_of_anna(people: People) -> tuple[str, int]:
    child_id = people.register("anna")
    assigned = next(e["seq"] for e in people.history(child_id)
                    if e["type"] == "CaseworkerAssigned")
    return child_id, assigned


def _correct(people: People, who: str, child_id: str, entry: int, **fields: object):  # type: ignore[no-untyped-def]
    return people.post(who, f"/children/{child_id}/events", {
        "type": "Corrected", "entry": entry, "fields": fields, "reason": "recorded wrongly"})


@pytest.mark.parametrize("who", ["anna", "admin"])
def test_a_caseworker_of_another_municipality_cannot_be_corrected_in(
        people: People, who: str) -> None:
    child_id, assigned = _child_of_anna(people)
    before = people.history(child_id)
    response = _correct(people, who, child_id, assigned, caseworker_id=people.ids["lena"])
    assert response.status_code == 422 and problem_fields(response) == ["caseworker_id"]
    assert people.history(child_id) == before


@pytest.mark.parametrize("who", ["anna", "admin"])
def test_a_made_up_caseworker_cannot_be_corrected_in(people: People, who: str) -> None:
    child_id, assigned = _child_of_anna(people)
    before = people.history(child_id)
    response = _correct(people, who, child_id, assigned, caseworker_id="someone-made-up")
    assert response.status_code == 422 and problem_fields(response) == ["caseworker_id"]
    assert people.history(child_id) == before


def test_a_deactivated_caseworker_cannot_be_corrected_in(people: People) -> None:
    child_id, assigned = _child_of_anna(people)
    people.services.users.deactivate(people.ids["bo"])
    response = _correct(people, "sup", child_id, assigned, caseworker_id=people.ids["bo"])
    assert response.status_code == 422 and problem_fields(response) == ["caseworker_id"]


def test_a_supervisor_cannot_be_corrected_in_as_caseworker(people: People) -> None:
    child_id, assigned = _child_of_anna(people)
    response = _correct(people, "anna", child_id, assigned, caseworker_id=people.ids["sup"])
    assert response.status_code == 422


def test_an_admin_corrects_in_a_caseworker_of_the_childs_municipality(people: People) -> None:
    child_id, assigned = _child_of_anna(people)
    response = _correct(people, "admin", child_id, assigned, caseworker_id=people.ids["bo"])
    assert response.status_code == 201, response.text
    child = people.get("bo", f"/children/{child_id}").json()
    assert child["caseworker"]["user_id"] == people.ids["bo"]


def test_a_registration_cannot_be_corrected_into_another_municipality_by_its_caseworker(
        people: People) -> None:
    child_id, _ = _child_of_anna(people)
    before = people.history(child_id)
    response = _correct(people, "anna", child_id, 1, municipality="Lund")
    assert response.status_code == 403
    assert people.history(child_id) == before


def test_a_registration_corrected_to_no_municipality_of_sweden_is_refused_with_a_suggestion(
        people: People) -> None:
    child_id, _ = _child_of_anna(people)
    response = _correct(people, "admin", child_id, 1, municipality="Malmoe")
    assert response.status_code == 422
    assert response.json()["errors"] == [{
        "field": "municipality",
        "problem": "names no municipality of Sweden; did you mean Malmö?"}]


def test_a_correction_that_no_longer_fits_the_case_before_its_entry_is_409(
        people: People) -> None:
    child_id, _ = _child_of_anna(people)
    applied = people.record("anna", child_id, "AsylumApplied")
    decision = people.record("anna", child_id, "DecisionIssued", outcome="rejected",
                             decided_at=people.history(child_id)[-1]["occurred_at"])
    people.record("anna", child_id, "Retracted", entry=applied, reason="wrong child")
    before = people.history(child_id)
    response = _correct(people, "anna", child_id, decision, outcome="granted",
                        permit_type="temporary")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert people.history(child_id) == before


def test_an_acknowledgement_of_a_clock_never_missed_is_refused(people: People) -> None:
    child_id, _ = _child_of_anna(people)
    response = people.post("sup", f"/children/{child_id}/events", {
        "type": "EscalationAcknowledged", "clock_id": "arrival.guardian@1"})
    assert response.status_code == 422 and problem_fields(response) == ["clock_id"]
