"""E-mail over SMTP, with STARTTLS or implicit TLS when configured."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
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
        sent = 0
        for delivery in outbox.claim_each(self.db, self.channel, self.batch_size, lease):
            sent += 1
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
        return sent

    def _message(self, delivery: outbox.Delivery) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = delivery.target
        message["Subject"] = delivery.subject
        message["Message-ID"] = message_id(delivery.notification_id)
        message.set_content(delivery.body)
        return message

    def send(self, message: EmailMessage) -> None:
        with smtp_session(self.settings, timeout=30) as smtp:
            smtp.send_message(message)


@contextmanager
def smtp_session(settings: Settings, timeout: float) -> Iterator[smtplib.SMTP]:
    """A session with the configured server: connected, EHLO said, STARTTLS and login done
    as configured (also what `vaka check` and /health/ready try)."""
    assert settings.smtp_host
    smtp_class = smtplib.SMTP_SSL if settings.smtp_ssl else smtplib.SMTP
    with smtp_class(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
        smtp.ehlo()
        if settings.smtp_starttls and not settings.smtp_ssl:
            smtp.starttls()
            smtp.ehlo()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        yield smtp
