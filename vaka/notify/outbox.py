"""The outbox: alerts posted as inbox rows, one per recipient, with a delivery per channel;
then the delivery queue: claim what is due, record the outcome, retry with backoff.

A row's id is derived from what it is about and who gets it, so posting the same alert
twice (a replayed batch, a retried event) adds nothing.

A claimed delivery is leased: if the sender dies mid-delivery the lease runs out and the
delivery is tried again. Receivers get a stable id (Message-ID, Idempotency-Key) to fold
the rare repeat of a delivery that had arrived just before the crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import NAMESPACE_URL, uuid5

from vaka.notify.alerts import Alert
from vaka.notify.audience import Recipient
from vaka.readside.db import Database, Tx, ts

LEASE = timedelta(seconds=60)  # default; Settings.delivery_lease_seconds
MAX_ATTEMPTS = 8
_NS = uuid5(NAMESPACE_URL, "urn:vaka:notification")


def notification_id(child_id: str, seq: int, recipient: Recipient, topic: str = "") -> str:
    about = f"{topic}/{child_id}" if topic else child_id
    return str(uuid5(_NS, f"{about}/{seq}/{recipient.key}"))


class Outbox:
    """Posts alerts: the inbox row of each recipient, and a delivery per channel they get."""

    def __init__(self, email_enabled: bool) -> None:
        self.email_enabled = email_enabled

    def post(self, tx: Tx, child_id: str, seq: int, alert: Alert, topic: str = "") -> None:
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


@dataclass(frozen=True)
class Delivery:
    notification_id: str
    channel: str
    target: str
    attempts: int
    kind: str
    urgent: bool
    subject: str
    body: str
    child_id: str
    created_at: str


class Permanent(Exception):
    """The receiver refused for good (e.g. HTTP 4xx): do not retry."""


def claim(db: Database, channel: str, limit: int, lease: timedelta = LEASE) -> list[Delivery]:
    """Due deliveries, leased to this sender. Each is taken by a conditional update, so of
    two senders claiming at once (PostgreSQL lets both read the same due rows) only the
    first gets it; the other's update finds the row no longer due."""
    now = datetime.now(UTC)
    with db.transaction() as tx:
        rows = tx.execute(
            "SELECT d.notification_id, d.channel, d.target, d.attempts, n.kind, n.urgent,"
            " n.subject, n.body, n.child_id, n.created_at FROM deliveries d"
            " JOIN notifications n ON n.notification_id = d.notification_id"
            " WHERE d.channel = ? AND d.status IN ('pending', 'sending') AND d.next_try <= ?"
            " ORDER BY n.urgent DESC, d.next_try LIMIT ?", (channel, ts(now), limit))
        rows = [row for row in rows if tx.execute(
            "UPDATE deliveries SET status = 'sending', next_try = ?"
            " WHERE notification_id = ? AND channel = ? AND status IN ('pending', 'sending')"
            " AND next_try <= ? RETURNING notification_id",
            (ts(now + lease), row["notification_id"], channel, ts(now)))]
    return [Delivery(r["notification_id"], r["channel"], r["target"], r["attempts"], r["kind"],
                     bool(r["urgent"]), r["subject"], r["body"], r["child_id"],
                     r["created_at"]) for r in rows]


def claim_each(db: Database, channel: str, limit: int, lease: timedelta = LEASE
               ) -> Iterator[Delivery]:
    """Up to `limit` due deliveries, each claimed just before it is handed out: a sender
    that dies strands only the one in hand until its lease runs out, and a slow receiver
    cannot outlast the lease of deliveries still waiting, which another sender would then
    take and send again."""
    for _ in range(limit):
        claimed = claim(db, channel, 1, lease)
        if not claimed:
            return
        yield claimed[0]


def delivered(db: Database, delivery: Delivery) -> None:
    with db.transaction() as tx:
        tx.execute("UPDATE deliveries SET status = 'delivered', delivered_at = ?,"
                   " attempts = attempts + 1, error = NULL"
                   " WHERE notification_id = ? AND channel = ?",
                   (ts(datetime.now(UTC)), delivery.notification_id, delivery.channel))


def failed(db: Database, delivery: Delivery, reason: str, *, permanent: bool = False) -> None:
    attempts = delivery.attempts + 1
    give_up = permanent or attempts >= MAX_ATTEMPTS
    retry_at = datetime.now(UTC) + timedelta(seconds=min(2 ** attempts, 900))
    with db.transaction() as tx:
        tx.execute("UPDATE deliveries SET status = ?, attempts = ?, error = ?, next_try = ?"
                   " WHERE notification_id = ? AND channel = ?",
                   ("failed" if give_up else "pending", attempts, reason[:500], ts(retry_at),
                    delivery.notification_id, delivery.channel))
