"""A journey lives for years: its workflow continues as new before its history grows
large, and keeps its clocks across the new run."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.casefile import now, record_event, register_child, report_missing
from tests.support.journeys import (
    handle,
    is_missed,
    relay_all,
    running_worker,
    until_planned,
    wait_for_entry,
)
from tests.support.temporal_server import start_dev_server
from vaka.bootstrap import Services, build

pytestmark = pytest.mark.temporal


@pytest.fixture(scope="module")
async def small_history_env(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A dev server that suggests continue-as-new after 40 history events, not 40,000."""
    server = await start_dev_server(tmp_path_factory.mktemp("temporal"), [
        "--dynamic-config-value", "limit.historyCount.suggestContinueAsNew=40"])
    yield server
    server.stop()


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
            await until_planned(client, child_id, services.case_file.get_case(child_id).version)
        report_missing(services.case_file, child_id,
                       now() - timedelta(hours=24) + timedelta(seconds=3))
        await relay_all(client, services, queue)
        await wait_for_entry(services, child_id, is_missed("missing.police_report"), timeout=20)
        latest = await handle(client, child_id).describe()
    assert latest.run_id != first_run
    assert latest.history_length <= 60
    services.close()

