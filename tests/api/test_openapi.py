"""The OpenAPI document tells a client everything it needs: every event type with its
fields, and every refusal as the problem+json that is really returned."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.problems import Problem
from domain import facts
from domain.schema import event_spec
from vaka.bootstrap import Services


@pytest.fixture
def client(sqlite_services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_services)) as test_client:
        yield test_client


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_every_event_type_is_a_schema_of_the_event_union(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    union = schemas["Event"]
    documented = set(union["discriminator"]["mapping"])
    assert documented == set(facts.CASEWORKER_FACTS) - {"Registered"}
    body = document["paths"]["/children/{child_id}/events"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Event"}


def test_each_event_schema_has_its_fields_types_choices_and_descriptions(
        document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for event_type in set(facts.CASEWORKER_FACTS) - {"Registered"}:
        schema = schemas[event_type]
        fields = {f.name: f for f in event_spec(event_type).fields}
        assert set(fields) <= set(schema["properties"]), event_type
        assert schema["properties"]["type"]["const"] == event_type
        assert {n for n, f in fields.items() if f.required} <= set(schema["required"])
        for name, spec in fields.items():
            documented = schema["properties"][name]
            assert documented["description"], (event_type, name)
            if spec.kind == "choice":
                assert documented["enum"] == list(spec.choices)
    missing = schemas["ReportedMissing"]["properties"]
    assert missing["last_seen_at"] == missing["last_seen_at"] | {"format": "date-time"}
    assert schemas["Placed"]["properties"]["placement_type"]["enum"] == [
        "hvb", "stodboende", "familjehem", "natverkshem", "jourhem"]


def test_every_operation_documents_its_refusals_as_problem_json(
        document: dict[str, Any]) -> None:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = {"422"} if path.startswith("/health") else {"401", "403", "404", "409",
                                                                  "422"}
            assert codes <= set(operation["responses"]), (method, path)
            for code in codes:
                content = operation["responses"][code]["content"]
                assert list(content) == ["application/problem+json"], (method, path, code)


def test_the_documented_problem_is_the_shape_really_returned(
        sqlite_services: Services, client: TestClient, document: dict[str, Any]) -> None:
    assert document["components"]["schemas"]["Problem"]["required"] == [
        "type", "title", "status", "detail"]
    caseworker = sqlite_services.users.add("Sara", "caseworker", "Malmö")
    auth = {"Authorization": f"Bearer {sqlite_services.users.issue_token(caseworker.user_id)}"}
    answers = [
        client.get("/clocks"),  # 401
        client.get("/clocks", params={"municipality": "Lund"}, headers=auth),  # 403
        client.get("/children/9d2f8f43-5d67-4b5e-9d57-3f1c1c0b0f00", headers=auth),  # 404
        client.post("/children", json={"municipality": "Malmö"}, headers=auth),  # 422
        client.get("/clocks", params={"offset": -1}, headers=auth),  # 422 (a parameter)
    ]
    assert [a.status_code for a in answers] == [401, 403, 404, 422, 422]
    for answer in answers:
        assert answer.headers["content-type"] == "application/problem+json"
        problem = Problem.model_validate(answer.json())
        assert problem.status == answer.status_code
    assert {e.field for e in Problem.model_validate(answers[3].json()).errors or []} >= {
        "arrived_at", "date_of_birth", "date_of_birth_basis"}


def test_the_docs_page_needs_nothing_from_the_internet(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
