"""Changing the policy and restarting recomputes the open clocks of running journeys,
without breaking any running workflow."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from importlib import resources

import pytest

from tests.conftest import make_settings
from tests.support.casefile import now, register_child, report_missing
from tests.support.journeys import handle, relay_all, running_worker
from vaka.bootstrap import build
from vaka.runtime.policy_rollout import replan_running_journeys
from workflows.journey import ChildJourney

pytestmark = pytest.mark.temporal


def _police_due(status):  # type: ignore[no-untyped-def]
    return [t.at for t in status.planned if t.key.startswith("due|missing.police_report")]


async def _wait_for(client, child_id, predicate, timeout: float = 20):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = await handle(client, child_id).query(ChildJourney.get_status)
        if predicate(status):
            return status
        await asyncio.sleep(0.1)
    raise AssertionError("the journey never planned as expected")


async def test_a_new_policy_moves_the_open_police_report_clock_of_a_running_journey(
        temporal_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = temporal_env.client
    first = build(make_settings(tmp_path))
    child_id = register_child(first.case_file)
    last_seen = now() - timedelta(hours=1)
    report_missing(first.case_file, child_id, last_seen)
    async with running_worker(client, first) as queue:
        await relay_all(client, first, queue)
        await replan_running_journeys(client, first.db, first.policy)  # remembers v1
        await _wait_for(client, child_id,
                        lambda s: _police_due(s) == [last_seen + timedelta(hours=24)])
    first.close()

    text = resources.files("domain.policy").joinpath("default.toml").read_text("utf-8")
    changed = text.replace('version = "se-2026.11-3"', 'version = "test-48h"').replace(
        'due_after = "24h"                    # after ReportedMissing', 'due_after = "48h" #')
    policy_path = tmp_path / "policy.toml"
    policy_path.write_text(changed)
    second = build(make_settings(tmp_path, policy_path=policy_path))
    assert second.policy.version == "test-48h"
    async with running_worker(client, second, queue):
        signalled = await replan_running_journeys(client, second.db, second.policy)
        status = await _wait_for(client, child_id,
                                 lambda s: _police_due(s) == [last_seen + timedelta(hours=48)])
        assert signalled >= 1
        again = await replan_running_journeys(client, second.db, second.policy)
    assert again == 0  # a restart without a change signals nobody
    assert status.planned_version == second.case_file.get_case(child_id).version
    clocks = second.case_file.clocks(second.case_file.get_case(child_id))
    assert {c.policy_version for c in clocks} == {"test-48h"}
    second.close()
