"""After a policy change: every running journey recomputes its open clocks, and the read
models are rewritten under the new version. Run at start by the relay and the projector;
each remembers the version it last rolled out, so a restart without a change does nothing.
"""

from __future__ import annotations

import logging

from temporalio.client import Client
from temporalio.service import RPCError

from domain.policy import Policy
from vaka.db import Database
from workflows.journey import ChildJourney
from workflows.messages import PolicyChanged

log = logging.getLogger("vaka.policy")
RUNNING = "WorkflowType = 'ChildJourney' AND ExecutionStatus = 'Running'"


def seen_version(db: Database, component: str) -> str | None:
    with db.transaction(readonly=True) as tx:
        row = tx.one("SELECT version FROM policy_seen WHERE component = ?", (component,))
    return row["version"] if row else None


def mark_seen(db: Database, component: str, version: str) -> None:
    with db.transaction() as tx:
        tx.execute("INSERT INTO policy_seen (component, version) VALUES (?, ?)"
                   " ON CONFLICT (component) DO UPDATE SET version = excluded.version",
                   (component, version))


async def replan_running_journeys(client: Client, db: Database, policy: Policy) -> int:
    """Signal every running journey once per new policy version; returns how many."""
    if seen_version(db, "relay") == policy.version:
        return 0
    count = 0
    async for execution in client.list_workflows(RUNNING):
        try:
            await client.get_workflow_handle(execution.id).signal(
                ChildJourney.policy_changed, PolicyChanged(policy.version))
            count += 1
        except RPCError:  # it ended meanwhile
            continue
    mark_seen(db, "relay", policy.version)
    log.info("policy %s: %d running journeys recompute their clocks", policy.version, count)
    return count


def reproject_all(db: Database, policy: Policy) -> bool:
    """Make the projector rewrite every child's rows: rewind its position."""
    if seen_version(db, "projector") == policy.version:
        return False
    with db.transaction() as tx:
        tx.execute("UPDATE tracking SET position = 0 WHERE follower = 'projector'")
    mark_seen(db, "projector", policy.version)
    return True
