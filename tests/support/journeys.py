"""Running journeys in tests: a worker and the relay against a given Temporal client."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from temporalio.client import Client

from domain.entries import Entry
from vaka.bootstrap import Services
from vaka.runtime.temporal import build_worker
from workflows.journey import ChildJourney
from workflows.messages import journey_workflow_id


@asynccontextmanager
async def running_worker(client: Client, services: Services,
                         task_queue: str | None = None) -> AsyncIterator[str]:
    """A worker on a task queue of its own (or the given one); yields the queue name."""
    task_queue = task_queue or f"test-{uuid.uuid4().hex[:8]}"
    with ThreadPoolExecutor(max_workers=16) as executor:
        async with build_worker(client, services.case_file, task_queue, executor):
            yield task_queue


async def relay_all(client: Client, services: Services, task_queue: str) -> None:
    relay = services.relay(client, task_queue)
    while await relay.step():
        pass


def handle(client: Client, child_id: UUID) -> Any:
    return client.get_workflow_handle(journey_workflow_id(str(child_id)))


async def wait_for_entry(services: Services, child_id: UUID, match: Callable[[Entry], bool],
                         timeout: float = 30.0) -> Entry:
    """Poll the case file with a deadline until an entry matches (no sleeps as waits)."""
    deadline = time.monotonic() + timeout
    while True:
        case = await asyncio.to_thread(services.case_file.get_case, child_id)
        found = [e for e in case.entries if match(e)]
        if found:
            return found[0]
        if time.monotonic() > deadline:
            raise AssertionError(
                f"no matching entry within {timeout}s; history: "
                + ", ".join(e.event_type for e in case.entries))
        await asyncio.sleep(0.1)


def is_missed(rule_id: str) -> Callable[[Entry], bool]:
    return lambda e: e.event_type == "DeadlineMissed" and e.fact.rule_id == rule_id


async def until_planned(client: Client, child_id: UUID, version: int,
                        timeout: float = 20) -> None:
    """Until the journey has planned its timers on the case file at `version`: it has seen
    every entry up to there."""
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
