"""Finding a child: by case reference, by any word of the name whatever its accents and
case, or by date of birth; a caseworker's own children with the missing first. Names and
dates of birth stay sealed in the read side."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from domain.entries import Actor
from domain.references import case_reference
from tests.support.readside import drain, rows
from vaka.bootstrap import Services
from vaka.readside.paging import Window
from vaka.readside.worklists import Scope

MALMO = Scope("Malmö")


def _register(services: Services, given: str, family: str, born: date,
              municipality: str = "Malmö") -> UUID:
    sara = services.users.add("Sara", "caseworker", municipality)
    arrived = datetime.now(UTC) - timedelta(days=1)
    return services.casework.register(sara, {
        "arrived_at": arrived.isoformat(), "date_of_birth": born.isoformat(),
        "date_of_birth_basis": "stated", "municipality": municipality, "given_name": given,
        "family_name": family, "mv_reference": "MV-2026-1234"}).child_id


def _found(services: Services, query: str, scope: Scope = MALMO) -> list[str]:
    return [r.child_id for r in services.children.search(scope, query, Window()).items]


def test_a_child_is_found_by_any_word_of_the_name_whatever_accents_or_case(
        services: Services) -> None:
    zoe = _register(services, "Zoë Amina", "Öberg-Rahimi", date(2012, 4, 2))
    _register(services, "Yusuf", "Karimi", date(2010, 1, 1))
    drain(services.projector().step)
    for query in ("amina", "ZOE", "Zoë", "oberg-rahimi", "Amina Öberg-Rahimi"):
        assert _found(services, query) == [str(zoe)], query
    assert _found(services, "amina karimi") == []  # every word must match


def test_a_child_is_found_by_case_reference_and_by_date_of_birth(services: Services) -> None:
    child = _register(services, "Amina", "Rahimi", date(2012, 4, 2))
    drain(services.projector().step)
    assert _found(services, case_reference(str(child)).lower()) == [str(child)]
    assert _found(services, "2012-04-02") == [str(child)]
    assert _found(services, "2012-04-03") == []


def test_a_search_sees_only_the_own_municipality(services: Services) -> None:
    _register(services, "Amina", "Rahimi", date(2012, 4, 2), municipality="Lund")
    drain(services.projector().step)
    assert _found(services, "amina") == []
    assert len(_found(services, "amina", Scope("Lund"))) == 1


def test_the_list_shows_the_name_but_the_tables_hold_nothing_readable(
        services: Services) -> None:
    child = _register(services, "Amina", "Rahimi", date(2012, 4, 2))
    drain(services.projector().step)
    (row,) = services.children.search(MALMO, "amina", Window()).items
    assert (row.card.name, row.card.date_of_birth) == ("Amina Rahimi", date(2012, 4, 2))
    stored = str(rows(services, "SELECT * FROM children")) + str(
        rows(services, "SELECT * FROM child_search"))
    for personal in ("Amina", "amina", "Rahimi", "rahimi", "2012-04-02", "MV-2026"):
        assert personal not in stored
    assert str(child) in stored


def test_my_children_come_missing_first_then_by_the_next_clock(services: Services) -> None:
    sara = services.users.add("Sara", "caseworker", "Malmö")
    arrived = datetime.now(UTC) - timedelta(hours=1)

    def register(days_ago: int) -> UUID:
        return services.casework.register(sara, {
            "arrived_at": (arrived - timedelta(days=days_ago)).isoformat(),
            "date_of_birth": "2011-01-01", "date_of_birth_basis": "stated",
            "municipality": "Malmö"}).child_id

    later, sooner, missing = register(0), register(2), register(0)
    services.casework.record(sara, missing, "ReportedMissing", {
        "last_seen_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(), "place": "x",
        "seen_by": "y"})
    services.case_file.record(later, "CaseworkerAssigned", {"caseworker_id": sara.user_id},
                              Actor(sara.user_id, "caseworker"), datetime.now(UTC))
    drain(services.projector().step)

    mine = services.children.mine(Scope("Malmö", sara.user_id), Window()).items
    assert [r.child_id for r in mine] == [str(missing), str(sooner), str(later)]
    assert mine[1].next_rule_id == "arrival.guardian" and mine[1].next_due is not None
