"""Turns recorded events into notifications: one row per recipient, written exactly once.

The row id is derived from (child, event, recipient) and the tracked position moves in
the same transaction, so a crash or a replayed batch never doubles a notification.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.case_file import CaseFile
from domain.child_case import ChildCase
from vaka.alerts import Alert, alert_for
from vaka.db import Database, Tx, ts
from vaka.followers.log import position, read_changes, read_position, save_position
from vaka.users import UserDirectory

NAME = "notifier"
_NS = uuid5(NAMESPACE_URL, "urn:vaka:notification")


class Notifier:
    def __init__(self, case_file: CaseFile, db: Database, users: UserDirectory, public_url: str,
                 email_enabled: bool, batch_size: int = 200) -> None:
        self.case_file = case_file
        self.db = db
        self.users = users
        self.public_url = public_url.rstrip("/")
        self.email_enabled = email_enabled
        self.batch_size = batch_size

    def step(self) -> int:
        # Who to tell is worked out before the write transaction, which then inserts the
        # rows and moves the position together, if no other notifier moved it meanwhile.
        after = position(self.db, NAME)
        changes = read_changes(self.case_file, after, self.batch_size)
        if not changes:
            return 0
        cases: dict[UUID, ChildCase] = {}
        alerts = []
        for change in changes:
            case = cases.get(change.child_id) or self.case_file.get_case(change.child_id)
            cases[change.child_id] = case
            entry = case.entries[change.version - 1]
            link = f"{self.public_url}/children/{case.id}"
            alert = alert_for(entry, case.state, self.users, self.case_file.policy, link)
            if alert is not None:
                alerts.append((str(case.id), entry.seq, alert))
        with self.db.transaction() as tx:
            if read_position(tx, NAME) != after:
                return 0  # another notifier got there first; nothing is doubled
            for child_id, seq, alert in alerts:
                self._insert(tx, child_id, seq, alert)
            save_position(tx, NAME, changes[-1].position)
        return len(changes)

    def _insert(self, tx: Tx, child_id: str, seq: int, alert: Alert) -> None:
        now = ts(datetime.now(UTC))
        seen: set[str] = set()
        for recipient in alert.recipients:
            if recipient.key in seen:
                continue
            seen.add(recipient.key)
            notification_id = str(uuid5(_NS, f"{child_id}/{seq}/{recipient.key}"))
            if recipient.email and self.email_enabled:
                email_status = "pending"
            elif recipient.email:
                email_status = "no_smtp"
            else:
                email_status = "none"
            tx.execute(
                "INSERT INTO notifications (notification_id, child_id, event_seq, kind, urgent,"
                " recipient_user_id, recipient_email, recipient_label, subject, body,"
                " created_at, email_status, email_next_try)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (notification_id) DO NOTHING",
                (notification_id, child_id, seq, alert.kind, int(alert.urgent),
                 recipient.user_id, recipient.email, recipient.label, alert.subject, alert.body,
                 now, email_status, now),
            )
