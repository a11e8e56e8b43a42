"""Whole journeys from the rulebook, on the real Temporal dev server with time skipping
(the last one also through the HTTP API).

Caseworker events are recorded as late entries (occurred_at in the past), as they often
are; what falls due later is reached by fast-forwarding the journey's own clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.legal_time import legal_due
from domain.policy import load_policy
from domain.timing import birthday, local_midnight
from tests.support.casefile import now, record_event, register_child
from tests.support.journeys import handle, relay_all, running_worker, wait_for_entry
from vaka.bootstrap import Services

ZONE = load_policy().timezone
pytestmark = pytest.mark.temporal


def ago(**delta: float) -> datetime:
    return now() - timedelta(**delta)


def at(svc: Services, child_id: Any, event_type: str, when: datetime, **fields: Any) -> int:
    return record_event(svc.case_file, child_id, event_type, occurred_at=when, **fields)


def dob_turning_18_in(days: int) -> date:
    day = (now() + timedelta(days=days)).astimezone(ZONE).date()
    return date(day.year - 18, day.month, day.day)


def of_type(svc: Services, child_id: Any, event_type: str) -> list:  # type: ignore[type-arg]
    return [e for e in svc.case_file.get_case(child_id).entries if e.event_type == event_type]


async def test_arrival_rejection_appeal_final_missing_found_and_return(
        skipping_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    client = skipping_env.client
    child_id = register_child(svc.case_file, arrived_at=ago(days=200),
                        date_of_birth=dob_turning_18_in(900))
    at(svc, child_id, "Placed", ago(days=199), placement_type="hvb", legal_basis="SoL")
    at(svc, child_id, "AsylumApplied", ago(days=198))
    at(svc, child_id, "InterviewHeld", ago(days=60))
    at(svc, child_id, "DecisionIssued", ago(days=40), outcome="rejected",
       decided_at=ago(days=41).isoformat(), notified_at=ago(days=40).isoformat())
    at(svc, child_id, "AppealFiled", ago(days=30))
    final_at = ago(days=10)
    at(svc, child_id, "AppealDecided", final_at, outcome="rejected")
    last_seen = ago(days=3)
    at(svc, child_id, "ReportedMissing", ago(days=2), last_seen_at=last_seen.isoformat(),
       place="the station", seen_by="staff")
    at(svc, child_id, "Found", ago(hours=5), location="sweden")

    async with running_worker(client, svc) as queue:
        await relay_all(client, svc, queue)
        await wait_for_entry(svc, child_id, lambda e: e.event_type == "RiskFlagRaised"
                             and e.fact.factor == "A3.2")
        flags = {e.fact.factor for e in of_type(svc, child_id, "RiskFlagRaised")}
        assert {"A3.1", "A3.2"} <= flags
        case = svc.case_file.get_case(child_id)
        assert case.state.stage == "rejected_final"
        # Found was recorded after the police report fell due: it was missed, not cancelled.
        police = next(c for c in svc.case_file.clocks(case)
                      if c.rule_id == "missing.police_report")
        assert (police.status, police.due) == ("missed", last_seen + timedelta(hours=24))

        at(svc, child_id, "ReturnConfirmed", ago(hours=1))
        assert svc.case_file.get_case(child_id).state.checklist
        await relay_all(client, svc, queue)
        # Decided more than three months after the application: utvisning, four weeks,
        # counted as a legal time limit from the day the rejection became final.
        await skipping_env.fast_forward(handle(client, child_id), timedelta(days=25))
        expired = await wait_for_entry(svc, child_id,
                                       lambda e: e.event_type == "DepartureWindowExpired")
        assert expired.occurred_at == legal_due(final_at, "4w", ZONE)

        at(svc, child_id, "Departed", now())
        await relay_all(client, svc, queue)
        await handle(client, child_id).result()  # the journey has ended
    assert svc.case_file.get_case(child_id).state.stage == "departed"
    open_clocks = [c for c in svc.case_file.clocks(svc.case_file.get_case(child_id))
                   if c.status == "open"]
    assert open_clocks == []


async def test_a_child_assessed_adult_mid_process_leaves_child_protection_at_once(
        skipping_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    client = skipping_env.client
    child_id = register_child(svc.case_file, arrived_at=ago(days=30),
                        date_of_birth=dob_turning_18_in(40))
    at(svc, child_id, "AsylumApplied", ago(days=29))
    at(svc, child_id, "InterviewHeld", ago(days=5))
    at(svc, child_id, "AgeAssessed", ago(hours=2), outcome="adult")
    state = svc.case_file.get_case(child_id).state
    assert (state.stage, state.asylum_stage, state.responsibility) == (
        "adult", "in_asylum_process", "migration_agency")
    async with running_worker(client, svc) as queue:
        await relay_all(client, svc, queue)
        await wait_for_entry(svc, child_id, lambda e: e.event_type == "RiskFlagRaised"
                             and e.fact.factor == "A3.7")
        await skipping_env.fast_forward(handle(client, child_id), timedelta(days=45))
    clocks = svc.case_file.clocks(svc.case_file.get_case(child_id))
    assert of_type(svc, child_id, "Turned18") == []  # no second transition at the old birthday
    assert {c.status for c in clocks if c.rule_id.startswith(("arrival.", "age."))} <= {
        "cancelled", "missed", "met"}


async def test_a_temporary_permit_reminds_before_it_expires_and_a_new_decision_meets_it(
        skipping_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    client = skipping_env.client
    child_id = register_child(svc.case_file, arrived_at=ago(days=300),
                        date_of_birth=dob_turning_18_in(1200))
    at(svc, child_id, "AsylumApplied", ago(days=299))
    expires = (now() + timedelta(days=70)).astimezone(ZONE).date()
    at(svc, child_id, "DecisionIssued", ago(days=2), outcome="granted", permit_type="temporary",
       decided_at=ago(days=3).isoformat(), permit_expires_on=expires.isoformat())
    async with running_worker(client, svc) as queue:
        await relay_all(client, svc, queue)
        await skipping_env.fast_forward(handle(client, child_id), timedelta(days=12))
        reminded = await wait_for_entry(svc, child_id, lambda e: e.event_type ==
                                        "DeadlineReminded" and e.fact.rule_id == "permit.expiry")
        assert reminded.occurred_at == local_midnight(expires - timedelta(days=60), ZONE)
        at(svc, child_id, "DecisionIssued", now(), outcome="granted", permit_type="permanent",
           decided_at=now().isoformat())
        await relay_all(client, svc, queue)
    clocks = svc.case_file.clocks(svc.case_file.get_case(child_id))
    permit = [c for c in clocks if c.rule_id == "permit.expiry"]
    assert [c.status for c in permit] == ["met"]
    at(svc, child_id, "SpecialCustodianAppointed", now(), name="Special custodian")
    assert svc.case_file.get_case(child_id).state.special_custodian is not None


async def test_a_corrected_date_of_birth_undoes_turned18_through_the_api_and_the_journey(
        skipping_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    client = skipping_env.client
    user = svc.users.add("Caseworker", "caseworker", "Malmö", "cw@example.org")
    headers = {"Authorization": f"Bearer {svc.users.issue_token(user.user_id)}"}
    typed = dob_turning_18_in(2)  # a typing error: the child is two years younger
    with TestClient(create_app(svc)) as api:
        registered = api.post("/children", headers=headers, json={
            "arrived_at": ago(days=30).isoformat(), "date_of_birth": typed.isoformat(),
            "date_of_birth_basis": "stated", "municipality": "Malmö"})
        assert registered.status_code == 201, registered.text
        child_id = UUID(registered.json()["child_id"])
        async with running_worker(client, svc) as queue:
            await relay_all(client, svc, queue)
            await skipping_env.fast_forward(handle(client, child_id), timedelta(days=3))
            turned = await wait_for_entry(svc, child_id, lambda e: e.event_type == "Turned18")
            assert api.get(f"/children/{child_id}", headers=headers).json()["stage"] == "adult"

            true_dob = typed.replace(year=typed.year + 2)
            corrected = api.post(f"/children/{child_id}/events", headers=headers, json={
                "type": "Corrected", "entry": 1, "reason": "the year was mistyped",
                "fields": {"date_of_birth": true_dob.isoformat()}})
            assert corrected.status_code == 201, corrected.text
            await relay_all(client, svc, queue)
            withdrawal = await wait_for_entry(
                svc, child_id, lambda e: e.event_type == "ConclusionWithdrawn"
                and e.fact.entry == turned.seq)
            assert "Corrected" in (withdrawal.reason or "")

        view = api.get(f"/children/{child_id}", headers=headers).json()
        assert (view["stage"], view["adult"], view["responsibility"]) == (
            "arrived", False, "social_services")
        turns_18 = [c for c in view["clocks"]
                    if c["rule_id"] == "age.eighteenth_birthday" and c["status"] == "open"]
        assert [datetime.fromisoformat(c["due"]) for c in turns_18] == [
            local_midnight(birthday(true_dob, 18), ZONE)]
        history = [e["type"] for e in api.get(f"/children/{child_id}/history",
                                              headers=headers).json()]
        assert history.index("Turned18") < history.index("Corrected") < history.index(
            "ConclusionWithdrawn")
