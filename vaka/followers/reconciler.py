"""The reconciler: every child with an open clock has a running journey.

A journey that should be running but is not (terminated by someone who could reach
Temporal, failed, timed out, or never started) would leave the child's clocks silent. The
reconciler compares the children with open clocks (the read side) with the journeys
Temporal runs, confirms each one missing with Temporal itself (the list is eventually
consistent), and starts it again from the case file as the relay does: signal-with-start
with the case's version, so the new run plans every clock, a clock that fell due meanwhile
at once. A journey not found for a case changed within the last minute is left to the
relay, which starts it. The supervisors of the child's municipality and the admins are
told, once per journey that stopped; the restart is logged without personal data.

Runs in the relay's process under a lease of its own (one active instance), every
VAKA_RECONCILE_INTERVAL_SECONDS.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from domain.case_file import CaseFile
from domain.errors import ChildNotFound
from domain.references import case_reference
from vaka.notify.alerts import Alert
from vaka.notify.audience import recipient_for
from vaka.notify.outbox import Outbox
from vaka.readside.db import Database
from vaka.readside.leases import Lease
from vaka.users import User, UserDirectory
from workflows.journey import ChildJourney
from workflows.messages import CASE_CHANGED, CaseChanged, JourneyInput, journey_workflow_id

NAME = "reconciler"
log = logging.getLogger("vaka.reconciler")

_RUNNING = "WorkflowType = 'ChildJourney' AND ExecutionStatus = 'Running'"


@dataclass(frozen=True)
class Watched:
    """A child that needs its journey: it has an open clock."""

    child_id: str
    municipality: str
    version: int


@dataclass(frozen=True)
class Restarted:
    child_id: str
    was: str  # what Temporal said of the journey: TERMINATED, FAILED, …, or NOT_FOUND
    run_id: str | None


class Reconciler:
    name = NAME

    def __init__(self, case_file: CaseFile, db: Database, users: UserDirectory,
                 outbox: Outbox, client: Client, task_queue: str, every: float) -> None:
        self.case_file = case_file
        self.db = db
        self.users = users
        self.outbox = outbox
        self.client = client
        self.task_queue = task_queue
        self.every = every
        self.lease: Lease | None = None
        # A case changed this recently may not have reached the relay yet.
        self.grace = timedelta(seconds=60)
        self._last = float("-inf")

    async def step(self) -> int:
        """A pass when one is due; the follow loop calls this every poll interval."""
        if time.monotonic() - self._last < self.every:
            return 0
        self._last = time.monotonic()
        return len(await self.reconcile())

    async def reconcile(self) -> list[Restarted]:
        watched = await asyncio.to_thread(self._watched)
        if not watched:
            return []
        running = {w.id async for w in self.client.list_workflows(_RUNNING)}
        restarted = []
        for child in watched:
            if journey_workflow_id(child.child_id) in running:
                continue
            done = await self._restart_if_stopped(child)
            if done is not None:
                restarted.append(done)
        return restarted

    def _watched(self) -> list[Watched]:
        with self.db.transaction(readonly=True) as tx:
            rows = tx.execute(
                "SELECT c.child_id, c.municipality, c.version FROM children c"
                " WHERE EXISTS (SELECT 1 FROM clocks k WHERE k.child_id = c.child_id"
                " AND k.status = 'open')")
        return [Watched(r["child_id"], r["municipality"], int(r["version"])) for r in rows]

    async def _restart_if_stopped(self, child: Watched) -> Restarted | None:
        handle = self.client.get_workflow_handle(journey_workflow_id(child.child_id))
        try:
            described = await handle.describe()
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            if await asyncio.to_thread(self._changed_lately, child.child_id):
                return None  # the relay starts it
            was, run_id = "NOT_FOUND", None
        else:
            if described.status == WorkflowExecutionStatus.RUNNING:
                return None  # started since the list was read
            was = described.status.name if described.status else "UNKNOWN"
            run_id = described.run_id
        await self.client.start_workflow(
            ChildJourney.run,
            JourneyInput(child.child_id, child.version),
            id=journey_workflow_id(child.child_id),
            task_queue=self.task_queue,
            start_signal=CASE_CHANGED,
            start_signal_args=[CaseChanged(child.version)],
        )
        log.warning("reconciler: journey of %s was %s; started again from the case file",
                    case_reference(child.child_id), was)
        restarted = Restarted(child.child_id, was, run_id)
        await asyncio.to_thread(self._tell, child, restarted)
        return restarted

    def _changed_lately(self, child_id: str) -> bool:
        try:
            case = self.case_file.get_case(UUID(child_id))
        except ChildNotFound:
            return True  # not in the case file (yet): nothing to start from
        last = max(e.recorded_at for e in case.entries)
        return datetime.now(UTC) - last < self.grace

    def _tell(self, child: Watched, restarted: Restarted) -> None:
        people = self.users.supervisors_of(child.municipality) + self.users.admins()
        with self.db.transaction() as tx:
            if self.lease is not None:
                self.lease.fence(tx)
            self.outbox.post(tx, child.child_id, child.version, _alarm(child, restarted, people),
                             topic=f"journey-restarted:{restarted.run_id or 'none'}")


def _alarm(child: Watched, restarted: Restarted, people: list[User]) -> Alert:
    ref = case_reference(child.child_id)
    return Alert(
        "journey_restarted", True,
        f"[Vaka] {ref}: ärendets bevakning startades om",
        f"Bevakningen av tidsfristerna i ärende {ref} hade stoppats i Temporal "
        f"({restarted.was}). Vaka har startat den igen från akten: en tidsfrist som löpte ut "
        "under tiden behandlas nu. Kontrollera ärendets tidsfrister, och ta reda på vem som "
        "stoppade bevakningen.\n\n"
        f"The journey that keeps the clocks of case {ref} had stopped in Temporal "
        f"({restarted.was}). Vaka started it again from the case file: a clock that fell due "
        "meanwhile is handled now. Check the case's clocks, and find out who stopped it.",
        [recipient_for(u, "supervisor" if u.role == "supervisor" else "admin")
         for u in people])
