"""Clocks on a real clock: a real Temporal dev server, no time skipping."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tests.conftest import make_settings
from tests.support.casefile import now, register_child, report_missing
from tests.support.journeys import is_missed, relay_all, running_worker, wait_for_entry
from vaka.bootstrap import Services, build

pytestmark = pytest.mark.temporal


@pytest.fixture
def store(backend) -> Services:  # type: ignore[no-untyped-def]
    svc = build(backend)
    yield svc  # type: ignore[misc]
    svc.close()


async def test_a_child_last_seen_almost_24_hours_ago_gets_a_missed_police_report_within_seconds(
        temporal_env, store: Services) -> None:  # type: ignore[no-untyped-def]
    child_id = register_child(store.case_file)
    last_seen = now() - timedelta(hours=24) + timedelta(seconds=4)
    report_missing(store.case_file, child_id, last_seen)
    async with running_worker(temporal_env.client, store) as queue:
        await relay_all(temporal_env.client, store, queue)
        missed = await wait_for_entry(store, child_id, is_missed("missing.police_report"),
                                      timeout=20)
    assert missed.occurred_at == last_seen + timedelta(hours=24)
    assert missed.recorded_at - missed.occurred_at < timedelta(seconds=3)


async def test_a_clock_that_fell_due_while_the_worker_was_down_fires_on_start(
        temporal_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = build(make_settings(tmp_path))
    child_id = register_child(store.case_file)
    last_seen = now() - timedelta(hours=24) + timedelta(seconds=3)
    report_missing(store.case_file, child_id, last_seen)
    async with running_worker(temporal_env.client, store) as queue:
        await relay_all(temporal_env.client, store, queue)
        await wait_for_entry(store, child_id, lambda e: e.event_type == "DeadlineReminded")
    # The worker is stopped now; the police report falls due while nobody is polling.
    store.close()
    while now() <= last_seen + timedelta(hours=24):
        await asyncio.sleep(0.1)
    restarted = build(make_settings(tmp_path))
    async with running_worker(temporal_env.client, restarted, queue):
        missed = await wait_for_entry(restarted, child_id, is_missed("missing.police_report"),
                                      timeout=20)
    assert missed.occurred_at == last_seen + timedelta(hours=24)
    restarted.close()

