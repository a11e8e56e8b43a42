"""A journey terminated in Temporal, or never started, is started again from the case file
by the reconciler: the child's clock still fires, and the supervisors are told."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from temporalio.client import WorkflowExecutionStatus

from tests.support.casefile import now, register_child, report_missing
from tests.support.journeys import (
    handle,
    is_missed,
    relay_all,
    running_worker,
    until_planned,
    wait_for_entry,
)
from vaka.bootstrap import Services

pytestmark = pytest.mark.temporal


def _project(svc: Services) -> None:
    projector = svc.projector()
    while projector.step():
        pass


def _alerts(svc: Services, kind: str) -> list[dict]:  # type: ignore[type-arg]
    with svc.db.transaction(readonly=True) as tx:
        return tx.execute("SELECT recipient_user_id, subject, body FROM notifications"
                          " WHERE kind = ?", (kind,))


async def test_a_terminated_journey_is_started_again_and_its_police_report_is_still_missed(
        temporal_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    client = temporal_env.client
    supervisor = svc.users.add("Supervisor", "supervisor", "Malmö", "sup@example.org")
    svc.users.add("Supervisor elsewhere", "supervisor", "Lund", "lund@example.org")
    child_id = register_child(svc.case_file)
    last_seen = now() - timedelta(hours=24) + timedelta(seconds=6)
    due = last_seen + timedelta(hours=24)  # the police report: due in six seconds
    version = report_missing(svc.case_file, child_id, last_seen)
    _project(svc)
    async with running_worker(client, svc) as queue:
        await relay_all(client, svc, queue)
        await until_planned(client, child_id, version)
        await handle(client, child_id).terminate(reason="someone who could reach Temporal")

        reconciler = svc.reconciler(client, queue)
        restarted = await reconciler.reconcile()
        assert [(r.child_id, r.was) for r in restarted] == [(str(child_id), "TERMINATED")]
        assert (await handle(client, child_id).describe()).status == \
            WorkflowExecutionStatus.RUNNING
        assert await reconciler.reconcile() == [], "a running journey is left alone"

        missed = await wait_for_entry(svc, child_id, is_missed("missing.police_report"),
                                      timeout=40)
    assert missed.occurred_at == due.astimezone(UTC)
    told = _alerts(svc, "journey_restarted")
    assert [a["recipient_user_id"] for a in told] == [supervisor.user_id]
    assert "startades om" in told[0]["subject"] and "TERMINATED" in told[0]["body"]
    assert "night staff" not in told[0]["body"] and "residential" not in told[0]["body"]


async def test_a_journey_that_was_never_started_is_started_by_the_reconciler(
        temporal_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    client = temporal_env.client
    child_id = register_child(svc.case_file)  # open clocks from arrival: god man, …
    version = report_missing(svc.case_file, child_id, now() - timedelta(hours=1))
    _project(svc)  # the read side knows the child; the relay never signalled Temporal
    async with running_worker(client, svc) as queue:
        reconciler = svc.reconciler(client, queue)
        assert await reconciler.reconcile() == [], "a case changed this minute: the relay's"
        reconciler.grace = timedelta(0)
        restarted = await reconciler.reconcile()
        assert [(r.child_id, r.was) for r in restarted] == [(str(child_id), "NOT_FOUND")]
        await until_planned(client, child_id, version)


async def test_the_reconciler_waits_its_interval_between_passes(
        temporal_env, sqlite_services: Services) -> None:  # type: ignore[no-untyped-def]
    svc = sqlite_services
    reconciler = svc.reconciler(temporal_env.client, "nobody-polls-this-queue")
    reconciler.every, reconciler.grace = 3600, timedelta(0)
    child_id = register_child(svc.case_file)
    _project(svc)
    assert await reconciler.step() == 1, "the first pass starts the journey"
    await handle(temporal_env.client, child_id).terminate()
    assert await reconciler.step() == 0, "the next pass waits for the interval"
    reconciler.every = 0
    assert await reconciler.step() == 1
