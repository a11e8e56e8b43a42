"""Turns recorded events into notifications: one row per recipient, written exactly once.

The row id is derived from (child, event, recipient) and the tracked position moves in
the same transaction, so a crash or a replayed batch never doubles a notification.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from domain.case_file import CaseFile
from domain.child_case import ChildCase
from vaka.followers.follower import Follower
from vaka.followers.log import Change
from vaka.followers.quarantine import Quarantine
from vaka.notify.alerts import Alert, alert_for
from vaka.notify.audience import recipient_for
from vaka.notify.outbox import Outbox
from vaka.readside.db import Database, Tx
from vaka.readside.inbox import move_open_items
from vaka.users import User, UserDirectory

NAME = "notifier"


@dataclass
class Handover:
    child_id: str
    previous: str | None
    successor: str
    user: User | None


@dataclass
class Batch:
    alerts: list[tuple[str, int, Alert]] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)


class Notifier(Follower):
    name = NAME

    def __init__(self, case_file: CaseFile, db: Database, users: UserDirectory, outbox: Outbox,
                 quarantine: Quarantine, public_url: str, batch_size: int = 200) -> None:
        super().__init__(case_file, db, quarantine, batch_size)
        self.users = users
        self.outbox = outbox
        self.public_url = public_url.rstrip("/")

    def prepare(self, changes: list[Change], isolated: bool = False) -> Batch:
        """Who to tell, worked out before the write transaction."""
        cases: dict[UUID, ChildCase] = {}
        batch = Batch()
        for change in changes:
            case = cases.get(change.child_id) or self.case_file.get_case(change.child_id)
            cases[change.child_id] = case
            entry = case.entries[change.version - 1]
            link = f"{self.public_url}/barn/{case.id}"  # the child's web page
            alert = alert_for(entry, case.state_at(entry.seq), case.state, self.users,
                              self.case_file.policy, link)
            if alert is not None:
                batch.alerts.append((str(case.id), entry.seq, alert))
            if entry.event_type == "CaseworkerAssigned":
                successor = entry.fact.caseworker_id
                batch.handovers.append(Handover(str(case.id), _previous_caseworker(
                    case, entry.seq), successor, self.users.get(successor)))
        return batch

    def write(self, tx: Tx, prepared: Batch) -> None:
        for child_id, seq, alert in prepared.alerts:
            self.outbox.post(tx, child_id, seq, alert)
        for handover in prepared.handovers:
            if handover.previous and handover.previous != handover.successor:
                self._hand_over(tx, handover)

    def _hand_over(self, tx: Tx, handover: Handover) -> None:
        """Open inbox items of the previous caseworker for this child move on, with their
        undelivered e-mail and webhooks re-addressed to the new owner."""
        assert handover.previous is not None
        user = handover.user
        moved = move_open_items(tx, handover.child_id, handover.previous, handover.successor,
                                user.email if user else None)
        if user is not None:
            for item in moved:
                self.outbox.add_deliveries(tx, item.notification_id,
                                           recipient_for(user, "caseworker"), item.urgent)


def _previous_caseworker(case: ChildCase, seq: int) -> str | None:
    earlier = [e for e in case.entries[: seq - 1] if e.event_type == "CaseworkerAssigned"]
    return earlier[-1].fact.caseworker_id if earlier else None
