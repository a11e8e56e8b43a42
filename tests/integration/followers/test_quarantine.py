"""One bad event never silences the alarms: a follower sets it aside, tells the admins and
goes on; an admin retries it once the cause is fixed, and it is applied exactly once.

The bad events are written straight into the store, past every check, as an older version
of Vaka could have written them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import psycopg
import pytest

from domain.child_case import ChildCase
from domain.entries import Actor
from domain.errors import UnreadableEntry
from tests.support.casefile import CASEWORKER, now, record_event, register_child, report_missing
from tests.support.readside import drain, rows
from vaka.bootstrap import Services
from vaka.followers.quarantine import is_outage

ADMIN = Actor("admin-1", "admin")


def _poison(services: Services, child_id: UUID, event_type: str, fields: dict) -> int:  # type: ignore[type-arg]
    """An entry no check of today's Vaka would let in, stored as it stands."""
    case = services.case_file.get_case(child_id)
    entry = case.record(event_type, fields, now(), CASEWORKER, None, None)
    services.case_file.save(case)
    return entry.seq


def _unreadable(services: Services, child_id: UUID, event_type: str, fields: dict) -> None:  # type: ignore[type-arg]
    """An entry written by another version, in a shape this version cannot read."""
    case = services.case_file.get_case(child_id)
    event = ChildCase.Recorded(
        originator_id=case.id, originator_version=case.version + 1,
        timestamp=datetime.now(UTC), event_type=event_type, fields=fields,
        occurred_at=datetime.now(UTC), actor={"user_id": "caseworker-1", "role": "caseworker"},
        reason=None, command_id=None)
    services.case_file.events.put([event])


@pytest.fixture
def people(services: Services) -> dict[str, str]:
    return {
        "admin": services.users.add("Admin", "admin", None, "admin@example.org").user_id,
        "supervisor": services.users.add("Sup", "supervisor", "Malmö", "sup@example.org").user_id,
    }


def _missing_children(services: Services) -> set[str]:
    return {r["child_id"] for r in rows(
        services, "SELECT child_id FROM children WHERE missing_since IS NOT NULL")}


def _inbox(services: Services, user_id: str, kind: str) -> list[dict]:  # type: ignore[type-arg]
    return rows(services, "SELECT * FROM notifications WHERE recipient_user_id = ?"
                 " AND kind = ?", (user_id, kind))


def test_a_municipality_the_read_side_cannot_hold_does_not_stop_other_childrens_alarms(
        services: Services, people: dict[str, str]) -> None:
    poisoned = register_child(services.case_file)
    _poison(services, poisoned, "MunicipalityAssigned", {"municipality": "Strömsund\u0000"})
    report_missing(services.case_file, poisoned, now() - timedelta(hours=2))
    other = register_child(services.case_file)
    report_missing(services.case_file, other, now() - timedelta(hours=1))

    drain(services.projector().step, services.notifier().step)

    assert str(other) in _missing_children(services)
    alerts = _inbox(services, people["supervisor"], "missing")
    assert [a["child_id"] for a in alerts] == [str(other)]
    set_aside = {(q.follower, q.child_id) for q in services.quarantine().list()}
    assert ("projector", str(poisoned)) in set_aside
    assert ("notifier", str(poisoned)) in set_aside


def test_the_admins_are_told_at_once_which_event_was_set_aside_and_why(
        services: Services, people: dict[str, str]) -> None:
    child = register_child(services.case_file)
    seq = _poison(services, child, "MunicipalityAssigned", {"municipality": "Lund\u0000"})

    drain(services.projector().step)

    (alarm,) = _inbox(services, people["admin"], "quarantine")
    assert alarm["urgent"] == 1 and alarm["child_id"] == str(child)
    assert "projector" in alarm["subject"] and f"Händelse {seq}" in alarm["body"]
    (item,) = services.quarantine().list()
    assert (item.event_type, item.version, item.status) == ("MunicipalityAssigned", seq,
                                                            "quarantined")
    assert item.error.startswith("UnstorableValue")
    assert "vaka/" in (item.location or "")
    assert "Lund" not in item.error + (item.location or "") + alarm["body"]


