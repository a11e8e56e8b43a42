"""Read models and notifications follow the case file, resume, and never double."""

from __future__ import annotations

from datetime import timedelta

from tests.builders import now, record, register, report_missing
from tests.smtp import smtp_server
from vaka.bootstrap import Services
from vaka.delivery.email import EmailSender


def _drain(step) -> None:  # type: ignore[no-untyped-def]
    while step():
        pass


def _rows(services: Services, sql: str, params: tuple = ()) -> list[dict]:  # type: ignore[type-arg]
    with services.db.transaction() as tx:
        return tx.execute(sql, params)


def _people(services: Services) -> tuple[str, str]:
    caseworker = services.users.add("Cw", "caseworker", "Malmö", "cw@example.org")
    supervisor = services.users.add("Sup", "supervisor", "Malmö", "sup@example.org")
    return caseworker.user_id, supervisor.user_id


def test_projector_shows_a_missing_child_and_its_open_police_report(services: Services) -> None:
    child_id = register(services.case_file)
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    _drain(services.projector().step)
    child = _rows(services, "SELECT * FROM children WHERE child_id = ?", (str(child_id),))[0]
    assert child["missing_since"] is not None
    rules = {r["rule_id"]: r["status"] for r in _rows(
        services, "SELECT * FROM clocks WHERE child_id = ?", (str(child_id),))}
    assert rules["missing.police_report"] == "open"


def test_projector_resumes_after_a_restart_without_doubling_rows(services: Services) -> None:
    children = [register(services.case_file) for _ in range(5)]
    for child_id in children:
        report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    services.projector(batch_size=3).step()  # then "crashes"
    _drain(services.projector(batch_size=3).step)
    with services.db.transaction() as tx:  # a replay from the start rewrites, never adds
        tx.execute("UPDATE tracking SET position = 0 WHERE follower = 'projector'")
    _drain(services.projector().step)
    counts = _rows(services, "SELECT child_id, COUNT(*) AS n FROM clocks"
                   " WHERE rule_id = 'missing.police_report' GROUP BY child_id")
    assert sorted(r["child_id"] for r in counts) == sorted(str(c) for c in children)
    assert {r["n"] for r in counts} == {1}


def test_reported_missing_notifies_caseworker_supervisor_and_contacts_once(
        services: Services) -> None:
    caseworker_id, supervisor_id = _people(services)
    child_id = register(services.case_file)
    record(services.case_file, child_id, "CaseworkerAssigned", caseworker_id=caseworker_id)
    record(services.case_file, child_id, "ContactAdded", role="school", name="School",
           email="school@example.org")
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    notifier = services.notifier(email_enabled=True)
    _drain(notifier.step)
    with services.db.transaction() as tx:  # replaying the whole log doubles nothing
        tx.execute("UPDATE tracking SET position = 0 WHERE follower = 'notifier'")
    _drain(notifier.step)
    rows = _rows(services, "SELECT * FROM notifications WHERE kind = 'missing'")
    recipients = sorted(r["recipient_user_id"] or r["recipient_email"] for r in rows)
    assert recipients == sorted([caseworker_id, supervisor_id, "school@example.org"])


def test_notification_text_carries_no_personal_data(services: Services) -> None:
    _people(services)
    child_id = register(services.case_file)
    record(services.case_file, child_id, "ContactAdded", role="placement", name="Home",
           email="home@example.org")
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    _drain(services.notifier(email_enabled=True).step)
    for row in _rows(services, "SELECT subject, body FROM notifications"):
        text = row["subject"] + row["body"]
        assert "the residential home" not in text and "night staff" not in text
        assert "Malmö" not in text


def test_each_recipient_gets_each_email_once(services: Services, backend) -> None:  # type: ignore[no-untyped-def]
    caseworker_id, _ = _people(services)
    child_id = register(services.case_file)
    record(services.case_file, child_id, "CaseworkerAssigned", caseworker_id=caseworker_id)
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    _drain(services.notifier(email_enabled=True).step)
    with smtp_server() as (inbox, port):
        settings = backend.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
        sender = EmailSender(services.db, settings)
        _drain(sender.step)
        _drain(sender.step)  # a second pass finds nothing left to send
        assert len(inbox.to("cw@example.org")) == 1
        assert len(inbox.to("sup@example.org")) == 1
    statuses = {r["status"] for r in _rows(services, "SELECT * FROM deliveries")}
    assert statuses == {"delivered"}


def test_an_unreachable_mail_server_leaves_the_email_pending_with_the_reason(
        services: Services, backend) -> None:  # type: ignore[no-untyped-def]
    _people(services)
    child_id = register(services.case_file)
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    _drain(services.notifier(email_enabled=True).step)
    from tests.conftest import free_port

    settings = backend.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": free_port()})
    EmailSender(services.db, settings).step()
    rows = _rows(services, "SELECT * FROM deliveries WHERE channel = 'email'")
    assert rows and all(r["status"] == "pending" and r["error"] for r in rows)
    assert all(r["attempts"] == 1 for r in rows)
