"""The whole journey through the HTTP API, in process, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from vaka.bootstrap import Services


def _ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


class Caseworker:
    def __init__(self, services: Services, client: TestClient) -> None:
        user = services.users.add("Cw", "caseworker", "Malmö", "cw@example.org")
        services.users.add("Sup", "supervisor", "Malmö", "sup@example.org")
        self.user_id = user.user_id
        self.client = client
        self.headers = {"Authorization": f"Bearer {services.users.issue_token(user.user_id)}"}

    def register(self, **overrides: Any) -> str:
        body = {"arrived_at": _ago(days=100), "date_of_birth": "2011-04-02",
                "date_of_birth_basis": "stated", "municipality": "Malmö",
                "given_name": "Amina", "languages": ["dari"], "interpreter_needed": True}
        body.update(overrides)
        response = self.client.post("/children", json=body, headers=self.headers)
        assert response.status_code == 201, response.text
        return str(response.json()["child_id"])

    def record(self, child_id: str, event_type: str, expect: int = 201, **fields: Any) -> Any:
        response = self.client.post(f"/children/{child_id}/events",
                                    json={"type": event_type, **fields}, headers=self.headers)
        assert response.status_code == expect, response.text
        return response.json()

    def get(self, path: str) -> Any:
        response = self.client.get(path, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def cw(services: Services) -> Iterator[Caseworker]:
    with TestClient(create_app(services)) as client:
        yield Caseworker(services, client)


def _rejected(cw: Caseworker, **placement: str) -> str:
    child_id = cw.register()
    cw.record(child_id, "Placed", occurred_at=_ago(days=99), placement_type="hvb",
              legal_basis=placement.get("legal_basis", "SoL"))
    cw.record(child_id, "AsylumApplied", occurred_at=_ago(days=98))
    cw.record(child_id, "DecisionIssued", occurred_at=_ago(days=40), outcome="rejected",
              decided_at=_ago(days=41))
    return child_id


def test_a_rejection_shows_its_derived_kind_and_opens_the_appeal_window(cw: Caseworker) -> None:
    child_id = _rejected(cw)
    view = cw.get(f"/children/{child_id}")
    assert (view["stage"], view["decision"]["rejection_kind"]) == ("rejected", "avvisning")
    rules = {c["rule_id"]: c for c in view["clocks"]}
    assert {"decision.appeal_window", "decision.sip_meeting",
            "decision.after_rejection_talk"} <= set(rules)
    assert rules["decision.appeal_window"]["reminders"]


def test_the_stage_model_refuses_an_appeal_without_a_rejection(cw: Caseworker) -> None:
    child_id = cw.register()
    problem = cw.record(child_id, "AppealFiled", expect=409)
    assert "rejection" in problem["detail"]


def test_the_return_checklist_shows_an_owner_per_item_and_its_progress(cw: Caseworker) -> None:
    child_id = _rejected(cw)
    cw.record(child_id, "DecisionFinal", occurred_at=_ago(days=10))
    cw.record(child_id, "ReturnConfirmed")
    cw.record(child_id, "ChecklistItemAssigned", item="money", owner="god_man")
    cw.record(child_id, "ChecklistItemDone", item="documents_translated")
    checklist = {i["item"]: i for i in cw.get(f"/children/{child_id}")["checklist"]}
    assert checklist["money"]["owner"] == "god_man"
    assert checklist["documents_translated"]["done_at"] is not None
    assert sum(1 for i in checklist.values() if i["done_at"]) == 1 and len(checklist) >= 6


def test_a_risk_assessment_shows_the_child_s_risk_areas_and_next_follow_up(cw: Caseworker) -> None:
    child_id = cw.register()
    cw.record(child_id, "RiskAssessed", factors=["A1.2", "A2.3"])
    risk = cw.get(f"/children/{child_id}")["risk"]
    assert {f["factor_id"] for f in risk["factors"]} == {"A1.2", "A2.3"}
    assert all(f["sv"] and f["en"] for f in risk["factors"])
    areas = {a["area"]: a for a in risk["areas"]}
    assert set(areas) == {"A1", "A2"}
    assert areas["A1"]["next_follow_up"] < areas["A2"]["next_follow_up"]  # 7 vs 14 days
    assert cw.record(child_id, "RiskAssessed", expect=422, factors=["A9.9"])["errors"]


def test_the_risk_checklist_lists_all_forty_factors(cw: Caseworker) -> None:
    areas = cw.get("/risk-factors")
    assert sum(len(a["factors"]) for a in areas) == 40


def test_the_police_pack_is_one_document_with_last_seen_when_the_child_is_missing(
        cw: Caseworker) -> None:
    child_id = cw.register()
    cw.record(child_id, "PolicePackUpdated", description="tall, green jacket",
              social_circle="friends at the youth club")
    cw.record(child_id, "ReportedMissing", last_seen_at=_ago(hours=3), place="the station",
              seen_by="staff")
    pack = cw.get(f"/children/{child_id}/police-pack")
    assert pack["missing"] is True
    assert pack["pack"]["description"] == "tall, green jacket"
    assert pack["identity"]["languages"] == ["dari"] and pack["identity"]["interpreter_needed"]
    assert pack["last_seen"]["place"] == "the station"
    refused = cw.record(child_id, "PolicePackUpdated", expect=409, interests="football")
    assert "handed over" in refused["detail"]


def test_a_correction_moves_the_clock_and_the_history_shows_both(cw: Caseworker) -> None:
    child_id = cw.register()
    seen = cw.record(child_id, "ReportedMissing", last_seen_at=_ago(hours=10), place="x",
                     seen_by="y")
    corrected_to = _ago(hours=4)
    cw.record(child_id, "Corrected", entry=seen["entry"]["seq"],
              fields={"last_seen_at": corrected_to}, reason="the night staff saw her later")
    view = cw.get(f"/children/{child_id}")
    police = next(c for c in view["clocks"] if c["rule_id"] == "missing.police_report")
    expected = datetime.fromisoformat(corrected_to) + timedelta(hours=24)
    assert datetime.fromisoformat(police["due"]) == expected
    history = [e["type"] for e in cw.get(f"/children/{child_id}/history")]
    assert history[-2:] == ["ReportedMissing", "Corrected"]


def test_a_rejected_lvu_placed_child_without_a_statement_alerts_the_supervisor(
        services: Services, cw: Caseworker) -> None:
    child_id = _rejected(cw, legal_basis="LVU")
    assert cw.get(f"/children/{child_id}")["compliance_alerts"] == ["lvu_statement_missing"]
    notifier = services.notifier(email_enabled=False)
    while notifier.step():
        pass
    with services.db.transaction() as tx:
        rows = tx.execute("SELECT n.recipient_label, n.urgent FROM notifications n"
                          " WHERE n.child_id = ? AND n.kind = 'decision'", (child_id,))
    assert ("supervisor", 1) in {(r["recipient_label"], r["urgent"]) for r in rows}


def test_enforcement_notifies_caseworker_and_god_man_at_once(
        services: Services, cw: Caseworker) -> None:
    child_id = _rejected(cw)
    cw.record(child_id, "CaseworkerAssigned", caseworker_id=cw.user_id)
    cw.record(child_id, "GuardianAppointed", name="God man", email="godman@example.org")
    cw.record(child_id, "DecisionFinal", occurred_at=_ago(days=10))
    cw.record(child_id, "HealthTreatmentNoted", active=True)
    detention = cw.record(child_id, "DetentionOrdered")
    notifier = services.notifier(email_enabled=True)
    while notifier.step():
        pass
    with services.db.transaction() as tx:
        rows = tx.execute("SELECT * FROM notifications WHERE child_id = ? AND event_seq = ?",
                          (child_id, detention["entry"]["seq"]))
    labels = {r["recipient_label"] for r in rows}
    assert {"caseworker", "god_man", "supervisor"} <= labels  # supervisor: the health alert
    assert all(r["urgent"] for r in rows) and "Hälsovarning" in rows[0]["body"]
    clock = next(c for c in cw.get(f"/children/{child_id}")["clocks"]
                 if c["rule_id"] == "enforcement.notify")
    assert clock["status"] == "open"
    cw.record(child_id, "EnforcementAcknowledged", entry=detention["entry"]["seq"])
    clock = next(c for c in cw.get(f"/children/{child_id}")["clocks"]
                 if c["rule_id"] == "enforcement.notify")
    assert clock["status"] == "met"
