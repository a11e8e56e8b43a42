"""The delivery queue: claim what is due, record the outcome, retry with backoff.

A claimed delivery is leased: if the sender dies mid-delivery the lease runs out and the
delivery is tried again. Receivers get a stable id (Message-ID, Idempotency-Key) to fold
the rare repeat of a delivery that had arrived just before the crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from vaka.db import Database, ts

LEASE = timedelta(seconds=60)  # default; Settings.delivery_lease_seconds
MAX_ATTEMPTS = 8


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
    now = datetime.now(UTC)
    with db.transaction() as tx:
        rows = tx.execute(
            "SELECT d.notification_id, d.channel, d.target, d.attempts, n.kind, n.urgent,"
            " n.subject, n.body, n.child_id, n.created_at FROM deliveries d"
            " JOIN notifications n ON n.notification_id = d.notification_id"
            " WHERE d.channel = ? AND d.status IN ('pending', 'sending') AND d.next_try <= ?"
            " ORDER BY n.urgent DESC, d.next_try LIMIT ?", (channel, ts(now), limit))
        for row in rows:
            tx.execute("UPDATE deliveries SET status = 'sending', next_try = ?"
                       " WHERE notification_id = ? AND channel = ?",
                       (ts(now + lease), row["notification_id"], channel))
    return [Delivery(r["notification_id"], r["channel"], r["target"], r["attempts"], r["kind"],
                     bool(r["urgent"]), r["subject"], r["body"], r["child_id"],
                     r["created_at"]) for r in rows]


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