def test_a_retry_after_a_correction_applies_the_event_once(
        services: Services, people: dict[str, str]) -> None:
    child = register_child(services.case_file)
    bad = _poison(services, child, "MunicipalityAssigned", {"municipality": "Malmö\u0000"})
    report_missing(services.case_file, child, now() - timedelta(hours=1))
    drain(services.projector().step, services.notifier().step)
    assert _inbox(services, people["supervisor"], "missing") == []

    services.case_file.record(child, "Corrected", {"entry": bad, "fields": {
        "municipality": "Malmö"}}, ADMIN, now(), reason="a stray NUL from an old client")
    quarantine = services.quarantine()
    for item in quarantine.list():
        quarantine.request_retry(item.follower, item.position, people["admin"])
        quarantine.request_retry(item.follower, item.position, people["admin"])  # twice
    # Two notifiers race for the same retry: one applies it.
    drain(services.notifier().step, services.notifier().step, services.projector().step)

    assert {q.status for q in quarantine.list()} == {"resolved"}
    assert [a["child_id"] for a in _inbox(services, people["supervisor"], "missing")] == [
        str(child)]
    assert str(child) in _missing_children(services)


def test_a_retry_that_fails_again_stays_quarantined_with_the_attempt_counted(
        services: Services, people: dict[str, str]) -> None:
    child = register_child(services.case_file)
    _poison(services, child, "MunicipalityAssigned", {"municipality": "Ydre\u0000"})
    drain(services.projector().step)
    (item,) = services.quarantine().list()

    services.quarantine().request_retry(item.follower, item.position, people["admin"])
    drain(services.projector().step)

    (again,) = services.quarantine().list()
    assert (again.status, again.attempts) == ("quarantined", 2)
    assert len(_inbox(services, people["admin"], "quarantine")) == 1  # told once, not again


def test_an_entry_this_version_cannot_read_is_set_aside_and_the_others_go_on(
        services: Services, people: dict[str, str]) -> None:
    child = register_child(services.case_file)
    _unreadable(services, child, "Found", {"location": "elsewhere"})
    other = register_child(services.case_file)
    report_missing(services.case_file, other, now() - timedelta(hours=1))

    drain(services.projector().step, services.notifier().step)

    assert str(other) in _missing_children(services)
    assert len(_inbox(services, people["supervisor"], "missing")) == 1
    assert {q.follower for q in services.quarantine().list()} == {"projector", "notifier"}
    with pytest.raises(UnreadableEntry):
        services.case_file.get_case(child)


def test_a_store_that_does_not_answer_is_an_outage_not_the_events_fault() -> None:
    def answers() -> bool:
        return True

    def silent() -> bool:
        return False

    assert is_outage(psycopg.OperationalError("connection refused"), answers)
    assert is_outage(ValueError("anything"), silent)
    assert not is_outage(ValueError("anything"), answers)


def test_a_follower_that_loses_its_store_stops_without_setting_anything_aside(
        services: Services, people: dict[str, str]) -> None:
    child = register_child(services.case_file)
    record_event(services.case_file, child, "GuardianAppointed", name="God man")
    projector = services.projector()
    services.db.close()
    with pytest.raises(Exception):  # noqa: B017 - any failure; what matters is what follows
        projector.step()
    from vaka.bootstrap import build

    reopened = build(services.settings)
    try:
        assert reopened.quarantine().list() == []
        drain(reopened.projector().step)
        assert rows(reopened, "SELECT version FROM children")[0]["version"] == 2
    finally:
        reopened.close()


def test_an_address_no_email_can_carry_fails_that_delivery_and_the_others_go_out(
        services: Services, backend) -> None:  # type: ignore[no-untyped-def]
    from tests.support.smtp import smtp_server
    from vaka.notify.email import EmailSender

    services.users.add("Sup", "supervisor", "Malmö", "sup@example.org")
    child = register_child(services.case_file)
    _poison(services, child, "ContactAdded", {"role": "school", "name": "Skolan",
                                              "email": "skolan@example.org\nBcc: x@evil"})
    report_missing(services.case_file, child, now() - timedelta(hours=1))
    drain(services.notifier(email_enabled=True).step)
    with smtp_server() as (inbox, port):
        settings = backend.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
        drain(EmailSender(services.db, settings).step)
        assert len(inbox.to("sup@example.org")) == 1
        assert inbox.to("x@evil") == []
    statuses = {r["target"].split("@")[0]: r["status"] for r in rows(
        services, "SELECT target, status FROM deliveries")}
    assert statuses == {"sup": "delivered", "skolan": "failed"}
