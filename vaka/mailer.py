"""Sends pending notification e-mails over SMTP, retrying with backoff.

Delivery is at least once: a crash after the server accepted a message and before the
row is marked sends it again, with the same Message-ID so mail clients fold the two.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from vaka.config import Settings
from vaka.db import Database, ts

log = logging.getLogger("vaka.mailer")
MAX_ATTEMPTS = 8


class Mailer:
    def __init__(self, db: Database, settings: Settings, batch_size: int = 50) -> None:
        self.db = db
        self.settings = settings
        self.batch_size = batch_size

    def step(self) -> int:
        now = datetime.now(UTC)
        with self.db.transaction(readonly=True) as tx:
            rows = tx.execute(
                "SELECT notification_id, recipient_email, subject, body, email_attempts"
                " FROM notifications WHERE email_status = 'pending' AND email_next_try <= ?"
                " ORDER BY urgent DESC, created_at LIMIT ?", (ts(now), self.batch_size))
        for row in rows:
            self._deliver(row)
        return len(rows)

    def _deliver(self, row: dict) -> None:  # type: ignore[type-arg]
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = row["recipient_email"]
        message["Subject"] = row["subject"]
        message["Message-ID"] = make_msgid(idstring=row["notification_id"], domain="vaka")
        message.set_content(row["body"])
        try:
            self._send(message)
        except (OSError, smtplib.SMTPException) as exc:
            attempts = row["email_attempts"] + 1
            status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            retry_at = datetime.now(UTC) + timedelta(seconds=min(2 ** attempts, 600))
            log.warning("e-mail %s not delivered (attempt %d): %s", row["notification_id"],
                        attempts, type(exc).__name__)
            with self.db.transaction() as tx:
                tx.execute(
                    "UPDATE notifications SET email_attempts = ?, email_status = ?,"
                    " email_error = ?, email_next_try = ? WHERE notification_id = ?",
                    (attempts, status, f"{type(exc).__name__}: {exc}"[:500], ts(retry_at),
                     row["notification_id"]))
            return
        with self.db.transaction() as tx:
            tx.execute(
                "UPDATE notifications SET email_status = 'delivered', email_sent_at = ?,"
                " email_attempts = email_attempts + 1, email_error = NULL"
                " WHERE notification_id = ?",
                (ts(datetime.now(UTC)), row["notification_id"]))

    def _send(self, message: EmailMessage) -> None:
        s = self.settings
        assert s.smtp_host
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password or "")
            smtp.send_message(message)
