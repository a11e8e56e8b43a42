"""Supervisors' views, figures, channels and reassignment through the API, in process,
on SQLite and PostgreSQL, with a real SMTP server and webhook receiver on loopback."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.support.smtp import smtp_server
from tests.support.webhook_receiver import webhook_receiver
from vaka.bootstrap import Services
from vaka.notify.digest import DigestSender
from vaka.notify.email import EmailSender
from vaka.notify.webhook import WebhookSender

SECRET = "a-webhook-secret-of-some-length"


def _ago(**delta: float) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)


class Office:
    """A municipality: two caseworkers, a supervisor, a head of unit, and the followers."""

    def __init__(self, services: Services, client: TestClient) -> None:
        self.services = services
        self.client = client
        self.ids: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        for name, role in [("anna", "caseworker"), ("bo", "caseworker"),
                           ("sup", "supervisor"), ("head", "head_of_unit")]:
            user = services.users.add(name, role, "Malmö", f"{name}@example.org")
            self.ids[name] = user.user_id
            self.tokens[name] = services.users.issue_token(user.user_id)

    def as_(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def child(self, caseworker: str = "anna", dob: str = "2011-04-02") -> str:
        response = self.client.post("/children", headers=self.as_(caseworker), json={
            "arrived_at": _ago(days=30).isoformat(), "date_of_birth": dob,
            "date_of_birth_basis": "stated", "municipality": "Malmö"})
        child_id = str(response.json()["child_id"])
        self.record(child_id, "CaseworkerAssigned", caseworker, caseworker_id=self.ids[caseworker])
        return child_id

    def record(self, child_id: str, event_type: str, who: str = "anna", **fields: Any) -> Any:
        response = self.client.post(f"/children/{child_id}/events", headers=self.as_(who),
                                    json={"type": event_type, **fields})
        assert response.status_code == 201, response.text
        return response.json()

    def get(self, path: str, who: str = "sup", **params: Any) -> Any:
        response = self.client.get(path, headers=self.as_(who), params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def follow(self, email: bool = True) -> None:
        for step in (self.services.projector().step,
                     self.services.notifier(email_enabled=email).step):
            while step():
                pass

    def miss(self, child_id: str, clock_id: str, due: datetime) -> None:
        self.services.case_file.record_system(
            UUID(child_id), "DeadlineMissed",
            {"clock_id": clock_id, "rule_id": clock_id.split("@")[0], "due": due.isoformat()},
            due, f"due|{clock_id}")


@pytest.fixture
def office(services: Services) -> Iterator[Office]:
    with TestClient(create_app(services)) as client:
        yield Office(services, client)


def _missing_child(office: Office, caseworker: str, hours_ago: float) -> tuple[str, datetime]:
    child_id = office.child(caseworker)
    last_seen = _ago(hours=hours_ago)
    entry = office.record(child_id, "ReportedMissing", caseworker,
                          last_seen_at=last_seen.isoformat(), place="x", seen_by="y")
    if hours_ago > 24:
        office.miss(child_id, f"missing.police_report@{entry['entry']['seq']}",
                    last_seen + timedelta(hours=24))
    return child_id, last_seen


def test_missed_and_due_soon_clocks_per_caseworker_and_in_total(office: Office) -> None:
    late, _ = _missing_child(office, "anna", 30)
    soon, _ = _missing_child(office, "bo", 10)
    office.follow()
    missed = office.get("/overview/clocks", view="missed")["items"]
    assert [(c["child_id"], c["rule_id"]) for c in missed] == [(late, "missing.police_report")]
    due_soon = office.get("/overview/clocks", view="due_soon", within_hours=24)["items"]
    assert (soon, "missing.police_report") in [(c["child_id"], c["rule_id"]) for c in due_soon]
    only_bo = office.get("/overview/clocks", view="due_soon", within_hours=24,
                         caseworker_id=office.ids["bo"])["items"]
    assert {c["caseworker_id"] for c in only_bo} == {office.ids["bo"]}
    summary = office.get("/overview/clocks/summary", within_hours=24)
    per = {p["caseworker_id"]: p for p in summary["per_caseworker"]}
    assert per[office.ids["anna"]]["missed"] == 1 and per[office.ids["bo"]]["missed"] == 0
    assert summary["total"]["missed"] == 1 and summary["total"]["due_soon"] >= 1


def test_missing_children_show_hours_since_last_seen_and_the_police_report(
        office: Office) -> None:
    first, _ = _missing_child(office, "anna", 30)
    second, _ = _missing_child(office, "bo", 5)
    office.record(second, "PoliceReportFiled", "bo", police_reference="K-1")
    office.follow()
    rows = office.get("/overview/missing")["items"]
    assert [r["child_id"] for r in rows] == [first, second]  # longest missing first
    assert 29.9 <= rows[0]["hours_since_last_seen"] <= 30.1
    assert [r["police_report_filed"] for r in rows] == [False, True]


def test_eighteenth_birthdays_in_the_next_90_days(office: Office) -> None:
    soon_day = (datetime.now(UTC) + timedelta(days=40)).date()
    later_day = (datetime.now(UTC) + timedelta(days=200)).date()
    soon = office.child(dob=soon_day.replace(year=soon_day.year - 18).isoformat())
    office.child(dob=later_day.replace(year=later_day.year - 18).isoformat())
    office.follow()
    rows = office.get("/overview/birthdays", days=90)["items"]
    assert [r["child_id"] for r in rows] == [soon]


def test_children_by_stage_and_caseload_per_caseworker(office: Office) -> None:
    for who in ("anna", "anna", "bo"):
        office.child(who)
    closed = office.child("bo")
    office.record(closed, "CaseClosed", "bo", closure="moved")
    office.follow()
    stages = {s["stage"]: s["children"] for s in office.get("/overview/stages")}
    assert stages == {"arrived": 3, "closed": 1}
    load = {c["caseworker_id"]: c["children"] for c in office.get("/overview/caseload")}
    assert load == {office.ids["anna"]: 2, office.ids["bo"]: 1}


def test_figures_for_a_date_range_as_json_and_csv(office: Office) -> None:
    _missing_child(office, "anna", 30)
    on_time, _ = _missing_child(office, "bo", 6)
    office.record(on_time, "PoliceReportFiled", "bo")
    office.follow()
    start = (datetime.now(UTC) - timedelta(days=60)).date().isoformat()
    end = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    data = office.get("/figures", **{"from": start, "to": end})
    police = next(r for r in data["on_time_by_rule"] if r["rule_id"] == "missing.police_report")
    assert (police["on_time"], police["late_or_missed"], police["share"]) == (1, 1, 0.5)
    assert 5.9 <= data["median_hours_last_seen_to_police_report"] <= 6.1
    assert sum(m["children"] for m in data["missing_per_month"]) == 2
    response = office.client.get("/figures", headers=office.as_("sup"),
                                 params={"from": start, "to": end, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {"figure": "on_time_by_rule", "key": "missing.police_report", "measure": "share",
            "value": "0.5"} in rows
    bad = office.client.get("/figures", headers=office.as_("sup"),
                            params={"from": end, "to": start})
    assert bad.status_code == 422


def test_webhooks_are_signed_and_their_delivery_status_is_visible(
        office: Office, services: Services) -> None:
    services.settings.webhook_allow_private = True  # the receiver is on loopback: allowed
    with webhook_receiver(SECRET) as (receiver, url):
        saved = office.client.put("/me/preferences", headers=office.as_("anna"), json={
            "email": False, "webhook_url": url, "webhook_secret": SECRET})
        assert saved.status_code == 200, saved.text
        _missing_child(office, "anna", 2)
        office.follow()
        sender = WebhookSender(services.db, allow_private=True)
        while sender.step():
            pass
    assert receiver.bad_signatures == 0
    assert [r["kind"] for r in receiver.received] == ["missing"]
    assert receiver.received[0]["key"] == receiver.received[0]["notification_id"]
    inbox = office.get("/notifications", who="anna")["items"]
    assert inbox[0]["deliveries"] == [{"channel": "webhook", "status": "delivered",
                                       "attempts": 1, "error": None,
                                       "delivered_at": inbox[0]["deliveries"][0]["delivered_at"]}]


def test_a_refused_webhook_fails_with_its_reason(office: Office, services: Services) -> None:
    services.settings.webhook_allow_private = True
    with webhook_receiver(SECRET, status=410) as (_, url):
        office.client.put("/me/preferences", headers=office.as_("anna"), json={
            "email": False, "webhook_url": url, "webhook_secret": SECRET})
        _missing_child(office, "anna", 2)
        office.follow()
        WebhookSender(services.db, allow_private=True).step()
    delivery = office.get("/notifications", who="anna")["items"][0]["deliveries"][0]
    assert (delivery["status"], delivery["error"]) == ("failed", "HTTP 410")


def test_the_digest_holds_routine_mail_but_never_a_missing_child(
        office: Office, services: Services, backend) -> None:  # type: ignore[no-untyped-def]
    office.client.put("/me/preferences", headers=office.as_("anna"),
                      json={"email": True, "digest": True})
    child_id, last_seen = _missing_child(office, "anna", 3)
    services.case_file.record_system(  # a routine reminder
        UUID(child_id), "DeadlineReminded",
        {"clock_id": "missing.police_report@3", "rule_id": "missing.police_report",
         "due": (last_seen + timedelta(hours=24)).isoformat()},
        last_seen + timedelta(hours=2), "remind|test")
    office.follow()
    statuses = {n["kind"]: n["deliveries"][0]["status"]
                for n in office.get("/notifications", who="anna")["items"]}
    assert statuses == {"missing": "pending", "reminder": "held"}
    with smtp_server() as (inbox, port):
        settings = backend.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
        email = EmailSender(services.db, settings)
        email.step()
        tomorrow_morning = datetime.now(UTC) + timedelta(days=1, hours=8)
        digest = DigestSender(services.db, settings, email, services.policy.timezone)
        digest.step(tomorrow_morning.replace(hour=7))
        subjects = [m["Subject"] for m in inbox.to("anna@example.org")]
    assert len(subjects) == 2 and any("Dagens sammanfattning: 1" in s for s in subjects)


def test_deactivating_a_caseworker_moves_children_clocks_and_open_inbox_items(
        office: Office, services: Services) -> None:
    child_id, _ = _missing_child(office, "anna", 30)
    office.follow()
    assert office.get("/notifications", who="anna")["items"]
    response = office.client.post(f"/users/{office.ids['anna']}/deactivate",
                                  headers=office.as_("sup"),
                                  json={"reassign_to": office.ids["bo"]})
    assert response.status_code == 200 and response.json()["children"] == 1
    office.follow()
    assert office.get(f"/children/{child_id}", who="bo")["caseworker"]["user_id"] == \
        office.ids["bo"]
    moved = office.get("/notifications", who="bo")["items"]
    assert {n["kind"] for n in moved} >= {"missing", "missed"}
    missed = office.get("/overview/clocks", view="missed", caseworker_id=office.ids["bo"])
    assert [c["child_id"] for c in missed["items"]] == [child_id]
    assert office.client.get("/notifications", headers=office.as_("anna")).status_code == 401


def test_acknowledging_a_missed_clock_records_it_on_the_case(office: Office) -> None:
    child_id, _ = _missing_child(office, "anna", 30)
    office.follow()
    missed = next(n for n in office.get("/notifications", who="sup")["items"]
                  if n["kind"] == "missed")
    response = office.client.post(f"/notifications/{missed['notification_id']}/acknowledge",
                                  headers=office.as_("sup"))
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    history = office.get(f"/children/{child_id}/history")
    assert history[-1]["type"] == "EscalationAcknowledged"
    other = next(n for n in office.get("/notifications", who="sup")["items"]
                 if n["kind"] == "missing")
    refused = office.client.post(f"/notifications/{other['notification_id']}/acknowledge",
                                 headers=office.as_("sup"))
    assert refused.status_code == 409


def test_an_escalation_reaches_the_head_of_unit_who_can_acknowledge_it(office: Office) -> None:
    child_id, _ = _missing_child(office, "anna", 30)
    clock_id = next(c["clock_id"] for c in office.get(f"/children/{child_id}")["clocks"]
                    if c["rule_id"] == "missing.police_report")
    escalation = next(c for c in office.services.case_file.clocks(
        office.services.case_file.get_case(UUID(child_id))) if c.rule_id == "escalation")
    assert escalation.subject == clock_id
    office.services.case_file.record_system(
        UUID(child_id), "Escalated", {"clock_id": escalation.clock_id, "subject": clock_id,
                                      "rule_id": "missing.police_report",
                                      "due": escalation.due.isoformat()},
        escalation.due, f"due|{escalation.clock_id}")
    office.follow()
    inbox = office.get("/notifications", who="head")["items"]
    assert [n["kind"] for n in inbox] == ["escalation"]
    response = office.client.post(f"/notifications/{inbox[0]['notification_id']}/acknowledge",
                                  headers=office.as_("head"))
    assert response.status_code == 200
    clocks = office.services.case_file.clocks(office.services.case_file.get_case(UUID(child_id)))
    assert [c.status for c in clocks if c.rule_id == "escalation" and c.status == "open"] == []


def test_figures_count_months_in_stockholm_time(office: Office) -> None:
    child_id = office.child("anna")
    # 23:30 UTC on 31 January is already February in Stockholm.
    office.record(child_id, "ReportedMissing", last_seen_at="2026-01-31T23:30:00+00:00",
                  place="x", seen_by="y", occurred_at="2026-02-01T08:00:00+00:00")
    office.follow()
    data = office.get("/figures", **{"from": "2026-01-01", "to": "2026-03-01"})
    assert data["missing_per_month"] == [{"month": "2026-02", "children": 1}]
