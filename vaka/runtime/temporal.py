"""Connecting to Temporal, and the worker that runs the journeys."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.worker import Worker

from activities.journey import JourneyActivities
from domain.case_file import CaseFile
from vaka.config import Settings
from workflows.journey import ChildJourney

log = logging.getLogger("vaka.runtime.temporal")


async def connect(settings: Settings, *, wait: bool = True) -> Client:
    """Connect, retrying with backoff while the server is not (yet) up."""
    delay = 0.5
    while True:
        try:
            return await Client.connect(settings.temporal_address,
                                        namespace=settings.temporal_namespace)
        except Exception as exc:  # the SDK raises RuntimeError for an unreachable server
            if not wait:
                raise
            log.warning("Temporal at %s not reachable (%s); retrying in %.1fs",
                        settings.temporal_address, type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)


def build_worker(client: Client, case_file: CaseFile, task_queue: str,
                 executor: ThreadPoolExecutor) -> Worker:
    activities = JourneyActivities(case_file)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ChildJourney],
        activities=[activities.plan_timers, activities.fire_timer],
        activity_executor=executor,
        max_concurrent_activities=16,
    )
