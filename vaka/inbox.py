"""The inbox: notification rows, one per recipient, and their deliveries per channel.

A row's id is derived from what it is about and who gets it, so writing the same alert
twice (a replayed batch, a retried event) adds nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import NAMESPACE_URL, uuid5

from vaka.alerts import Alert, Recipient
from vaka.db import Tx, ts

_NS = uuid5(NAMESPACE_URL, "urn:vaka:notification")


def notification_id(child_id: str, seq: int, recipient: Recipient, topic: str = "") -> str:
    about = f"{topic}/{child_id}" if topic else child_id
    return str(uuid5(_NS, f"{about}/{seq}/{recipient.key}"))


class Inbox:
    def __init__(self, email_enabled: bool) -> None:
        self.email_enabled = email_enabled

    def deliver(self, tx: Tx, child_id: str, seq: int, alert: Alert, topic: str = "") -> None:
        """Write the alert's rows and deliveries, each recipient once."""
        now = ts(datetime.now(UTC))
        seen: set[str] = set()
        for recipient in alert.recipients:
            if recipient.key in seen:
                continue
            seen.add(recipient.key)
            row_id = notification_id(child_id, seq, recipient, topic)
            inserted = tx.execute(
                "INSERT INTO notifications (notification_id, child_id, event_seq, kind, urgent,"
                " clock_id, recipient_user_id, recipient_email, recipient_label, subject, body,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (notification_id) DO NOTHING RETURNING notification_id",
                (row_id, child_id, seq, alert.kind, int(alert.urgent), alert.clock_id,
                 recipient.user_id, recipient.email, recipient.label, alert.subject, alert.body,
                 now),
            )
            if inserted:
                self.add_deliveries(tx, row_id, recipient, alert.urgent)

    def add_deliveries(self, tx: Tx, row_id: str, recipient: Recipient, urgent: bool) -> None:
        now = ts(datetime.now(UTC))
        for channel, target, status in self.channels(recipient, urgent):
            tx.execute("INSERT INTO deliveries (notification_id, channel, target, status,"
                       " next_try) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                       (row_id, channel, target, status, now))

    def channels(self, recipient: Recipient, urgent: bool) -> list[tuple[str, str, str]]:
        """(channel, target, status) beyond the inbox. A missing child is never held."""
        channels = []
        if recipient.email and self.email_enabled:
            held = recipient.digest and not urgent
            channels.append(("email", recipient.email, "held" if held else "pending"))
        if recipient.webhook_url:
            channels.append(("webhook", recipient.webhook_url, "pending"))
        return channels
