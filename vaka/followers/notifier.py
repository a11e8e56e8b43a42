"""Turns recorded events into notifications: one row per recipient, written exactly once.

The row id is derived from (child, event, recipient) and the tracked position moves in
the same transaction, so a crash or a replayed batch never doubles a notification.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.case_file import CaseFile
from domain.child_case import ChildCase
from vaka.alerts import Alert, Recipient, alert_for, recipient_for
from vaka.db import Database, Tx, ts
from vaka.followers.log import position, read_changes, read_position, save_position
from vaka.users import User, UserDirectory

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
        handovers = []
        for change in changes:
            case = cases.get(change.child_id) or self.case_file.get_case(change.child_id)
            cases[change.child_id] = case
            entry = case.entries[change.version - 1]
            link = f"{self.public_url}/children/{case.id}"
            alert = alert_for(entry, case.state, self.users, self.case_file.policy, link)
            if alert is not None:
                alerts.append((str(case.id), entry.seq, alert))
            if entry.event_type == "CaseworkerAssigned":
                handovers.append((str(case.id), _previous_caseworker(case, entry.seq),
                                  entry.fact.caseworker_id,
                                  self.users.get(entry.fact.caseworker_id)))
        with self.db.transaction() as tx:
            if read_position(tx, NAME) != after:
                return 0  # another notifier got there first; nothing is doubled
            for child_id, seq, alert in alerts:
                self._insert(tx, child_id, seq, alert)
            for child_id, previous, successor, user in handovers:
                if previous and previous != successor:
                    self._hand_over(tx, child_id, previous, successor, user)
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
            inserted = tx.execute(
                "INSERT INTO notifications (notification_id, child_id, event_seq, kind, urgent,"
                " clock_id, recipient_user_id, recipient_email, recipient_label, subject, body,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (notification_id) DO NOTHING RETURNING notification_id",
                (notification_id, child_id, seq, alert.kind, int(alert.urgent), alert.clock_id,
                 recipient.user_id, recipient.email, recipient.label, alert.subject, alert.body,
                 now),
            )
            if inserted:
                for channel, target, status in self._channels(recipient, alert.urgent):
                    tx.execute(
                        "INSERT INTO deliveries (notification_id, channel, target, status,"
                        " next_try) VALUES (?, ?, ?, ?, ?)",
                        (notification_id, channel, target, status, now))

    def _channels(self, recipient: Recipient, urgent: bool) -> list[tuple[str, str, str]]:
        """(channel, target, status) beyond the inbox. A missing child is never held."""
        channels = []
        if recipient.email and self.email_enabled:
            held = recipient.digest and not urgent
            channels.append(("email", recipient.email, "held" if held else "pending"))
        if recipient.webhook_url:
            channels.append(("webhook", recipient.webhook_url, "pending"))
        return channels

    def _hand_over(self, tx: Tx, child_id: str, previous: str, successor: str,
                   user: User | None) -> None:
        """Open inbox items of the previous caseworker for this child move on, with their
        undelivered e-mail and webhooks re-addressed to the new owner."""
        rows = tx.execute(
            "SELECT notification_id, urgent FROM notifications WHERE child_id = ?"
            " AND recipient_user_id = ? AND acknowledged_at IS NULL"
            " AND (read_at IS NULL OR kind IN ('missed', 'escalation'))",
            (child_id, previous))
        for row in rows:
            tx.execute("UPDATE notifications SET recipient_user_id = ?, recipient_email = ?"
                       " WHERE notification_id = ?",
                       (successor, user.email if user else None, row["notification_id"]))
            tx.execute("DELETE FROM deliveries WHERE notification_id = ?"
                       " AND status IN ('pending', 'held', 'failed')", (row["notification_id"],))
            if user is None:
                continue
            recipient = recipient_for(user, "caseworker")
            now = ts(datetime.now(UTC))
            for channel, target, status in self._channels(recipient, bool(row["urgent"])):
                tx.execute("INSERT INTO deliveries (notification_id, channel, target, status,"
                           " next_try) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           (row["notification_id"], channel, target, status, now))


def _previous_caseworker(case: ChildCase, seq: int) -> str | None:
    earlier = [e for e in case.entries[: seq - 1] if e.event_type == "CaseworkerAssigned"]
    return earlier[-1].fact.caseworker_id if earlier else None
