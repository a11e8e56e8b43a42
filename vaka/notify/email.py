"""E-mail over SMTP, with STARTTLS or implicit TLS when configured."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

from vaka.config import Settings
from vaka.notify import outbox
from vaka.readside.db import Database

log = logging.getLogger("vaka.email")


def message_id(notification_id: str) -> str:
    """The same for every attempt, so a reader's mail client folds a repeat."""
    return f"<{notification_id}@vaka>"


class EmailSender:
    channel = "email"

    def __init__(self, db: Database, settings: Settings, batch_size: int = 50) -> None:
        self.db = db
        self.settings = settings
        self.batch_size = batch_size

    def step(self) -> int:
        lease = timedelta(seconds=self.settings.delivery_lease_seconds)
        batch = outbox.claim(self.db, self.channel, self.batch_size, lease)
        for delivery in batch:
            try:
                message = self._message(delivery)
            except Exception as exc:  # an address or text no e-mail can carry: this one only
                log.error("e-mail %s cannot be composed: %s", delivery.notification_id,
                          type(exc).__name__)
                outbox.failed(self.db, delivery, type(exc).__name__, permanent=True)
                continue
            try:
                self.send(message)
            except (OSError, smtplib.SMTPException) as exc:
                log.warning("e-mail %s not delivered: %s", delivery.notification_id,
                            type(exc).__name__)
                permanent = isinstance(exc, smtplib.SMTPRecipientsRefused)
                outbox.failed(self.db, delivery, f"{type(exc).__name__}: {exc}",
                              permanent=permanent)
            else:
                outbox.delivered(self.db, delivery)
        return len(batch)

    def _message(self, delivery: outbox.Delivery) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = delivery.target
        message["Subject"] = delivery.subject
        message["Message-ID"] = message_id(delivery.notification_id)
        message.set_content(delivery.body)
        return message

    def send(self, message: EmailMessage) -> None:
        s = self.settings
        assert s.smtp_host
        smtp_class = smtplib.SMTP_SSL if s.smtp_ssl else smtplib.SMTP
        with smtp_class(s.smtp_host, s.smtp_port, timeout=30) as smtp:
            if s.smtp_starttls and not s.smtp_ssl:
                smtp.starttls()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password or "")
            smtp.send_message(message)
