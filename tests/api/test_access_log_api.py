"""The access log through the API, on both stores: every kind of read of a child's data is
in it, with who, when, what and why; only auditors read it or export it (and the export is
itself logged); a read whose entry cannot be written is refused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.references import case_reference
from tests.support.readside import follow
from vaka.bootstrap import Services

NAME = "Amina"


class Town:
    """Malmö: a caseworker with a registered child, a supervisor, a head of unit, an admin
    and an auditor, each with a token."""

    def __init__(self, services: Services, client: TestClient) -> None:
        self.client = client
        self.ids: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        for role in ("caseworker", "supervisor", "head_of_unit", "admin", "auditor"):
            user = services.users.add(role, role, None if role in ("admin", "auditor")
                                      else "Malmö")
            self.ids[role] = user.user_id
            self.tokens[role] = services.users.issue_token(user.user_id)
        arrived = datetime.now(UTC) - timedelta(days=2)
        registered = client.post("/children", headers=self.as_("caseworker"), json={
            "arrived_at": arrived.isoformat(), "date_of_birth": "2011-04-02",
            "date_of_birth_basis": "stated", "municipality": "Malmö", "given_name": NAME,
            "family_name": "Rahimi"})
        assert registered.status_code == 201, registered.text
        self.child_id = str(registered.json()["child_id"])
        self.reference = case_reference(self.child_id)
        follow(services)

    def as_(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def log(self, **params: Any) -> list[dict[str, Any]]:
        response = self.client.get("/access-log", headers=self.as_("auditor"), params=params)
        assert response.status_code == 200, response.text
        return response.json()["items"]  # type: ignore[no-any-return]


@pytest.fixture
def town(services: Services) -> Iterator[Town]:
    with TestClient(create_app(services)) as client:
        yield Town(services, client)


TODAY = datetime.now(UTC).date()
READS = {
    "child": ("/children/{child}", {}),
    "history": ("/children/{child}/history", {}),
    "police_pack": ("/children/{child}/police-pack", {}),
    "search": ("/children", {"q": NAME}),
    "list": ("/children", {}),
}


@pytest.mark.parametrize("kind", list(READS))
@pytest.mark.parametrize("role", ["caseworker", "auditor"])
def test_every_read_of_a_child_is_in_the_log_with_who_what_and_why(
        town: Town, kind: str, role: str) -> None:
    path, params = READS[kind]
    response = town.client.get(path.format(child=town.child_id), headers=town.as_(role),
                               params=params)
    assert response.status_code == 200, response.text
    entries = town.log(child=town.reference, user_id=town.ids[role])
    assert [(e["kind"], e["child_id"], e["reference"], e["role"]) for e in entries] == [
        (kind, town.child_id, town.reference, role)]
    assert entries[0]["purpose"] == {"caseworker": "handläggning", "supervisor":
                                     "arbetsledning", "auditor": "granskning"}[role]
    assert entries[0]["at"].endswith(("+01:00", "+02:00"))  # Stockholm time
    assert NAME not in str(entries)


def test_an_export_of_figures_is_in_the_log(town: Town) -> None:
    response = town.client.get("/figures", headers=town.as_("supervisor"), params={
        "from": (TODAY - timedelta(days=30)).isoformat(),
        "to": (TODAY + timedelta(days=1)).isoformat(), "format": "csv"})
    assert response.status_code == 200, response.text
    assert [(e["kind"], e["subject"], e["child_id"]) for e in
            town.log(user_id=town.ids["supervisor"])] == [("export", "figures", None)]


def test_a_child_of_another_municipality_is_not_shown_and_so_not_logged(
        services: Services, town: Town) -> None:
    lund = services.users.add("Lund", "caseworker", "Lund")
    token = services.users.issue_token(lund.user_id)
    response = town.client.get(f"/children/{town.child_id}",
                               headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert town.log(user_id=lund.user_id) == []


@pytest.mark.parametrize("path", ["/access-log", "/access-log/export"])
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "head_of_unit", "admin"])
def test_only_an_auditor_reads_the_log(town: Town, path: str, role: str) -> None:
    response = town.client.get(path, headers=town.as_(role))
    assert response.status_code == 403, response.text
    assert response.json()["detail"] == "only an auditor reads the access log"
    assert town.log(user_id=town.ids[role]) == []  # a refused export is no export


def test_the_log_cannot_be_read_without_a_token(town: Town) -> None:
    assert town.client.get("/access-log").status_code == 401


def test_the_export_is_csv_in_stockholm_time_and_is_itself_logged(town: Town) -> None:
    town.client.get(f"/children/{town.child_id}", headers=town.as_("caseworker"))
    response = town.client.get("/access-log/export", headers=town.as_("auditor"),
                               params={"child": town.reference})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["kind"], r["user_id"], r["purpose"]) for r in rows] == [
        ("child", town.ids["caseworker"], "handläggning")]
    assert rows[0]["at"].endswith(("+01:00", "+02:00"))
    assert [(e["kind"], e["subject"]) for e in town.log(user_id=town.ids["auditor"])] == [
        ("export", "access_log")]


def test_the_log_is_paged_newest_first(town: Town) -> None:
    for _ in range(3):
        town.client.get(f"/children/{town.child_id}/history", headers=town.as_("caseworker"))
    town.client.get(f"/children/{town.child_id}", headers=town.as_("caseworker"))
    response = town.client.get("/access-log", headers=town.as_("auditor"), params={
        "child": town.reference, "limit": 2})
    body = response.json()
    assert [e["kind"] for e in body["items"]] == ["child", "history"]
    assert body["next_offset"] == 2


def test_a_filter_that_makes_no_sense_is_refused_naming_the_fields(town: Town) -> None:
    response = town.client.get("/access-log", headers=town.as_("auditor"), params={
        "child": NAME, "from": "2026-11-30", "to": "2026-11-01"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["child", "to"]
    assert NAME not in response.text


def test_a_read_that_cannot_be_logged_is_refused(services: Services, town: Town) -> None:
    with services.db.transaction() as tx:
        tx.execute("ALTER TABLE access_log RENAME TO access_log_away")
    for path in (f"/children/{town.child_id}", f"/children/{town.child_id}/history",
                 f"/children/{town.child_id}/police-pack", f"/children?q={NAME}"):
        response = town.client.get(path, headers=town.as_("caseworker"))
        assert response.status_code == 503, (path, response.text)
        assert response.json()["title"] == "Read not logged"
        assert NAME not in response.text and "2011-04-02" not in response.text
