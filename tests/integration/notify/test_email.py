"""E-mail: each recipient gets each message once; a mail server that does not answer
leaves it pending with the reason."""

from __future__ import annotations

from datetime import timedelta

from tests.support.casefile import now, record_event, register_child, report_missing
from tests.support.readside import caseworker_and_supervisor, drain, rows
from tests.support.smtp import refusing_port, smtp_server
from vaka.bootstrap import Services
from vaka.notify.email import EmailSender


def test_each_recipient_gets_each_email_once(services: Services, backend) -> None:  # type: ignore[no-untyped-def]
    caseworker_id, _ = caseworker_and_supervisor(services)
    child_id = register_child(services.case_file)
    record_event(services.case_file, child_id, "CaseworkerAssigned", caseworker_id=caseworker_id)
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    drain(services.notifier(email_enabled=True).step)
    with smtp_server() as (inbox, port):
        settings = backend.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
        sender = EmailSender(services.db, settings)
        drain(sender.step)
        drain(sender.step)  # a second pass finds nothing left to send
        assert len(inbox.to("cw@example.org")) == 1
        assert len(inbox.to("sup@example.org")) == 1
    statuses = {r["status"] for r in rows(services, "SELECT * FROM deliveries")}
    assert statuses == {"delivered"}


def test_an_unreachable_mail_server_leaves_the_email_pending_with_the_reason(
        services: Services, backend) -> None:  # type: ignore[no-untyped-def]
    caseworker_and_supervisor(services)
    child_id = register_child(services.case_file)
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    drain(services.notifier(email_enabled=True).step)
    with refusing_port() as port:
        settings = backend.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
        EmailSender(services.db, settings).step()
    found = rows(services, "SELECT * FROM deliveries WHERE channel = 'email'")
    assert found and all(r["status"] == "pending" and r["error"] for r in found)
    assert all(r["attempts"] == 1 for r in found)
