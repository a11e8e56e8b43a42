"""The worklists answer from the read models: scoped to a municipality, ordered by urgency,
with caseworkers by name."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from domain.entries import Actor
from tests.support.casefile import now, record_event, register_child, report_missing
from tests.support.readside import drain
from vaka.bootstrap import Services
from vaka.readside import worklists
from vaka.readside.paging import Window
from vaka.readside.worklists import Scope

MALMO = Scope("Malmö")


def _child_of(services: Services, caseworker: str, municipality: str = "Malmö") -> UUID:
    child = register_child(services.case_file, municipality=municipality)
    record_event(services.case_file, child, "CaseworkerAssigned", caseworker_id=caseworker)
    return child


def _miss_police_report(services: Services, child: UUID, hours_ago: int) -> None:
    last_seen = now() - timedelta(hours=hours_ago)
    report_missing(services.case_file, child, last_seen)
    due = last_seen + timedelta(hours=24)
    clock = f"missing.police_report@{services.case_file.get_case(child).version}"
    services.case_file.record_system(child, "DeadlineMissed", {
        "clock_id": clock, "rule_id": "missing.police_report", "due": due.isoformat()},
        due, f"due|{clock}")


def test_missed_deadlines_come_earliest_first_with_the_caseworkers_name(
        services: Services) -> None:
    sara = services.users.add("Sara Lind", "caseworker", "Malmö").user_id
    late, later = _child_of(services, sara), _child_of(services, sara)
    _miss_police_report(services, late, hours_ago=40)
    _miss_police_report(services, later, hours_ago=30)
    _miss_police_report(services, _child_of(services, sara, "Lund"), hours_ago=50)
    drain(services.projector().step)

    found = worklists.clocks(services.db, MALMO, Window(), statuses=["missed"],
                             deadlines_only=True)

    assert [r.child_id for r in found.items] == [str(late), str(later)]
    assert {r.caseworker_name for r in found.items} == {"Sara Lind"}
    assert found.next_offset is None


def test_a_window_pages_through_the_rows_and_says_where_the_next_page_starts(
        services: Services) -> None:
    sara = services.users.add("Sara", "caseworker", "Malmö").user_id
    for hours in (30, 31, 32):
        _miss_police_report(services, _child_of(services, sara), hours_ago=hours)
    drain(services.projector().step)

    first = worklists.clocks(services.db, MALMO, Window(limit=2), statuses=["missed"])
    rest = worklists.clocks(services.db, MALMO, Window(limit=2, offset=2), statuses=["missed"])

    assert (len(first.items), first.next_offset) == (2, 2)
    assert (len(rest.items), rest.next_offset) == (1, None)


def test_missed_and_due_soon_are_counted_per_caseworker_most_missed_first(
        services: Services) -> None:
    sara = services.users.add("Sara", "caseworker", "Malmö").user_id
    omar = services.users.add("Omar", "caseworker", "Malmö").user_id
    _miss_police_report(services, _child_of(services, omar), hours_ago=30)
    report_missing(services.case_file, _child_of(services, sara), now() - timedelta(hours=20))
    drain(services.projector().step)

    counts = worklists.missed_and_due_soon(services.db, MALMO, now(), now() + timedelta(hours=8))

    assert [(c.caseworker_name, c.missed, c.due_soon) for c in counts][:2] == [
        ("Omar", 1, 0), ("Sara", 0, 1)]


def test_missing_children_longest_missing_first_and_only_while_missing(
        services: Services) -> None:
    sara = services.users.add("Sara", "caseworker", "Malmö").user_id
    long_gone, recent, back = (_child_of(services, sara) for _ in range(3))
    report_missing(services.case_file, long_gone, now() - timedelta(hours=50))
    report_missing(services.case_file, recent, now() - timedelta(hours=2))
    report_missing(services.case_file, back, now() - timedelta(hours=5))
    record_event(services.case_file, back, "Found", location="sweden")
    drain(services.projector().step)

    found = worklists.missing(services.db, MALMO, Window())

    assert [r.child_id for r in found.items] == [str(long_gone), str(recent)]
    assert not any(r.police_report_filed for r in found.items)


def test_birthdays_ahead_and_children_by_stage_and_caseload(services: Services) -> None:
    sara = services.users.add("Sara", "caseworker", "Malmö").user_id
    soon = now() + timedelta(days=20)
    turning = register_child(services.case_file, date_of_birth=soon.date().replace(
        year=soon.year - 18))
    record_event(services.case_file, turning, "CaseworkerAssigned", caseworker_id=sara)
    other = _child_of(services, sara)
    record_event(services.case_file, other, "AsylumApplied")
    record_event(services.case_file, _child_of(services, sara), "CaseClosed", closure="moved",
                 actor=Actor("caseworker-1", "caseworker"))
    drain(services.projector().step)

    ahead = worklists.birthdays(services.db, MALMO, Window(), now(), now() + timedelta(days=90))
    assert [r.child_id for r in ahead.items] == [str(turning)]
    assert dict(worklists.stages(services.db, MALMO)) == {
        "arrived": 1, "in_asylum_process": 1, "closed": 1}
    (load,) = worklists.caseload(services.db, MALMO)
    assert (load.caseworker_name, load.children) == ("Sara", 2)
