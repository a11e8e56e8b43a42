"""Who may read /metrics: loopback callers with no proxy in between, and otherwise only the
metrics token or an admin's token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_settings
from tests.support.metrics import Scrape
from vaka.bootstrap import Services, build
from web.app import create_app

LOOPBACK = ("127.0.0.1", 50000)
ELSEWHERE = ("203.0.113.7", 50000)


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    svc = build(make_settings(tmp_path, metrics_token="scrape-secret-123"))
    yield svc
    svc.close()


def _client(services: Services, caller: tuple[str, int]) -> TestClient:
    return TestClient(create_app(services), client=caller)


def test_a_loopback_caller_reads_the_metrics_without_a_token(services: Services) -> None:
    response = _client(services, LOOPBACK).get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "vaka_log_head" in Scrape(response.text).names


def test_a_caller_from_elsewhere_needs_a_token(services: Services) -> None:
    response = _client(services, ELSEWHERE).get("/metrics")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "vaka_" not in response.text


def test_a_request_forwarded_by_a_proxy_on_loopback_needs_a_token(services: Services) -> None:
    response = _client(services, LOOPBACK).get("/metrics",
                                               headers={"X-Forwarded-For": "198.51.100.4"})
    assert response.status_code == 401


def test_the_metrics_token_reads_the_metrics_from_elsewhere(services: Services) -> None:
    response = _client(services, ELSEWHERE).get(
        "/metrics", headers={"Authorization": "Bearer scrape-secret-123"})
    assert response.status_code == 200


def test_an_admin_reads_the_metrics_and_a_caseworker_may_not(services: Services) -> None:
    admin = services.users.add("Admin", "admin")
    caseworker = services.users.add("Cw", "caseworker", "Malmö")
    client = _client(services, ELSEWHERE)
    as_admin = client.get("/metrics", headers={
        "Authorization": f"Bearer {services.users.issue_token(admin.user_id)}"})
    as_caseworker = client.get("/metrics", headers={
        "Authorization": f"Bearer {services.users.issue_token(caseworker.user_id)}"})
    assert as_admin.status_code == 200
    assert as_caseworker.status_code == 403
