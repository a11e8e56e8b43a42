"""The HTTP contract, in process over ASGI, on SQLite and PostgreSQL: tokens, roles,
problem answers for bad input that change nothing, idempotency and version checks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from vaka.bootstrap import Services

PROBLEM = "application/problem+json"


class Session:
    def __init__(self, client: TestClient, token: str, user_id: str) -> None:
        self.client = client
        self.user_id = user_id
        self.headers = {"Authorization": f"Bearer {token}"}

    def post(self, path: str, body: Any, **headers: str):  # type: ignore[no-untyped-def]
        return self.client.post(path, json=body, headers={**self.headers, **headers})

    def get(self, path: str, **params: Any):  # type: ignore[no-untyped-def]
        return self.client.get(path, params=params, headers=self.headers)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


def _session(services: Services, client: TestClient, role: str, municipality: str | None,
             email: str | None = None) -> Session:
    user = services.users.add(f"{role} of {municipality}", role, municipality, email)
    return Session(client, services.users.issue_token(user.user_id), user.user_id)


@pytest.fixture
def caseworker(services: Services, client: TestClient) -> Session:
    return _session(services, client, "caseworker", "Malmö")


def _arrival(**overrides: Any) -> dict[str, Any]:
    body = {"arrived_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
            "date_of_birth": "2011-04-02", "date_of_birth_basis": "stated",
            "municipality": "Malmö", "given_name": "Amina", "languages": ["dari"]}
    body.update(overrides)
    return body


def _child(caseworker: Session) -> str:
    response = caseworker.post("/children", _arrival())
    assert response.status_code == 201, response.text
    return str(response.json()["child_id"])


def _history_length(session: Session, child_id: str) -> int:
    return len(session.get(f"/children/{child_id}/history").json())


def test_every_endpoint_but_health_needs_a_bearer_token(client: TestClient) -> None:
    assert client.get("/health").status_code == 200
    for method, path in [("get", "/clocks"), ("get", "/notifications"),
                         ("post", "/children"), ("get", "/children/" + "0" * 32)]:
        response = getattr(client, method)(path)
        assert response.status_code == 401
        assert response.headers["content-type"] == PROBLEM
    bad = client.get("/clocks", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


def test_a_caseworker_sees_only_their_own_municipality(
        services: Services, client: TestClient, caseworker: Session) -> None:
    child_id = _child(caseworker)
    elsewhere = _session(services, client, "caseworker", "Lund")
    assert elsewhere.get(f"/children/{child_id}").status_code == 404
    assert elsewhere.post(f"/children/{child_id}/events",
                          {"type": "GuardianAppointed", "name": "X"}).status_code == 404
    assert elsewhere.post("/children", _arrival()).status_code == 403
    assert elsewhere.get("/clocks", municipality="Malmö").status_code == 403


def test_an_admin_reads_but_does_not_record(services: Services, client: TestClient,
                                            caseworker: Session) -> None:
    child_id = _child(caseworker)
    admin = _session(services, client, "admin", None)
    assert admin.get(f"/children/{child_id}").status_code == 200
    refused = admin.post(f"/children/{child_id}/events", {"type": "GuardianAppointed",
                                                          "name": "X"})
    assert refused.status_code == 403


@pytest.mark.parametrize("body, field", [
    ({"type": "ReportedMissing", "place": "x", "seen_by": "y"}, "last_seen_at"),
    ({"type": "ReportedMissing", "last_seen_at": "yesterday", "place": "x", "seen_by": "y"},
     "last_seen_at"),
    ({"type": "ReportedMissing", "last_seen_at": "2026-01-01T10:00:00", "place": "x",
      "seen_by": "y"}, "last_seen_at"),
    ({"type": "Placed", "placement_type": "castle", "legal_basis": "SoL"}, "placement_type"),
    ({"type": "ContactAdded", "role": "school", "name": "S", "email": "not-an-address"},
     "email"),
    ({"type": "GuardianAppointed", "name": "G", "shoe_size": 42}, "shoe_size"),
    ({"name": "G"}, "type"),
    ({"type": "GuardianAppointed", "name": "G", "expected_version": "two"}, "expected_version"),
])
def test_malformed_fields_are_named_and_change_nothing(
        caseworker: Session, body: dict[str, Any], field: str) -> None:
    child_id = _child(caseworker)
    before = _history_length(caseworker, child_id)
    response = caseworker.post(f"/children/{child_id}/events", body)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert field in [e["field"] for e in response.json()["errors"]]
    assert _history_length(caseworker, child_id) == before


def test_a_problem_never_echoes_the_submitted_value(caseworker: Session) -> None:
    child_id = _child(caseworker)
    response = caseworker.post(f"/children/{child_id}/events", {
        "type": "ReportedMissing", "last_seen_at": "Secret-Place-Value", "place": "x",
        "seen_by": "y"})
    assert "Secret-Place-Value" not in response.text


@pytest.mark.parametrize("body, status", [
    ({"type": "Teleported"}, 422),
    ({"type": "DeadlineMissed", "clock_id": "x", "rule_id": "y",
      "due": "2026-01-01T00:00:00Z"}, 422),
    ({"type": "Found", "location": "sweden"}, 409),
    ({"type": "PoliceReportFiled"}, 409),
    ({"type": "GuardianAppointed", "name": "G", "occurred_at": "2999-01-01T00:00:00Z"}, 422),
])
def test_events_that_do_not_fit_are_refused_with_a_reason(
        caseworker: Session, body: dict[str, Any], status: int) -> None:
    child_id = _child(caseworker)
    before = _history_length(caseworker, child_id)
    response = caseworker.post(f"/children/{child_id}/events", body)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM and response.json()["detail"]
    assert _history_length(caseworker, child_id) == before


def test_an_unknown_child_is_404(caseworker: Session) -> None:
    response = caseworker.post("/children/9d2f8f43-5d67-4b5e-9d57-3f1c1c0b0f00/events",
                               {"type": "GuardianAppointed", "name": "G"})
    assert response.status_code == 404
    assert caseworker.get("/children/not-a-uuid").status_code == 422


def test_a_closed_case_takes_only_corrections(caseworker: Session) -> None:
    child_id = _child(caseworker)
    closed = caseworker.post(f"/children/{child_id}/events", {"type": "CaseClosed",
                                                              "closure": "moved"})
    refused = caseworker.post(f"/children/{child_id}/events", {"type": "GuardianAppointed",
                                                               "name": "G"})
    assert refused.status_code == 409
    seq = closed.json()["entry"]["seq"]
    reopened = caseworker.post(f"/children/{child_id}/events", {
        "type": "Retracted", "entry": seq, "reason": "closed the wrong case"})
    assert reopened.status_code == 201
    assert caseworker.get(f"/children/{child_id}").json()["stage"] == "arrived"


def test_registering_someone_already_18_is_refused(caseworker: Session) -> None:
    response = caseworker.post("/children", _arrival(date_of_birth="2000-01-01"))
    assert response.status_code == 422
    assert "18" in response.json()["detail"]


def test_a_stale_expected_version_gets_409_and_records_nothing(caseworker: Session) -> None:
    child_id = _child(caseworker)
    before = _history_length(caseworker, child_id)
    response = caseworker.post(f"/children/{child_id}/events", {
        "type": "GuardianAppointed", "name": "G", "expected_version": 7})
    assert response.status_code == 409
    assert _history_length(caseworker, child_id) == before


def test_a_retried_request_with_the_same_idempotency_key_returns_the_first_result(
        caseworker: Session) -> None:
    child_id = _child(caseworker)
    before = _history_length(caseworker, child_id)
    body = {"type": "GuardianAppointed", "name": "G"}
    first = caseworker.post(f"/children/{child_id}/events", body, **{"Idempotency-Key": "k1"})
    again = caseworker.post(f"/children/{child_id}/events", body, **{"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert _history_length(caseworker, child_id) == before + 1
    other = caseworker.post(f"/children/{child_id}/events", {"type": "GuardianAppointed",
                                                             "name": "H"},
                            **{"Idempotency-Key": "k1"})
    assert other.status_code == 422


def test_the_registering_caseworker_becomes_the_childs_caseworker_unless_another_is_chosen(
        services: Services, client: TestClient, caseworker: Session) -> None:
    mine = caseworker.get(f"/children/{_child(caseworker)}").json()
    assert mine["caseworker"] == {"user_id": caseworker.user_id, "name": "caseworker of Malmö"}
    colleague = _session(services, client, "caseworker", "Malmö")
    chosen = caseworker.post("/children", _arrival(caseworker_id=colleague.user_id))
    assert chosen.status_code == 201, chosen.text
    view = caseworker.get(f"/children/{chosen.json()['child_id']}").json()
    assert view["caseworker"]["user_id"] == colleague.user_id
    elsewhere = _session(services, client, "caseworker", "Lund")
    refused = caseworker.post("/children", _arrival(caseworker_id=elsewhere.user_id))
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["caseworker_id"]


def test_a_retried_registration_registers_one_child(caseworker: Session) -> None:
    body = _arrival()
    first = caseworker.post("/children", body, **{"Idempotency-Key": "arrival-7"})
    again = caseworker.post("/children", body, **{"Idempotency-Key": "arrival-7"})
    assert first.json()["child_id"] == again.json()["child_id"]
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_the_child_view_shows_stage_missing_overlay_caseworker_contacts_and_clocks(
        caseworker: Session) -> None:
    child_id = _child(caseworker)
    last_seen = datetime.now(UTC) - timedelta(hours=3)
    for body in [
        {"type": "ContactAdded", "role": "school", "name": "Skolan", "email": "s@example.org"},
        {"type": "ReportedMissing", "last_seen_at": last_seen.isoformat(), "place": "x",
         "seen_by": "y"},
    ]:
        assert caseworker.post(f"/children/{child_id}/events", body).status_code == 201
    view = caseworker.get(f"/children/{child_id}").json()
    assert view["stage"] == "arrived"
    assert datetime.fromisoformat(view["missing"]["since"]) == last_seen
    assert view["caseworker"]["user_id"] == caseworker.user_id
    assert [c["role"] for c in view["contacts"]] == ["school"]
    police = next(c for c in view["clocks"] if c["rule_id"] == "missing.police_report")
    assert police["status"] == "open"
    assert datetime.fromisoformat(police["due"]) == last_seen + timedelta(hours=24)
    history = caseworker.get(f"/children/{child_id}/history").json()
    assert [e["type"] for e in history] == ["Registered", "CaseworkerAssigned", "ContactAdded",
                                           "ReportedMissing"]
    assert all(e["actor"]["user_id"] == caseworker.user_id for e in history)


def test_the_worklist_is_ordered_by_due_instant_and_filtered(
        services: Services, caseworker: Session) -> None:
    ids = [_child(caseworker) for _ in range(3)]
    for hours, child_id in zip([5, 20, 12], ids, strict=True):
        caseworker.post(f"/children/{child_id}/events", {
            "type": "ReportedMissing", "place": "x", "seen_by": "y",
            "last_seen_at": (datetime.now(UTC) - timedelta(hours=hours)).isoformat()})
    projector = services.projector()
    while projector.step():
        pass
    page = caseworker.get("/clocks", status="open", rule_id="missing.police_report").json()
    assert [c["child_id"] for c in page["items"]] == [ids[1], ids[2], ids[0]]
    soon = datetime.now(UTC) + timedelta(hours=8)
    due_soon = caseworker.get("/clocks", status="open", rule_id="missing.police_report",
                              due_before=soon.isoformat()).json()
    assert [c["child_id"] for c in due_soon["items"]] == [ids[1]]
    assert caseworker.get("/clocks", status="bogus").status_code == 422


def test_times_in_answers_carry_the_stockholm_offset(caseworker: Session) -> None:
    child_id = _child(caseworker)
    view = caseworker.get(f"/children/{child_id}").json()
    birthday = next(c for c in view["clocks"] if c["rule_id"] == "age.eighteenth_birthday")
    assert birthday["due"] == "2029-04-02T00:00:00+02:00"  # midnight in Stockholm, summer time
    arrival = caseworker.get(f"/children/{child_id}/history").json()[0]["occurred_at"]
    assert arrival.endswith(("+01:00", "+02:00"))


def test_children_are_listed_and_found_by_name_and_case_reference(
        services: Services, caseworker: Session) -> None:
    child_id = _child(caseworker)
    services.projector().step()
    listed = caseworker.get("/children").json()["items"]
    assert [c["child_id"] for c in listed] == [child_id]
    assert listed[0]["name"] == "Amina" and listed[0]["caseworker"]["name"]
    reference = listed[0]["reference"]
    for query in ("amina", reference.lower(), "2011-04-02"):
        found = caseworker.get("/children", q=query).json()["items"]
        assert [c["child_id"] for c in found] == [child_id], query
    assert caseworker.get("/children", q="nobody").json()["items"] == []
