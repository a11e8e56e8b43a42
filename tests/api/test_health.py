"""/health/ready says, per dependency, what the API can reach: the database (required; with
each follower's position and lag), Temporal, and SMTP when configured. 503 only when a
required dependency is down; /health/live asks nothing of anyone."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import make_settings
from tests.support.casefile import register_child
from tests.support.smtp import smtp_server
from vaka.bootstrap import Services, build
from vaka.readside.tracking import save_position


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def ready(services: Services) -> tuple[int, dict[str, Any]]:
    with TestClient(create_app(services)) as client:
        response = client.get("/health/ready")
    return response.status_code, response.json()


def started(tmp_path: Path, database_url: str | None = None, **settings: Any) -> Services:
    return build(make_settings(tmp_path, database_url, **settings))


def test_ready_with_every_dependency_up_reports_each_of_them(
        tmp_path: Path, temporal_env) -> None:  # type: ignore[no-untyped-def]
    target = temporal_env.client.service_client.config.target_host
    services = started(tmp_path, temporal_address=target)
    try:
        status, body = ready(services)
    finally:
        services.close()
    assert status == 200
    assert body["status"] == "ready"
    assert body["dependencies"]["database"]["status"] == "up"
    assert body["dependencies"]["database"]["backend"] == "sqlite"
    assert body["dependencies"]["temporal"] == {
        "status": "up", "required": False, "address": target, "namespace": "default"}
    assert "smtp" not in body["dependencies"]  # not configured


def test_temporal_down_leaves_the_api_ready_but_degraded(
        tmp_path: Path, closed_port: int) -> None:
    services = started(tmp_path, temporal_address=f"127.0.0.1:{closed_port}")
    try:
        status, body = ready(services)
    finally:
        services.close()
    assert status == 200  # entries are still recorded; the relay catches up later
    assert body["status"] == "degraded"
    assert body["dependencies"]["temporal"]["status"] == "down"
    assert "connection refused" in body["dependencies"]["temporal"]["error"]


def test_each_followers_position_and_lag_behind_the_last_event_is_reported(
        tmp_path: Path, closed_port: int) -> None:
    services = started(tmp_path, temporal_address=f"127.0.0.1:{closed_port}")
    try:
        for _ in range(3):
            register_child(services.case_file)
        with services.db.transaction() as tx:
            save_position(tx, "relay", 1)
        _, body = ready(services)
    finally:
        services.close()
    database = body["dependencies"]["database"]
    assert database["last_event"] == 3
    assert database["followers"]["relay"] == {"position": 1, "lag": 2}


def test_a_database_that_is_gone_makes_the_api_unavailable(
        tmp_path: Path, postgres_url: str, postgres_admin: psycopg.Connection,
        closed_port: int) -> None:
    services = started(tmp_path, postgres_url, temporal_address=f"127.0.0.1:{closed_port}")
    try:
        name = postgres_url.rsplit("/", 1)[1]
        postgres_admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        status, body = ready(services)
    finally:
        services.close()
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["dependencies"]["database"]["status"] == "down"
    assert body["dependencies"]["database"]["required"] is True


def test_a_configured_smtp_server_is_reported(tmp_path: Path, closed_port: int) -> None:
    with smtp_server() as (_, port):
        services = started(tmp_path, temporal_address=f"127.0.0.1:{closed_port}",
                           smtp_host="127.0.0.1", smtp_port=port)
        try:
            _, body = ready(services)
        finally:
            services.close()
    assert body["dependencies"]["smtp"]["status"] == "up"
    assert body["dependencies"]["smtp"]["required"] is False


def test_liveness_asks_nothing_of_any_dependency(tmp_path: Path, closed_port: int) -> None:
    services = started(tmp_path, temporal_address=f"127.0.0.1:{closed_port}")
    with TestClient(create_app(services)) as client:
        services.close()  # the stores closed under it
        assert client.get("/health/live").json() == {"status": "ok"}
