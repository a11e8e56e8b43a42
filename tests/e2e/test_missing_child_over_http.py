"""The missing-child routine end to end over HTTP, through `vaka run` on PostgreSQL."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.conftest import People
from tests.support.privacy import readable_history
from tests.support.stack import Stack

pytestmark = [pytest.mark.temporal, pytest.mark.postgres]


def _now() -> datetime:
    return datetime.now(UTC)


def _register(people: People, **extra: object) -> str:
    response = people.caseworker.post("/children", {
        "arrived_at": (_now() - timedelta(hours=2)).isoformat(), "date_of_birth": "2011-04-02",
        "date_of_birth_basis": "stated", "municipality": "Malmö", "given_name": "Zarafshan",
        **extra})
    assert response.status_code == 201, response.text
    child_id = response.json()["child_id"]
    assigned = people.caseworker.post(f"/children/{child_id}/events", {
        "type": "CaseworkerAssigned", "caseworker_id": people.caseworker_id})
    assert assigned.status_code == 201, assigned.text
    return str(child_id)


def _report_missing(people: People, child_id: str, last_seen: datetime) -> None:
    response = people.caseworker.post(f"/children/{child_id}/events", {
        "type": "ReportedMissing", "last_seen_at": last_seen.isoformat(),
        "place": "school yard", "seen_by": "teacher"})
    assert response.status_code == 201, response.text


def _missed_police_reports(people: People, child_id: str):  # type: ignore[no-untyped-def]
    page = people.supervisor.get("/clocks", status="missed",
                                 rule_id="missing.police_report").json()
    return [c for c in page["items"] if c["child_id"] == child_id]


def test_missing_child_reaches_every_adult_and_a_missed_report_reaches_the_supervisor(
        stack: Stack, people: People, mail) -> None:  # type: ignore[no-untyped-def]
    inbox, _ = mail
    child_id = _register(people)
    people.caseworker.post(f"/children/{child_id}/events", {
        "type": "ContactAdded", "role": "school", "name": "School", "email": "school@example.org"})
    _report_missing(people, child_id, _now() - timedelta(hours=24) + timedelta(seconds=5))

    people.supervisor.poll("/clocks", lambda page: any(
        c["child_id"] == child_id for c in page["items"]), status="missed",
        rule_id="missing.police_report")
    child = people.caseworker.get(f"/children/{child_id}").json()
    assert child["missing"] is not None
    police = next(c for c in child["clocks"] if c["rule_id"] == "missing.police_report")
    assert police["status"] == "missed"
    kinds = {n["kind"] for n in people.supervisor.poll(
        "/notifications", lambda p: {"missing", "missed"} <= {n["kind"] for n in p["items"]}
    )["items"]}
    assert {"missing", "missed"} <= kinds
    inbox.wait_for(4)
    for address in ("school@example.org", "cw@example.org", "sup@example.org"):
        missing_mails = [m for m in inbox.to(address) if "anmält försvunnet" in m["Subject"]]
        assert len(missing_mails) == 1, address
    assert all("Zarafshan" not in m.get_content() for m in inbox.messages)


def test_no_personal_data_reaches_the_logs_or_temporal(stack: Stack, people: People) -> None:
    import asyncio

    from temporalio.client import Client

    child_id = _register(people)
    _report_missing(people, child_id, _now() - timedelta(hours=24) + timedelta(seconds=2))
    people.caseworker.post(f"/children/{child_id}/events", {"type": "Teleported"})
    people.caseworker.poll(f"/children/{child_id}/history", lambda h: any(
        e["type"] == "DeadlineMissed" for e in h))

    async def temporal_history() -> str:
        client = await Client.connect(f"127.0.0.1:{stack.temporal_port}")
        history = await client.get_workflow_handle(f"child-journey-{child_id}").fetch_history()
        return history.to_json()

    history = readable_history(asyncio.run(temporal_history()))
    assert child_id in history  # decoded payloads: the ids are there, the child is not
    for text in (stack.log.read_text(), history):
        for personal in ("Zarafshan", "school yard", "teacher", "2011-04-02", "Malmö"):
            assert personal not in text


def test_the_api_records_while_temporal_is_down_and_the_journey_catches_up(
        stack: Stack, people: People) -> None:
    child_id = _register(people)
    stack.kill9("temporal")
    started = time.monotonic()
    _report_missing(people, child_id, _now() - timedelta(hours=24) + timedelta(seconds=3))
    assert time.monotonic() - started < 5  # recording did not wait for Temporal
    history = people.caseworker.get(f"/children/{child_id}/history").json()
    assert history[-1]["type"] == "ReportedMissing"
    # The supervisor brings the dev server back; the relay catches up; the clock fires.
    people.caseworker.poll(f"/children/{child_id}/history", lambda h: any(
        e["type"] == "DeadlineMissed" and e["fields"]["rule_id"] == "missing.police_report"
        for e in h), timeout=60)


@pytest.mark.parametrize("role", ["worker", "relay", "projector", "api"])
def test_kill_9_of_a_process_loses_and_doubles_nothing(
        stack: Stack, people: People, role: str) -> None:
    children = [_register(people) for _ in range(3)]
    for child_id in children:
        _report_missing(people, child_id, _now() - timedelta(hours=24) + timedelta(seconds=6))
    stack.kill9(role)
    stack.wait_ready()
    for child_id in children:
        people.supervisor.poll("/clocks", lambda page, c=child_id: any(
            x["child_id"] == c for x in page["items"]), timeout=60, status="missed",
            rule_id="missing.police_report")
    stack.wait_settled()  # any duplicate the restart would make is there by now
    for child_id in children:
        history = people.caseworker.get(f"/children/{child_id}/history").json()
        missed = [e for e in history if e["type"] == "DeadlineMissed"
                  and e["fields"]["rule_id"] == "missing.police_report"]
        assert len(missed) == 1
        assert len(_missed_police_reports(people, child_id)) == 1
    inbox = people.supervisor.get("/notifications", limit=500).json()["items"]
    for child_id in children:
        mine = [n for n in inbox if n["child_id"] == child_id and n["kind"] == "missing"]
        assert len(mine) == 1


def test_a_clock_that_falls_due_while_vaka_is_stopped_fires_on_start(
        stack: Stack, people: People) -> None:
    child_id = _register(people)
    last_seen = _now() - timedelta(hours=24) + timedelta(seconds=6)
    _report_missing(people, child_id, last_seen)
    people.caseworker.poll(f"/children/{child_id}/history", lambda h: any(
        e["type"] == "DeadlineReminded" for e in h))  # the journey is running
    stack.stop()  # Ctrl-C
    due = last_seen + timedelta(hours=24)
    while _now() <= due:  # the police report falls due while everything is down
        time.sleep(0.1)
    stack.start()
    history = people.caseworker.poll(f"/children/{child_id}/history", lambda h: any(
        e["type"] == "DeadlineMissed" and e["fields"]["rule_id"] == "missing.police_report"
        for e in h), timeout=60)
    missed = [e for e in history if e["type"] == "DeadlineMissed"
              and e["fields"]["rule_id"] == "missing.police_report"]
    assert len(missed) == 1
    assert datetime.fromisoformat(missed[0]["occurred_at"]) == last_seen + timedelta(hours=24)
