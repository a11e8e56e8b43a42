"""Long clocks on a real Temporal dev server with time skipping."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.policy import load_policy
from tests.support.casefile import now, record_event, register_child, report_missing
from tests.support.journeys import handle, is_missed, relay_all, running_worker, wait_for_entry
from vaka.bootstrap import Services

ZONE = load_policy().timezone
pytestmark = pytest.mark.temporal


async def test_police_report_reminds_twice_then_is_missed_at_24_hours(
        skipping_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    child_id = register_child(svc.case_file)
    last_seen = now() - timedelta(minutes=30)
    report_missing(svc.case_file, child_id, last_seen)
    async with running_worker(skipping_env.client, svc) as queue:
        await relay_all(skipping_env.client, svc, queue)
        await skipping_env.fast_forward(handle(skipping_env.client, child_id), timedelta(hours=25))
        missed = await wait_for_entry(svc, child_id, is_missed("missing.police_report"))
    history = svc.case_file.get_case(child_id).entries
    reminded = [e.occurred_at for e in history if e.event_type == "DeadlineReminded"]
    assert reminded == [last_seen + timedelta(hours=2), last_seen + timedelta(hours=12)]
    assert missed.occurred_at == last_seen + timedelta(hours=24)


async def test_eighteenth_birthday_records_turned18_at_midnight_in_stockholm(
        skipping_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    birthday = (now() + timedelta(days=40)).date()
    child_id = register_child(svc.case_file, date_of_birth=date(birthday.year - 18, birthday.month,
                                                          birthday.day))
    record_event(svc.case_file, child_id, "GuardianAppointed", name="God man")
    async with running_worker(skipping_env.client, svc) as queue:
        await relay_all(skipping_env.client, svc, queue)
        await skipping_env.fast_forward(handle(skipping_env.client, child_id), timedelta(days=41))
        turned = await wait_for_entry(svc, child_id, lambda e: e.event_type == "Turned18")
    local = turned.occurred_at.astimezone(ZONE)
    assert (local.date(), local.hour, local.minute) == (birthday, 0, 0)
    state = svc.case_file.get_case(child_id).state
    assert state.stage == "adult" and state.responsibility == "migration_agency"


async def test_an_age_upgrade_moves_the_eighteenth_birthday(
        skipping_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    stated = (now() + timedelta(days=200)).date()
    assessed = (now() + timedelta(days=10)).date()
    child_id = register_child(svc.case_file, date_of_birth=date(stated.year - 18, stated.month,
                                                          stated.day))
    record_event(svc.case_file, child_id, "AgeAssessed", outcome="new_date_of_birth",
           date_of_birth=date(assessed.year - 18, assessed.month, assessed.day).isoformat())
    async with running_worker(skipping_env.client, svc) as queue:
        await relay_all(skipping_env.client, svc, queue)
        await skipping_env.fast_forward(handle(skipping_env.client, child_id), timedelta(days=11))
        turned = await wait_for_entry(svc, child_id, lambda e: e.event_type == "Turned18")
    assert turned.occurred_at.astimezone(ZONE).date() == assessed


async def test_a_police_report_filed_in_time_stops_the_clock(
        skipping_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    child_id = register_child(svc.case_file)
    report_missing(svc.case_file, child_id, now() - timedelta(hours=3))
    record_event(svc.case_file, child_id, "PoliceReportFiled", police_reference="K-1")
    async with running_worker(skipping_env.client, svc) as queue:
        await relay_all(skipping_env.client, svc, queue)
        await skipping_env.fast_forward(handle(skipping_env.client, child_id), timedelta(hours=30))
        # The search review has no report to stop it: its miss shows the journey ran past 24 h.
        await wait_for_entry(svc, child_id, is_missed("missing.search_review"))
    history = svc.case_file.get_case(child_id).entries
    assert not [e for e in history if e.event_type in ("DeadlineMissed", "DeadlineReminded")
                and e.fact.rule_id == "missing.police_report"]
