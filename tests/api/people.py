"""People of two municipalities, each with a bearer token, and their requests over the API
in process; shared by the trust tests (corrections, municipalities, staff)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from vaka.bootstrap import Services

PROBLEM = "application/problem+json"


class People:
    def __init__(self, services: Services, client: TestClient) -> None:
        self.services = services
        self.client = client
        self.ids: dict[str, str] = {}
        self.tokens: dict[str, str] = {}

    def add(self, name: str, role: str, municipality: str | None = "Malmö") -> str:
        user = self.services.users.add(name, role, municipality, f"{name}@example.org")
        self.ids[name] = user.user_id
        self.tokens[name] = self.services.users.issue_token(user.user_id)
        return user.user_id

    def as_(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def post(self, who: str, path: str, body: Any = None) -> Response:
        return self.client.post(path, headers=self.as_(who), json=body)

    def get(self, who: str, path: str, **params: Any) -> Response:
        return self.client.get(path, headers=self.as_(who), params=params)

    def register(self, who: str, municipality: str = "Malmö") -> str:
        response = self.post(who, "/children", {
            "arrived_at": (datetime.now(UTC) - timedelta(days=3)).isoformat(),
            "date_of_birth": "2011-04-02", "date_of_birth_basis": "stated",
            "municipality": municipality})
        assert response.status_code == 201, response.text
        return str(response.json()["child_id"])

    def record(self, who: str, child_id: str, event_type: str, **fields: Any) -> int:
        response = self.post(who, f"/children/{child_id}/events", {"type": event_type, **fields})
        assert response.status_code == 201, response.text
        return int(response.json()["entry"]["seq"])

    def history(self, child_id: str, who: str = "admin") -> list[dict[str, Any]]:
        response = self.get(who, f"/children/{child_id}/history")
        assert response.status_code == 200, response.text
        return list(response.json())


def problem_fields(response: Response) -> list[str]:
    assert response.headers["content-type"] == PROBLEM
    return [e["field"] for e in response.json().get("errors") or []]
