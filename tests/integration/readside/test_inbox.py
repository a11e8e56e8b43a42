"""A person's inbox: newest first, unread on request, read and acknowledged marks, and
open items that move to the next caseworker."""

from __future__ import annotations

from datetime import timedelta

from tests.support.casefile import now, record_event, register_child, report_missing
from tests.support.readside import drain
from vaka.bootstrap import Services
from vaka.readside import inbox
from vaka.readside.paging import Window


def _supervisor_with_alerts(services: Services, missing: int) -> str:
    supervisor = services.users.add("Sup", "supervisor", "Malmö").user_id
    for hours in range(missing):
        report_missing(services.case_file, register_child(services.case_file),
                       now() - timedelta(hours=hours + 1))
    drain(services.notifier().step)
    return supervisor


def test_the_inbox_is_newest_first_and_unread_can_be_asked_for_alone(
        services: Services) -> None:
    supervisor = _supervisor_with_alerts(services, missing=3)
    items = inbox.inbox(services.db, supervisor, Window()).items
    assert [n.kind for n in items] == ["missing"] * 3
    assert [n.created_at for n in items] == sorted((n.created_at for n in items), reverse=True)

    inbox.mark_read(services.db, supervisor, items[0].notification_id)

    unread = inbox.inbox(services.db, supervisor, Window(), unread=True).items
    assert [n.notification_id for n in unread] == [n.notification_id for n in items[1:]]
    assert inbox.unread_count(services.db, supervisor) == 2
    assert inbox.mine(services.db, supervisor, items[0].notification_id).read_at is not None
    assert inbox.mine(services.db, "someone-else", items[0].notification_id) is None


def test_acknowledging_marks_it_read_as_well(services: Services) -> None:
    supervisor = _supervisor_with_alerts(services, missing=1)
    (item,) = inbox.inbox(services.db, supervisor, Window()).items
    inbox.mark_acknowledged(services.db, item.notification_id)
    again = inbox.mine(services.db, supervisor, item.notification_id)
    assert again is not None and again.acknowledged_at and again.read_at


def test_open_items_of_a_child_move_to_the_next_caseworker_and_read_ones_stay(
        services: Services) -> None:
    sara = services.users.add("Sara", "caseworker", "Malmö").user_id
    omar = services.users.add("Omar", "caseworker", "Malmö", "omar@example.org").user_id
    child = register_child(services.case_file)
    record_event(services.case_file, child, "CaseworkerAssigned", caseworker_id=sara)
    report_missing(services.case_file, child, now() - timedelta(hours=1))
    record_event(services.case_file, child, "Found", location="sweden")
    drain(services.notifier().step)
    missing, found = sorted(inbox.inbox(services.db, sara, Window()).items,
                            key=lambda n: n.kind, reverse=True)
    inbox.mark_read(services.db, sara, found.notification_id)

    with services.db.transaction() as tx:
        moved = inbox.move_open_items(tx, str(child), sara, omar, "omar@example.org")

    assert [m.notification_id for m in moved] == [missing.notification_id]
    assert [n.kind for n in inbox.inbox(services.db, omar, Window()).items] == ["missing"]
    assert [n.kind for n in inbox.inbox(services.db, sara, Window()).items] == ["found"]
