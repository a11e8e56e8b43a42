"""A journey lives for years: its workflow continues as new before its history grows
large, and keeps its clocks across the new run."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from tests.conftest import temporal_cli
from tests.support.casefile import now, record_event, register_child, report_missing
from tests.support.journeys import handle, is_missed, relay_all, running_worker, wait_for_entry
from vaka.bootstrap import Services, build
from workflows.journey import ChildJourney

pytestmark = pytest.mark.temporal


@pytest.fixture(scope="module")
async def small_history_env():  # type: ignore[no-untyped-def]
    """A dev server that suggests continue-as-new after 40 history events, not 40,000."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(), dev_server_log_level="error",
        dev_server_extra_args=["--dynamic-config-value",
                               "limit.historyCount.suggestContinueAsNew=40"])
    yield env
    await env.shutdown()


async def test_a_long_journey_continues_as_new_and_keeps_its_clocks(
        small_history_env, backend) -> None:  # type: ignore[no-untyped-def]
    services: Services = build(backend)
    client = small_history_env.client
    child_id = register_child(services.case_file)
    async with running_worker(client, services) as queue:
        await relay_all(client, services, queue)
        first_run = (await handle(client, child_id).describe()).run_id
        for i in range(15):
            record_event(services.case_file, child_id, "ContactAdded", role="school", name=f"S{i}")
            await relay_all(client, services, queue)
            await _until_planned(client, child_id, services.case_file.get_case(child_id).version)
        report_missing(services.case_file, child_id,
                       now() - timedelta(hours=24) + timedelta(seconds=3))
        await relay_all(client, services, queue)
        await wait_for_entry(services, child_id, is_missed("missing.police_report"), timeout=20)
        latest = await handle(client, child_id).describe()
    assert latest.run_id != first_run
    assert latest.history_length <= 60
    services.close()


async def _until_planned(client, child_id, version: int, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status = await handle(client, child_id).query(ChildJourney.get_status)
            if status.planned_version >= version:
                return
        except Exception:  # between runs a query may find no run to answer
            pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"the journey never planned version {version}")
