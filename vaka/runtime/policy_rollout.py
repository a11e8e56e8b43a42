"""After a policy change: every running journey recomputes its open clocks, and the read
models are rewritten under the new version. Run at start by the relay and the projector;
each remembers the version it last rolled out, so a restart without a change does nothing.
"""

from __future__ import annotations

import logging

from temporalio.client import Client
from temporalio.service import RPCError

from domain.policy import Policy
from vaka.followers.projector import NAME as PROJECTOR
from vaka.readside.db import Database
from vaka.readside.tracking import mark_policy_seen, rewind, seen_policy
from workflows.journey import ChildJourney
from workflows.messages import WORKFLOW, PolicyChanged

log = logging.getLogger("vaka.policy")
RUNNING = f"WorkflowType = '{WORKFLOW}' AND ExecutionStatus = 'Running'"


async def replan_running_journeys(client: Client, db: Database, policy: Policy) -> int:
    """Signal every running journey once per new policy version; returns how many."""
    if seen_policy(db, "relay") == policy.version:
        return 0
    count = 0
    async for execution in client.list_workflows(RUNNING):
        try:
            await client.get_workflow_handle(execution.id).signal(
                ChildJourney.policy_changed, PolicyChanged(policy.version))
            count += 1
        except RPCError:  # it ended meanwhile
            continue
    mark_policy_seen(db, "relay", policy.version)
    log.info("policy %s: %d running journeys recompute their clocks", policy.version, count)
    return count


def reproject_all(db: Database, policy: Policy) -> bool:
    """Make the projector rewrite every child's rows: rewind its position."""
    if seen_policy(db, PROJECTOR) == policy.version:
        return False
    with db.transaction() as tx:
        rewind(tx, PROJECTOR)
    mark_policy_seen(db, PROJECTOR, policy.version)
    return True
