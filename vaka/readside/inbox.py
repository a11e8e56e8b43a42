"""A person's inbox: their notifications with the delivery status per channel; marking read
and acknowledging; moving open items when a child gets a new caseworker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from vaka.readside.db import Database, Tx, from_ts, ts
from vaka.readside.paging import Slice, Window

ACKNOWLEDGEABLE = ("missed", "escalation")


@dataclass(frozen=True)
class Delivery:
    channel: str
    status: str
    attempts: int
    error: str | None
    delivered_at: datetime | None


@dataclass(frozen=True)
class Notification:
    notification_id: str
    child_id: str
    kind: str
    urgent: bool
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None
    acknowledged_at: datetime | None
    clock_id: str | None
    deliveries: list[Delivery]

    @property
    def acknowledgeable(self) -> bool:
        return self.kind in ACKNOWLEDGEABLE and self.clock_id is not None


def _with_deliveries(tx: Tx, rows: list[dict]) -> list[Notification]:  # type: ignore[type-arg]
    ids = [r["notification_id"] for r in rows]
    deliveries: dict[str, list[Delivery]] = {i: [] for i in ids}
    if ids:
        marks = ", ".join("?" for _ in ids)
        for d in tx.execute(f"SELECT * FROM deliveries WHERE notification_id IN ({marks})"
                            " ORDER BY channel", ids):
            deliveries[d["notification_id"]].append(Delivery(
                d["channel"], d["status"], d["attempts"], d["error"],
                from_ts(d["delivered_at"])))
    return [Notification(
        r["notification_id"], r["child_id"], r["kind"], bool(r["urgent"]), r["subject"],
        r["body"], from_ts(r["created_at"]), from_ts(r["read_at"]),
        from_ts(r["acknowledged_at"]), r["clock_id"], deliveries[r["notification_id"]],
    ) for r in rows]


def inbox(db: Database, user_id: str, window: Window, unread: bool = False
          ) -> Slice[Notification]:
    """The user's notifications, newest first."""
    sql = "SELECT * FROM notifications WHERE recipient_user_id = ?"
    if unread:
        sql += " AND read_at IS NULL"
    sql += " ORDER BY created_at DESC, event_seq DESC, notification_id LIMIT ? OFFSET ?"
    with db.transaction(readonly=True) as tx:
        rows = tx.execute(sql, (user_id, window.limit + 1, window.offset))
        return window.slice(_with_deliveries(tx, rows))


def unread_count(db: Database, user_id: str) -> int:
    with db.transaction(readonly=True) as tx:
        row = tx.one("SELECT COUNT(*) AS n FROM notifications WHERE recipient_user_id = ?"
                     " AND read_at IS NULL", (user_id,))
    return int(row["n"]) if row else 0


def mine(db: Database, user_id: str, notification_id: str) -> Notification | None:
    with db.transaction(readonly=True) as tx:
        rows = tx.execute("SELECT * FROM notifications WHERE notification_id = ?"
                          " AND recipient_user_id = ?", (notification_id, user_id))
        return _with_deliveries(tx, rows)[0] if rows else None


def mark_read(db: Database, user_id: str, notification_id: str) -> None:
    with db.transaction() as tx:
        tx.execute("UPDATE notifications SET read_at = ? WHERE notification_id = ?"
                   " AND recipient_user_id = ? AND read_at IS NULL",
                   (ts(datetime.now(UTC)), notification_id, user_id))


def mark_acknowledged(db: Database, notification_id: str) -> None:
    now = ts(datetime.now(UTC))
    with db.transaction() as tx:
        tx.execute("UPDATE notifications SET acknowledged_at = ?, read_at = COALESCE(read_at, ?)"
                   " WHERE notification_id = ?", (now, now, notification_id))


@dataclass(frozen=True)
class OpenItem:
    notification_id: str
    urgent: bool


def move_open_items(tx: Tx, child_id: str, previous: str, successor: str,
                    successor_email: str | None) -> list[OpenItem]:
    """The previous caseworker's open items for this child become the successor's; their
    undelivered e-mail and webhooks are dropped (the caller re-addresses them)."""
    rows = tx.execute(
        "SELECT notification_id, urgent FROM notifications WHERE child_id = ?"
        " AND recipient_user_id = ? AND acknowledged_at IS NULL"
        " AND (read_at IS NULL OR kind IN ('missed', 'escalation'))", (child_id, previous))
    for row in rows:
        tx.execute("UPDATE notifications SET recipient_user_id = ?, recipient_email = ?"
                   " WHERE notification_id = ?",
                   (successor, successor_email, row["notification_id"]))
        tx.execute("DELETE FROM deliveries WHERE notification_id = ?"
                   " AND status IN ('pending', 'held', 'failed')", (row["notification_id"],))
    return [OpenItem(r["notification_id"], bool(r["urgent"])) for r in rows]
