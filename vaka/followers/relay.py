"""The relay: delivers each change of a case file to the child's journey workflow.

Signal-with-start, so the first event of a child starts its journey. The position moves
only after Temporal accepted the batch; a crash in between re-delivers, and the workflow
ignores versions it has planned for. Under a lease (vaka.readside.leases) the position
moves only while this relay still holds it: a paused old relay that resumes after a
standby took over re-signals at most the batch it had in hand, which the workflows
ignore, and cannot move the position. While Temporal is down, events wait in the case
file and the relay catches up when it returns. A child whose signal Temporal refuses for
a reason of that request is quarantined, and the others go on.
"""

from __future__ import annotations

import asyncio
import logging

from temporalio.client import Client

from domain.case_file import CaseFile
from vaka.followers.log import Change, read_changes
from vaka.followers.quarantine import Quarantine, is_outage
from vaka.readside.db import Database
from vaka.readside.leases import Lease, may_advance
from vaka.readside.tracking import position, save_position
from workflows.journey import ChildJourney
from workflows.messages import CASE_CHANGED, CaseChanged, JourneyInput, journey_workflow_id

NAME = "relay"
log = logging.getLogger("vaka.relay")


class Relay:
    name = NAME

    def __init__(self, case_file: CaseFile, db: Database, client: Client, task_queue: str,
                 quarantine: Quarantine, batch_size: int = 500, concurrency: int = 32) -> None:
        self.case_file = case_file
        self.db = db
        self.client = client
        self.task_queue = task_queue
        self.quarantine = quarantine
        self.batch_size = batch_size
        self._limit = asyncio.Semaphore(concurrency)
        self.lease: Lease | None = None  # set when several relays may run

    async def step(self) -> int:
        done = await self._retries()
        after = await asyncio.to_thread(position, self.db, NAME)
        changes = await asyncio.to_thread(read_changes, self.case_file, after, self.batch_size)
        if not changes:
            return done
        latest: dict[str, Change] = {}
        for change in changes:
            latest[str(change.child_id)] = change
        results = await asyncio.gather(*(self._signal(c) for c in latest.values()),
                                       return_exceptions=True)
        failed = []
        for change, result in zip(latest.values(), results, strict=True):
            if isinstance(result, BaseException):
                if not isinstance(result, Exception) or await self._outage(result):
                    raise result
                failed.append((change, result))
        await asyncio.to_thread(self._save, after, changes[-1].position, failed)
        return done + len(changes)

    def _save(self, after: int, value: int, failed: list[tuple[Change, Exception]]) -> None:
        admins = self.quarantine.admins() if failed else []
        with self.db.transaction() as tx:
            if not may_advance(tx, NAME, after, self.lease):
                return  # another relay moved on; what it signalled, it signalled
            for change, exc in failed:
                log.error("relay: child %s (entry %s) quarantined: %s", change.child_id,
                          change.version, type(exc).__name__)
                self.quarantine.put(tx, NAME, change, exc, None, admins)
            save_position(tx, NAME, value)

    async def _retries(self) -> int:
        done = 0
        for item in await asyncio.to_thread(self.quarantine.requested, NAME):
            try:
                await self._signal(item.change)
            except Exception as exc:
                if await self._outage(exc):
                    raise
                await asyncio.to_thread(self.quarantine.failed_again, NAME, item.position, exc)
                continue
            await asyncio.to_thread(self._resolve, item.position)
            done += 1
        return done

    def _resolve(self, at: int) -> None:
        with self.db.transaction() as tx:
            if self.lease is not None:
                self.lease.fence(tx)
            self.quarantine.resolve(tx, NAME, at)

    async def _outage(self, exc: BaseException) -> bool:
        healthy = await self._temporal_answers()
        return not healthy or await asyncio.to_thread(is_outage, exc, self.db.answers)

    async def _temporal_answers(self) -> bool:
        try:
            return await self.client.service_client.check_health()
        except Exception:
            return False

    async def _signal(self, change: Change) -> None:
        child_id = str(change.child_id)
        async with self._limit:
            await self.client.start_workflow(
                ChildJourney.run,
                JourneyInput(child_id, change.version),
                id=journey_workflow_id(child_id),
                task_queue=self.task_queue,
                start_signal=CASE_CHANGED,
                start_signal_args=[CaseChanged(change.version)],
            )
