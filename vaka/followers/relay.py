"""The relay: delivers each change of a case file to the child's journey workflow.

Signal-with-start, so the first event of a child starts its journey. The position moves
only after Temporal accepted the batch; a crash in between re-delivers, and the workflow
ignores versions it has planned for. While Temporal is down, events wait in the case
file and the relay catches up when it returns.
"""

from __future__ import annotations

import asyncio
import logging

from temporalio.client import Client

from domain.case_file import CaseFile
from vaka.db import Database
from vaka.followers.log import latest_versions, position, read_changes, save_position
from workflows.journey import ChildJourney
from workflows.messages import CaseChanged, JourneyInput, journey_workflow_id

NAME = "relay"
log = logging.getLogger("vaka.relay")


class Relay:
    def __init__(self, case_file: CaseFile, db: Database, client: Client, task_queue: str,
                 batch_size: int = 500, concurrency: int = 32) -> None:
        self.case_file = case_file
        self.db = db
        self.client = client
        self.task_queue = task_queue
        self.batch_size = batch_size
        self._limit = asyncio.Semaphore(concurrency)

    async def step(self) -> int:
        after = await asyncio.to_thread(position, self.db, NAME)
        changes = await asyncio.to_thread(read_changes, self.case_file, after, self.batch_size)
        if not changes:
            return 0
        await asyncio.gather(*(
            self._signal(str(child_id), version)
            for child_id, version in latest_versions(changes).items()
        ))
        await asyncio.to_thread(self._save, changes[-1].position)
        return len(changes)

    def _save(self, value: int) -> None:
        with self.db.transaction() as tx:
            save_position(tx, NAME, value)

    async def _signal(self, child_id: str, version: int) -> None:
        async with self._limit:
            await self.client.start_workflow(
                ChildJourney.run,
                JourneyInput(child_id, version),
                id=journey_workflow_id(child_id),
                task_queue=self.task_queue,
                start_signal="case_changed",
                start_signal_args=[CaseChanged(version)],
            )
