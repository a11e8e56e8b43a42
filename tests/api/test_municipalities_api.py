"""Children, transfers, users and lists name one of Sweden's 290 municipalities: typed in
any case and with or without diacritics, stored by the official name and code; an unknown
name is refused with the nearest names and records nothing. What is already stored is read
as it is. Both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.child_case import ChildCase
from domain.entries import Actor
from tests.api.people import People, problem_fields
from vaka.bootstrap import Services
from vaka.users import UserError


@pytest.fixture
def people(services: Services) -> Iterator[People]:
    with TestClient(create_app(services)) as client:
        found = People(services, client)
        found.add("anna", "caseworker", "malmo")
        found.add("admin", "admin", None)
        yield found


def test_a_user_is_stored_with_the_official_name_and_code(people: People) -> None:
    anna = people.services.users.get(people.ids["anna"])
    assert anna is not None and (anna.municipality, anna.municipality_code) == ("Malmö", "1280")


def test_a_user_of_no_municipality_of_sweden_is_refused_with_the_nearest_names(
        people: People) -> None:
    with pytest.raises(UserError, match="did you mean Stockholm"):
        people.services.users.add("x", "caseworker", "Stokholm")


def test_a_child_registered_in_malmo_typed_plainly_is_malmos(people: People) -> None:
    child_id = people.register("anna", municipality="MALMO")
    child = people.get("anna", f"/children/{child_id}").json()
    assert (child["municipality"], child["municipality_code"]) == ("Malmö", "1280")


def test_a_registration_in_no_municipality_of_sweden_is_refused_and_records_nothing(
        people: People) -> None:
    response = people.post("anna", "/children", {
        "arrived_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
        "date_of_birth": "2011-04-02", "date_of_birth_basis": "stated",
        "municipality": "Malmoe"})
    assert response.status_code == 422 and problem_fields(response) == ["municipality"]
    assert "did you mean Malmö" in response.json()["errors"][0]["problem"]
    assert people.get("admin", "/children").json()["items"] == []


def test_a_transfer_names_a_municipality_of_sweden(people: People) -> None:
    child_id = people.register("anna")
    refused = people.post("anna", f"/children/{child_id}/events", {
        "type": "ResponsibilityTransferred", "to": "municipality", "municipality": "Bench"})
    assert refused.status_code == 422 and problem_fields(refused) == ["municipality"]
    people.record("anna", child_id, "ResponsibilityTransferred", to="municipality",
                  municipality="goteborg")
    assert people.get("admin", f"/children/{child_id}").json()["municipality"] == "Göteborg"


def test_a_list_filter_names_a_municipality_the_same_way(people: People) -> None:
    child_id = people.register("anna")
    step = people.services.projector().step
    while step():
        pass
    found = people.get("admin", "/children", municipality="malmö").json()["items"]
    assert [c["child_id"] for c in found] == [child_id]
    refused = people.get("admin", "/children", municipality="Malmoe")
    assert refused.status_code == 422 and problem_fields(refused) == ["municipality"]


def test_a_case_file_stored_with_free_text_is_still_read(people: People) -> None:
    """Written before the register: never refused on reading, shown as it was written."""
    child_id = uuid4()
    arrived = datetime.now(UTC) - timedelta(days=2)
    case = ChildCase.open(child_id, {"arrived_at": arrived.isoformat(),
                                     "date_of_birth": "2011-04-02",
                                     "date_of_birth_basis": "stated", "municipality": "Bench"},
                          arrived, Actor("someone", "caseworker"), None, None)
    people.services.case_file.save(case)
    response = people.get("admin", f"/children/{child_id}")
    assert response.status_code == 200
    assert (response.json()["municipality"], response.json()["municipality_code"]) == \
        ("Bench", None)


def test_a_user_and_a_case_file_typed_before_the_register_meet_under_the_official_name(
        people: People) -> None:
    """Both typed "Malmo" once: the user is renamed Malmö at start-up, the case file reads
    as Malmö's, so the caseworker still sees the child."""
    with people.services.db.transaction() as tx:
        tx.execute("INSERT INTO users (user_id, name, email, role, municipality, active,"
                   " created_at) VALUES ('old-1', 'Old', NULL, 'caseworker', 'malmo', 1,"
                   " '2025-01-01T00:00:00.000000Z')")
    assert people.services.users.adopt_official_names() == 1
    assert people.services.users.adopt_official_names() == 0
    people.ids["old"], people.tokens["old"] = "old-1", people.services.users.issue_token("old-1")
    child_id = uuid4()
    arrived = datetime.now(UTC) - timedelta(days=2)
    people.services.case_file.save(ChildCase.open(
        child_id, {"arrived_at": arrived.isoformat(), "date_of_birth": "2011-04-02",
                   "date_of_birth_basis": "stated", "municipality": "Malmo"},
        arrived, Actor("old-1", "caseworker"), None, None))
    response = people.get("old", f"/children/{child_id}")
    assert response.status_code == 200 and response.json()["municipality"] == "Malmö"
