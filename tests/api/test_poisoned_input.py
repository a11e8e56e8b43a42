"""Bad input is refused at the edge, names the field, changes nothing, and is never a 500.
Over HTTP in process, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from tests.support.event_bodies import TextField, registration, text_fields, with_text
from vaka.bootstrap import Services

POISON = {
    "nul": "Strömsund\u0000",
    "escape": "a\u001b[31mb",
    "delete": "a\u007f",
    "lone_surrogate": "a\ud800b",
    "trailing_surrogate": "\udfff",
    "bell": "\u0007",
    "too_long": "x" * 4001,
}
# Characters from every plane and category, lone surrogates and controls included.
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=60)


class As:
    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, content=_json(body), headers=self._json)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params=params, headers=self.headers)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, content=_json(body), headers=self._json)

    @property
    def _json(self) -> dict[str, str]:
        return {**self.headers, "Content-Type": "application/json"}


def _json(body: Any) -> str:
    """JSON as a client sends it: lone surrogates travel as \\uD800 escapes."""
    return json.dumps(body, ensure_ascii=True)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as test_client:
        yield test_client


@pytest.fixture
def caseworker(services: Services, client: TestClient) -> As:
    user = services.users.add("Sara", "caseworker", "Malmö", "sara@example.org")
    return As(client, services.users.issue_token(user.user_id))


@pytest.fixture
def child(caseworker: As) -> str:
    response = caseworker.post("/children", registration())
    assert response.status_code == 201, response.text
    return str(response.json()["child_id"])


REGISTERED = 2  # the registration, and the registering caseworker assigned


def _post(caseworker: As, child: str, field: TextField, text: str) -> Any:
    if field.event_type == "Registered":
        return caseworker.post("/children", with_text(field, text))
    return caseworker.post(f"/children/{child}/events", with_text(field, text))


def _named(response: Any) -> set[str]:
    return {e["field"].split("[")[0] for e in response.json().get("errors", [])}


def _history(caseworker: As, child: str) -> int:
    return len(caseworker.get(f"/children/{child}/history").json())


@pytest.mark.parametrize("kind", sorted(POISON))
def test_every_text_field_of_every_event_type_refuses_poison_and_names_it(
        caseworker: As, child: str, kind: str) -> None:
    refused = []
    for field in text_fields():
        response = _post(caseworker, child, field, POISON[kind])
        assert response.status_code == 422, (field, response.text)
        assert field.name in _named(response), (field, response.text)
        refused.append((field.event_type, field.name))
    assert {("MunicipalityAssigned", "municipality"), ("ResponsibilityTransferred",
            "municipality"), ("ReportedMissing", "place"), ("PolicePackUpdated", "description"),
            ("Registered", "languages"), ("CaseworkerAssigned", "caseworker_id")} <= set(refused)
    assert _history(caseworker, child) == REGISTERED


@pytest.mark.parametrize("kind", sorted(POISON))
def test_the_reason_and_a_correction_refuse_poison_too(
        caseworker: As, child: str, kind: str) -> None:
    bad = POISON[kind]
    for body, field in [
        ({"type": "GuardianAppointed", "name": "G", "reason": bad}, "reason"),
        ({"type": "Corrected", "entry": 1, "reason": "typo",
          "fields": {"municipality": bad}}, "municipality"),
        ({"type": "Corrected", "entry": 1, "reason": "typo", "fields": {bad: "x"}}, "fields"),
        ({"type": bad}, "type"),
    ]:
        response = caseworker.post(f"/children/{child}/events", body)
        assert response.status_code == 422, (body, response.text)
        assert any(name.startswith(field) for name in _named(response)), response.text
    assert caseworker.post("/children", registration(reason=bad)).status_code == 422
    assert _history(caseworker, child) == REGISTERED


def test_newlines_and_tabs_are_kept_in_free_text_and_nothing_downstream_chokes(
        services: Services, caseworker: As, child: str) -> None:
    note = "Hörde av sig från Göteborg.\r\n\tTelefon: okänd"
    response = caseworker.post(f"/children/{child}/events", {
        "type": "PolicePackUpdated", "description": note, "interests": "fotboll\nmusik"})
    assert response.status_code == 201, response.text
    assert response.json()["entry"]["fields"]["description"] == note.replace("\r\n", "\n")
    for step in (services.projector().step, services.notifier().step):
        while step():
            pass
    assert services.quarantine().list() == []


@pytest.mark.parametrize("path, params, field", [
    ("/clocks", {"municipality": "Malm\u0000ö"}, "municipality"),
    ("/clocks", {"rule_id": "a\u001bb"}, "rule_id"),
    ("/overview/missing", {"caseworker_id": "\u0000"}, "caseworker_id"),
    ("/clocks", {"offset": 10**20}, "offset"),
    ("/notifications", {"offset": 2**63}, "offset"),
    ("/overview/clocks", {"offset": -1}, "offset"),
    ("/figures", {"from": "0001-01-01", "to": "2026-01-01"}, "from"),
    ("/figures", {"from": "2026-01-01", "to": "9999-12-31"}, "to"),
    ("/figures", {"from": "2026-01-01T00:00:00", "to": "2026-02-01"}, "from"),
])
def test_bad_query_text_paging_and_dates_are_named_not_500(
        caseworker: As, path: str, params: dict[str, Any], field: str) -> None:
    response = caseworker.get(path, **params)
    assert response.status_code == 422, response.text
    assert field in _named(response), response.text


def test_a_control_character_in_a_path_is_refused_before_any_route(caseworker: As) -> None:
    response = caseworker.client.post("/notifications/%00/read", headers=caseworker.headers)
    assert response.status_code == 422
    assert _named(response) == {"path"}


def test_a_webhook_address_too_long_to_keep_is_refused_and_preferences_stay_readable(
        caseworker: As) -> None:
    long_url = "https://hooks.example.org/" + "ö" * 1000  # grows to 6000 once encoded
    response = caseworker.put("/me/preferences", {"webhook_url": long_url,
                                                  "webhook_secret": "s" * 32})
    assert response.status_code == 422 and "webhook_url" in _named(response)
    fine = caseworker.put("/me/preferences", {"webhook_url": "https://hooks.example.org/ö",
                                              "webhook_secret": "s" * 32})
    assert fine.status_code == 200, fine.text
    shown = caseworker.get("/me/preferences")
    assert shown.status_code == 200
    assert shown.json()["webhook_url"].startswith("https://hooks.example.org/")
    assert "webhook_secret" not in shown.json()


def test_a_webhook_secret_with_a_control_character_is_refused(caseworker: As) -> None:
    response = caseworker.put("/me/preferences", {"webhook_url": "https://h.example.org/",
                                                  "webhook_secret": "s" * 20 + "\u0000"})
    assert response.status_code == 422 and "webhook_secret" in _named(response)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(field=st.sampled_from(text_fields()), text=ANY_TEXT)
def test_any_unicode_in_any_event_text_field_gets_an_answer_not_a_500(
        caseworker: As, child: str, field: TextField, text: str) -> None:
    response = _post(caseworker, child, field, text)
    assert response.status_code < 500, response.text


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["municipality", "caseworker_id", "rule_id", "status", "due_before",
                             "offset", "limit", "view", "unread"]),
       path=st.sampled_from(["/clocks", "/overview/clocks", "/overview/missing",
                             "/overview/birthdays", "/notifications", "/figures"]),
       text=ANY_TEXT)
def test_any_unicode_in_any_query_parameter_gets_an_answer_not_a_500(
        caseworker: As, name: str, path: str, text: str) -> None:
    query = quote(name) + "=" + quote(text.encode("utf-8", "surrogatepass"))
    response = caseworker.client.get(f"{path}?{query}", headers=caseworker.headers)
    assert response.status_code < 500, response.text
