"""The daily digest: non-urgent e-mail held for users who chose it, sent once a day."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from vaka.config import Settings
from vaka.i18n import ngettext
from vaka.notify.email import EmailSender, message_id
from vaka.readside.db import Database, ts

DIGEST_AT = time(7, 0)  # local time; from then on each day the held items go out


class DigestSender:
    def __init__(self, db: Database, settings: Settings, email: EmailSender,
                 tz: ZoneInfo) -> None:
        self.tz = tz
        self.db = db
        self.settings = settings
        self.email = email

    def step(self, now: datetime | None = None) -> int:
        """From 07:00 each day, the held items of before 07:00 go out, one mail per
        address. Claimed with a lease first, like every delivery: two senders never
        both send, and a crashed sender's digest goes out once its lease runs out."""
        now = now or datetime.now(UTC)
        local = now.astimezone(self.tz)
        if local.time() < DIGEST_AT:
            return 0
        cutoff = ts(datetime.combine(local.date(), DIGEST_AT, self.tz))
        lease = timedelta(seconds=self.settings.delivery_lease_seconds)
        with self.db.transaction() as tx:
            rows = tx.execute(
                "SELECT d.notification_id, d.target, n.subject, n.body, n.created_at"
                " FROM deliveries d JOIN notifications n ON n.notification_id = d.notification_id"
                " WHERE d.channel = 'email' AND n.created_at < ? AND (d.status = 'held'"
                " OR (d.status = 'digest_sending' AND d.next_try <= ?))"
                " ORDER BY d.target, n.created_at", (cutoff, ts(now)))
            rows = [row for row in rows if tx.execute(  # each taken by one sender only
                "UPDATE deliveries SET status = 'digest_sending', next_try = ?"
                " WHERE notification_id = ? AND channel = 'email' AND (status = 'held'"
                " OR (status = 'digest_sending' AND next_try <= ?)) RETURNING notification_id",
                (ts(now + lease), row["notification_id"], ts(now)))]
        by_target: dict[str, list[dict]] = defaultdict(list)  # type: ignore[type-arg]
        for row in rows:
            by_target[row["target"]].append(row)
        for target, items in by_target.items():
            self._send(target, items)
        return len(rows)

    def _send(self, target: str, items: list[dict]) -> None:  # type: ignore[type-arg]
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = target
        count = {"n": len(items)}
        message["Subject"] = "[Vaka] " + ngettext(
            "sv", "Daily digest: %(n)d notification", "Daily digest: %(n)d notifications",
            len(items)) % count
        message["Message-ID"] = message_id("digest-" + items[0]["notification_id"])
        message.set_content("\n\n".join(f"{i['subject']}\n{i['body']}" for i in items))
        self.email.send(message)
        with self.db.transaction() as tx:
            for item in items:
                tx.execute("UPDATE deliveries SET status = 'delivered', delivered_at = ?,"
                           " attempts = attempts + 1 WHERE notification_id = ?"
                           " AND channel = 'email'",
                           (ts(datetime.now(UTC)), item["notification_id"]))
