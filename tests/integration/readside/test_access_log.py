"""The access log on both stores: what an entry holds, filtering and paging for the auditor,
the export in batches, lists logged once in a while, and that nothing can change or delete
an entry, not even SQL sent straight to the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidFields
from domain.references import case_reference
from tests.conftest import make_settings
from tests.support.readside import rows
from vaka.auditing import access_query
from vaka.bootstrap import Services, build
from vaka.readside import access_log as module
from vaka.readside.access_log import AccessLog, AccessQuery, ReadNotLogged
from vaka.readside.paging import Window
from vaka.users import User

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CHILD = "1a2b3c4d-0000-4000-8000-000000000001"
OTHER = "9f8e7d6c-0000-4000-8000-000000000002"


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def _reader(services: Services, role: str = "caseworker") -> User:
    return services.users.add("Sara", role, "Malmö" if role != "auditor" else None)


def test_an_entry_says_who_when_what_and_why_with_ids_only(services: Services) -> None:
    sara = _reader(services)
    at = datetime(2026, 11, 20, 13, 5, tzinfo=UTC)
    AccessLog(services.db, Clock(at)).record(sara, "police_pack", [CHILD])
    [entry] = rows(services, "SELECT * FROM access_log")
    assert {k: v for k, v in entry.items() if k != "entry_id"} == {
        "at": "2026-11-20T13:05:00.000000Z", "user_id": sara.user_id, "role": "caseworker",
        "purpose": "handläggning", "kind": "police_pack", "child_id": CHILD,
        "reference": "VK-1A2B3C4D", "subject": None}


@pytest.mark.parametrize(("role", "purpose"), [
    ("caseworker", "handläggning"), ("supervisor", "arbetsledning"),
    ("head_of_unit", "ledning och uppföljning"), ("auditor", "granskning"),
    ("admin", "systemförvaltning")])
def test_each_role_reads_for_its_own_fixed_purpose(services: Services, role: str,
                                                   purpose: str) -> None:
    user = services.users.add("X", role, None if role in ("auditor", "admin") else "Malmö")
    AccessLog(services.db).record(user, "child", [CHILD])
    assert [r["purpose"] for r in rows(services, "SELECT purpose FROM access_log")] == [purpose]


def test_an_export_is_one_entry_naming_what_was_exported(services: Services) -> None:
    auditor = _reader(services, "auditor")
    AccessLog(services.db).record(auditor, "export", subject="access_log")
    assert [(r["kind"], r["child_id"], r["subject"]) for r in
            rows(services, "SELECT * FROM access_log")] == [("export", None, "access_log")]


def test_a_list_is_logged_again_only_after_a_quiet_while(services: Services) -> None:
    sara = _reader(services)
    clock = Clock(datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    log = AccessLog(services.db, clock)
    log.record(sara, "list", [CHILD])
    clock.at += timedelta(seconds=4)  # the overview refreshing itself
    log.record(sara, "list", [CHILD, OTHER])  # a child new on the list is logged at once
    clock.at += module.LIST_QUIET + timedelta(seconds=1)
    log.record(sara, "list", [CHILD])
    log.record(sara, "search", [CHILD])  # a search is logged every time
    log.record(sara, "search", [CHILD])
    logged = [(r["kind"], r["child_id"]) for r in
              rows(services, "SELECT * FROM access_log ORDER BY at, kind, child_id")]
    assert logged == [("list", CHILD), ("list", OTHER), ("list", CHILD), ("search", CHILD),
                      ("search", CHILD)]


def test_the_auditor_filters_by_child_user_and_days_in_stockholm_time(
        services: Services) -> None:
    sara, omar = _reader(services), _reader(services)
    clock = Clock(datetime(2026, 11, 19, 22, 30, tzinfo=UTC))  # 23:30 in Stockholm
    log = AccessLog(services.db, clock)
    log.record(sara, "child", [CHILD])
    clock.at = datetime(2026, 11, 19, 23, 30, tzinfo=UTC)  # 00:30 on the 20th in Stockholm
    log.record(sara, "history", [OTHER])
    log.record(omar, "child", [CHILD])

    def found(**typed: str) -> list[tuple[str, str | None]]:
        query = access_query(STOCKHOLM, **typed)  # type: ignore[arg-type]
        return [(e.kind, e.reference) for e in log.entries(query, Window()).items]

    assert found(child="vk-1a2b3c4d") == [("child", "VK-1A2B3C4D")] * 2
    assert found(child=CHILD, user_id=sara.user_id) == [("child", "VK-1A2B3C4D")]
    assert sorted(found(first="2026-11-20", last="2026-11-20")) == [
        ("child", "VK-1A2B3C4D"), ("history", "VK-9F8E7D6C")]
    assert found(last="2026-11-19") == [("child", "VK-1A2B3C4D")]


def test_a_filter_that_makes_no_sense_is_refused_with_every_field_named() -> None:
    with pytest.raises(InvalidFields) as refused:
        access_query(STOCKHOLM, child="Amina", first="2026-13-01", last="2026-11-01")
    assert [p.field for p in refused.value.problems] == ["child", "from"]
    with pytest.raises(InvalidFields) as backwards:
        access_query(STOCKHOLM, first="2026-11-02", last="2026-11-01")
    assert [p.field for p in backwards.value.problems] == ["to"]


def test_pages_go_newest_first_and_the_export_reads_past_one_batch(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    sara = _reader(services)
    clock = Clock(datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    log = AccessLog(services.db, clock)
    for minute in range(7):
        clock.at = datetime(2026, 11, 20, 8, minute, tzinfo=UTC)
        log.record(sara, "child", [CHILD])
    first = log.entries(AccessQuery(), Window(3))
    second = log.entries(AccessQuery(), Window(3, 3))
    assert [e.at.minute for e in first.items + second.items] == [6, 5, 4, 3, 2, 1]
    assert first.next_offset == 3
    monkeypatch.setattr(module, "EXPORT_BATCH", 2)
    assert [e.at.minute for e in log.each(AccessQuery())] == [6, 5, 4, 3, 2, 1, 0]


@pytest.mark.parametrize("statement", [
    "UPDATE access_log SET user_id = 'someone else'",
    "DELETE FROM access_log",
    "DELETE FROM access_log WHERE kind = 'child'",
])
def test_nothing_can_change_or_delete_an_entry_not_even_sql(services: Services,
                                                           statement: str) -> None:
    sara = _reader(services)
    AccessLog(services.db).record(sara, "child", [CHILD])
    before = rows(services, "SELECT * FROM access_log")
    with pytest.raises(Exception, match="append-only"), services.db.transaction() as tx:
        tx.execute(statement)
    assert rows(services, "SELECT * FROM access_log") == before


def test_postgres_refuses_to_truncate_the_log(tmp_path: Path, postgres_url: str) -> None:
    """PostgreSQL only: SQLite has no TRUNCATE (its DELETE without WHERE is refused above)."""
    services = build(make_settings(tmp_path, postgres_url))
    try:
        AccessLog(services.db).record(_reader(services), "child", [CHILD])
        with pytest.raises(Exception, match="append-only"), services.db.transaction() as tx:
            tx.execute("TRUNCATE access_log")
        assert len(rows(services, "SELECT * FROM access_log")) == 1
    finally:
        services.close()


def test_a_log_that_cannot_be_written_refuses_the_read(services: Services) -> None:
    with services.db.transaction() as tx:
        tx.execute("ALTER TABLE access_log RENAME TO access_log_away")
    with pytest.raises(ReadNotLogged):
        AccessLog(services.db).record(_reader(services), "child", [CHILD])


def test_an_entry_holds_the_reference_of_the_child(services: Services) -> None:
    AccessLog(services.db).record(_reader(services), "history", [OTHER])
    assert rows(services, "SELECT reference FROM access_log")[0]["reference"] == \
        case_reference(OTHER)
