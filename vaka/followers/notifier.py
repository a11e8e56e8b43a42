"""Turns recorded events into notifications: one row per recipient, written exactly once.

The row id is derived from (child, event, recipient) and the tracked position moves in
the same transaction, so a crash or a replayed batch never doubles a notification.
"""

from __future__ import annotations

from datetime import datetime, timezone
from uuid import NAMESPACE_URL, uuid5

from domain.case_file import CaseFile
from vaka.alerts import alert_for
from vaka.db import Database, Tx, ts
from vaka.followers.log import read_changes, read_position, save_position
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
        with self.db.transaction() as tx:
            after = read_position(tx, NAME)
            changes = read_changes(self.case_file, after, self.batch_size)
            if not changes:
                return 0
            cases = {}
            for change in changes:
                case = cases.get(change.child_id) or self.case_file.get_case(change.child_id)
                cases[change.child_id] = case
                self._notify(tx, case.entries[change.version - 1], case.state)
            save_position(tx, NAME, changes[-1].position)
        return len(changes)

    def _notify(self, tx: Tx, entry, state) -> None:  # type: ignore[no-untyped-def]
        link = f"{self.public_url}/children/{state.child_id}"
        alert = alert_for(entry, state, self.users, link)
        if alert is None:
            return
        now = ts(datetime.now(timezone.utc))
        seen: set[str] = set()
        for recipient in alert.recipients:
            if recipient.key in seen:
                continue
            seen.add(recipient.key)
            notification_id = str(uuid5(_NS, f"{state.child_id}/{entry.seq}/{recipient.key}"))
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
                (notification_id, state.child_id, entry.seq, alert.kind, int(alert.urgent),
                 recipient.user_id, recipient.email, recipient.label, alert.subject, alert.body,
                 now, email_status, now),
            )
