"""What an operator watches, on a whole stack started as `vaka run` starts it (PostgreSQL,
the Temporal dev server, loopback SMTP), with tracing to standard output: /metrics moves
when a clock falls due, and one trace runs from the relay's signal through the journey
workflow to its activities in another process."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import httpx
import psycopg
import pytest

from tests.conftest import POSTGRES_ADMIN_URL
from tests.support.metrics import Scrape
from tests.support.smtp import Inbox, smtp_server
from tests.support.stack import Api, Stack

pytestmark = [pytest.mark.temporal, pytest.mark.postgres]
PERSONAL = ("Zarafshan", "school yard", "teacher", "2011-04-02")


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory,
           postgres_admin: psycopg.Connection) -> Iterator[tuple[Stack, Inbox]]:
    name = f"vaka_test_{uuid.uuid4().hex[:12]}"
    postgres_admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunparse(urlparse(POSTGRES_ADMIN_URL)._replace(path=f"/{name}"))
    with smtp_server() as (inbox, smtp_port):
        stack = Stack(tmp_path_factory.mktemp("obs") / "data", url, smtp_port=smtp_port)
        stack.env.update({"OTEL_TRACES_EXPORTER": "console", "VAKA_LOG_FORMAT": "json"})
        try:
            stack.start()
            yield stack, inbox
        finally:
            stack.stop()
            postgres_admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert stack.unexpected_exits() == [], "a Vaka process died on its own"


@pytest.fixture(scope="module")
def caseworker(traced: tuple[Stack, Inbox]) -> tuple[Api, str]:
    stack, _ = traced
    user_id, token = stack.cli("user", "add", "--name", "Caseworker", "--role", "caseworker",
                               "--municipality", "Malmö", "--email", "cw@example.org",
                               "--token").splitlines()
    stack.cli("user", "add", "--name", "Supervisor", "--role", "supervisor",
              "--municipality", "Malmö", "--email", "sup@example.org")
    return Api(stack.url, token), user_id


def _scrape(stack: Stack) -> Scrape:
    response = httpx.get(f"{stack.url}/metrics", timeout=10)
    assert response.status_code == 200, response.text
    return Scrape(response.text)


def _poll(what: str, read: Callable[[], Any], until: Callable[[Any], bool],
          timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if until(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not seen within {timeout}s; last: {value}")
        time.sleep(0.3)


def _child_reported_missing_a_day_and_an_hour_ago(api: Api, caseworker_id: str) -> str:
    now = datetime.now(UTC)
    child = api.post("/children", {
        "arrived_at": (now - timedelta(days=3)).isoformat(), "date_of_birth": "2011-04-02",
        "date_of_birth_basis": "stated", "municipality": "Malmö", "given_name": "Zarafshan"})
    assert child.status_code == 201, child.text
    child_id = str(child.json()["child_id"])
    for body in ({"type": "CaseworkerAssigned", "caseworker_id": caseworker_id},
                 {"type": "ReportedMissing", "place": "school yard", "seen_by": "teacher",
                  "last_seen_at": (now - timedelta(hours=25)).isoformat()}):
        recorded = api.post(f"/children/{child_id}/events", body)
        assert recorded.status_code == 201, recorded.text
    return child_id


def test_metrics_move_when_an_overdue_police_report_is_missed(
        traced: tuple[Stack, Inbox], caseworker: tuple[Api, str]) -> None:
    stack, inbox = traced
    api, caseworker_id = caseworker
    before = _scrape(stack)
    late = "vaka_clock_lateness_seconds_count"

    child_id = _child_reported_missing_a_day_and_an_hour_ago(api, caseworker_id)
    after = _poll("the miss in /metrics", lambda: _scrape(stack), lambda m: m.value(
        late, event_type="DeadlineMissed") > before.value(late, event_type="DeadlineMissed"))
    history = api.get(f"/children/{child_id}/history").json()
    assert any(e["type"] == "DeadlineMissed" for e in history)

    # The clock was a day overdue when reported; Vaka missed it within seconds of learning.
    assert after.value("vaka_clock_lateness_seconds_bucket", event_type="DeadlineMissed",
                       le="30.0") == after.value(late, event_type="DeadlineMissed")
    events = "vaka_events_recorded_total"
    assert after.value(events, event_type="ReportedMissing") == \
        before.value(events, event_type="ReportedMissing") + 1
    assert after.value("vaka_journeys_running") >= 1
    assert after.value("vaka_temporal_up") == 1
    inbox.wait_for(2)
    delivered = _poll("e-mail deliveries in /metrics", lambda: _scrape(stack), lambda m: m.value(
        "vaka_deliveries", channel="email", status="delivered") > before.value(
        "vaka_deliveries", channel="email", status="delivered"))
    assert delivered.value("vaka_deliveries", channel="inbox", status="delivered") > \
        before.value("vaka_deliveries", channel="inbox", status="delivered")
    for follower in ("relay", "projector", "notifier", "tally"):
        _poll(f"{follower} caught up", lambda: _scrape(stack), lambda m, f=follower: m.has(
            "vaka_follower_lag_events", follower=f) and m.value(
            "vaka_follower_lag_events", follower=f) == 0)
    assert not any(p in delivered.text for p in PERSONAL)


def _spans(log: Path) -> list[dict[str, Any]]:
    found = []
    for line in log.read_text().splitlines():
        if line.startswith("{") and '"span_id"' in line:
            found.append(json.loads(line))
    return found


def test_one_trace_runs_from_the_relay_through_the_journey_to_its_activities(
        traced: tuple[Stack, Inbox], caseworker: tuple[Api, str]) -> None:
    stack, _ = traced
    api, caseworker_id = caseworker
    child_id = _child_reported_missing_a_day_and_an_hour_ago(api, caseworker_id)
    workflow_id = f"child-journey-{child_id}"

    def journey_spans() -> list[dict[str, Any]]:
        return [s for s in _spans(stack.log)
                if s["attributes"].get("temporalWorkflowID") == workflow_id]

    spans = _poll("the journey's activity spans", journey_spans, lambda found: {
        "RunActivity:fire_timer", "SignalWithStartWorkflow:ChildJourney"} <= {
        s["name"] for s in found})
    # The signal that started the journey opened its trace; every later signal is a trace
    # of its own, and the journey's activities stay in the first.
    started_by_relay = {s["context"]["trace_id"] for s in spans
                        if s["name"] == "SignalWithStartWorkflow:ChildJourney"
                        and s["resource"]["attributes"]["service.name"] == "vaka-relay"}
    fired = [s for s in spans if s["name"] == "RunActivity:fire_timer"]
    assert all(s["resource"]["attributes"]["service.name"] == "vaka-worker" for s in fired)
    assert {s["context"]["trace_id"] for s in fired} <= started_by_relay

    # Each process exports its spans in batches, on its own schedule: wait for the API's.
    requests = _poll("the API's request spans", lambda: [
        s for s in _spans(stack.log)
        if s["attributes"].get("http.route") == "/children/{child_id}/events"], bool)
    assert all(s["resource"]["attributes"]["service.name"] == "vaka-api"
                            for s in requests)
    everything = stack.log.read_text()
    assert not any(p in everything for p in PERSONAL)


def test_the_api_logs_a_json_line_with_the_callers_request_id_and_no_search_terms(
        traced: tuple[Stack, Inbox], caseworker: tuple[Api, str]) -> None:
    stack, _ = traced
    api, _ = caseworker
    response = api.client.get("/children", params={"q": "Zarafshan"},
                              headers={"X-Request-ID": "scrape-test-1"})
    assert response.headers["X-Request-ID"] == "scrape-test-1"

    def access_lines() -> list[dict[str, Any]]:
        lines = [json.loads(line) for line in stack.log.read_text().splitlines()
                 if line.startswith('{"time"')]
        return [line for line in lines if line.get("request_id") == "scrape-test-1"]

    found = _poll("the request's log line", access_lines, bool, timeout=15)
    assert found[0]["role"] == "api"
    assert found[0]["message"].startswith("GET /children 200")
    assert "Zarafshan" not in stack.log.read_text()
