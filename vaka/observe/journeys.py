"""How many journeys Temporal is running, asked at scrape time from its visibility store.

The client is made on first use and kept; a Temporal that does not answer within a few
seconds makes the scrape say so (vaka_temporal_up 0) rather than fail or hang.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from temporalio.client import Client

from workflows.messages import WORKFLOW

RUNNING = f"WorkflowType = '{WORKFLOW}' AND ExecutionStatus = 'Running'"
log = logging.getLogger("vaka.observe")


class JourneyCount:
    def __init__(self, connect: Callable[[], Awaitable[Client]], timeout: float = 3.0) -> None:
        self._connect = connect
        self._timeout = timeout
        self._client: Client | None = None

    async def running(self) -> int | None:
        try:
            if self._client is None:
                self._client = await asyncio.wait_for(self._connect(), self._timeout)
            counted = await self._client.count_workflows(
                RUNNING, rpc_timeout=timedelta(seconds=self._timeout))
        except Exception as exc:  # unreachable, or a visibility store that cannot count
            log.warning("journeys running: Temporal did not answer (%s)", type(exc).__name__)
            self._client = None
            return None
        return counted.count
