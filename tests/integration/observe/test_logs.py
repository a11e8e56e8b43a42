"""Log lines as an operator's collector reads them: JSON, one object a line, each line of a
request carrying its id; and no line carrying a child's personal data."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_settings
from vaka.bootstrap import Services, build
from vaka.observe import logs
from web.app import create_app

PERSONAL = ("Zarafshan", "Karimi", "2011-04-02", "behind the sports hall", "her aunt")


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    svc = build(make_settings(tmp_path))
    yield svc
    svc.close()


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """The process's log lines, as `vaka api` writes them with VAKA_LOG_FORMAT=json."""
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    stream = io.StringIO()
    logs.setup("INFO", "json", role="api", stream=stream)
    yield stream
    root.handlers[:] = before[0]
    root.setLevel(before[1])


def _lines(stream: io.StringIO) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def _caseworker(services: Services) -> TestClient:
    user = services.users.add("Cw", "caseworker", "Malmö")
    client = TestClient(create_app(services))
    client.headers["Authorization"] = f"Bearer {services.users.issue_token(user.user_id)}"
    return client


def test_each_request_has_an_id_in_its_response_and_in_its_log_lines(
        services: Services, captured: io.StringIO) -> None:
    client = _caseworker(services)
    given = client.get("/health", headers={"X-Request-ID": "lb-7f3a.42"})
    made = client.get("/health")
    assert given.headers["X-Request-ID"] == "lb-7f3a.42"
    assert len(made.headers["X-Request-ID"]) == 32
    access = [line for line in _lines(captured) if line["logger"] == "vaka.access"]
    assert [line["request_id"] for line in access] == ["lb-7f3a.42",
                                                       made.headers["X-Request-ID"]]
    assert access[0]["message"] == access[0]["message"].replace("lb-7f3a", "")
    assert access[0]["role"] == "api"


def test_a_request_id_that_is_not_a_plain_token_is_replaced(
        services: Services, captured: io.StringIO) -> None:
    response = _caseworker(services).get("/health",
                                         headers={"X-Request-ID": "Zarafshan Karimi\n{}"})
    assert response.headers["X-Request-ID"] != "Zarafshan Karimi\n{}"
    assert "Zarafshan" not in captured.getvalue()


def test_no_log_line_carries_personal_data(services: Services,
                                           captured: io.StringIO) -> None:
    client = _caseworker(services)
    arrived = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
    child = client.post("/children", json={
        "arrived_at": arrived, "date_of_birth": "2011-04-02", "date_of_birth_basis": "stated",
        "municipality": "Malmö", "given_name": "Zarafshan", "family_name": "Karimi"})
    assert child.status_code == 201, child.text
    child_id = child.json()["child_id"]
    client.post(f"/children/{child_id}/events", json={
        "type": "ReportedMissing", "last_seen_at": arrived, "place": "behind the sports hall",
        "seen_by": "her aunt"})
    client.post(f"/children/{child_id}/events", json={"type": "Found", "place": 7})  # refused
    client.get("/children", params={"q": "Zarafshan Karimi"})
    client.get("/barn", params={"q": "Zarafshan"})
    text = captured.getvalue()
    assert len(_lines(captured)) >= 5  # every request logged, every line JSON
    for personal in PERSONAL:
        assert personal not in text
    assert "/children/{child_id}/events" in text  # the route template, not its values


def test_a_logged_exception_keeps_its_kind_and_place_but_not_its_message(
        captured: io.StringIO) -> None:
    try:
        raise ValueError("Zarafshan Karimi, born 2011-04-02")
    except ValueError:
        logging.getLogger("vaka.test").exception("could not apply entry 3")
    line = _lines(captured)[-1]
    assert line["error"] == "ValueError"
    assert line["stack"][-1].startswith("test_logs.py:")
    assert "Zarafshan" not in json.dumps(line)


def test_text_lines_carry_the_request_id_too(services: Services) -> None:
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    stream = io.StringIO()
    try:
        logs.setup("INFO", "text", role="api", stream=stream)
        response = TestClient(create_app(services)).get("/health")
    finally:
        root.handlers[:] = before[0]
        root.setLevel(before[1])
    assert f"request_id={response.headers['X-Request-ID']}" in stream.getvalue()
    with pytest.raises(json.JSONDecodeError):
        json.loads(stream.getvalue().splitlines()[0])


def test_auto_is_text_on_a_terminal_and_json_elsewhere() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert logs.use_json("auto", io.StringIO())
    assert not logs.use_json("auto", Terminal())
    with pytest.raises(SystemExit, match="VAKA_LOG_FORMAT must be one of"):
        logs.use_json("yaml")
