"""The escalation ladder on a real Temporal dev server with time skipping: a missed
police report goes to the head of unit after its grace period, again after each further
one, until someone acknowledges it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.casefile import CASEWORKER, now, register_child, report_missing
from tests.support.journeys import handle, is_missed, relay_all, running_worker, wait_for_entry
from vaka.bootstrap import Services

pytestmark = pytest.mark.temporal


def _escalations(svc: Services, child_id) -> list:  # type: ignore[no-untyped-def, type-arg]
    return [e for e in svc.case_file.get_case(child_id).entries if e.event_type == "Escalated"]


async def test_a_missed_police_report_escalates_every_grace_period_until_acknowledged(
        skipping_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    client = skipping_env.client
    child_id = register_child(svc.case_file)
    last_seen = now() - timedelta(hours=23)
    report_missing(svc.case_file, child_id, last_seen)
    async with running_worker(client, svc) as queue:
        await relay_all(client, svc, queue)
        await skipping_env.fast_forward(handle(client, child_id), timedelta(hours=5, minutes=30))
        await wait_for_entry(svc, child_id, is_missed("missing.police_report"))
        await wait_for_entry(svc, child_id, lambda e: e.event_type == "Escalated"
                             and e.occurred_at == last_seen + timedelta(hours=28))
        first = _escalations(svc, child_id)
        assert [e.occurred_at for e in first] == [last_seen + timedelta(hours=26),
                                                 last_seen + timedelta(hours=28)]
        assert {e.fact.subject for e in first} == {"missing.police_report@2"}

        svc.case_file.record(child_id, "EscalationAcknowledged",
                             {"clock_id": "missing.police_report@2"}, CASEWORKER, now())
        await relay_all(client, svc, queue)
        await skipping_env.fast_forward(handle(client, child_id), timedelta(hours=19))
        # The search review (24 h after the report) shows the journey ran on meanwhile.
        await wait_for_entry(svc, child_id, is_missed("missing.search_review"))
    assert len(_escalations(svc, child_id)) == 2
