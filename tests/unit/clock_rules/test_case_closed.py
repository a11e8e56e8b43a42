"""All clocks stop when the case is closed (RULEBOOK section 6)."""

from __future__ import annotations

from datetime import date, timedelta

from domain.timers import pending_timers
from tests.support.history import at, clock, clocks, miss, record, registered, report_missing

ARRIVED = at("2026-01-10T10:00:00+00:00")
LAST_SEEN = at("2026-01-10T12:00:00+00:00")  # the police report falls due before the god man


def busy_case():  # type: ignore[no-untyped-def]
    """Guardian, birthday and every missing clock open; the police report missed."""
    case = registered(ARRIVED, date(2011, 5, 20))
    report_missing(case, LAST_SEEN + timedelta(hours=1), LAST_SEEN)  # entry 2
    miss(case, clock(case, "missing.police_report@2"))
    return case


def close(case, when=LAST_SEEN + timedelta(hours=24, minutes=30)):  # type: ignore[no-untyped-def]
    return record(case, "CaseClosed", when, closure="moved")


def test_case_closed_cancels_every_open_clock() -> None:
    case = busy_case()
    was_open = {c.clock_id for c in clocks(case) if c.status == "open"}
    assert len(was_open) >= 4
    closed = close(case)
    after = {c.clock_id: c for c in clocks(case)}
    assert {(after[i].status, after[i].resolved_seq) for i in was_open} == {
        ("cancelled", closed.seq)}


def test_case_closed_leaves_a_missed_clock_missed() -> None:
    case = busy_case()
    close(case)
    assert clock(case, "missing.police_report@2").status == "missed"


def test_case_closed_leaves_a_met_clock_met() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    record(case, "GuardianAppointed", ARRIVED + timedelta(hours=3), name="Anna Svensson")
    close(case, ARRIVED + timedelta(days=1))
    assert clock(case, "arrival.guardian@1").status == "met"


def test_a_closed_case_leaves_no_timers() -> None:
    case = busy_case()
    close(case)
    assert pending_timers(clocks(case), LAST_SEEN + timedelta(days=2)) == []


def test_a_cancelled_clock_on_a_closed_case_has_no_on_time_verdict() -> None:
    case = busy_case()
    close(case)
    assert clock(case, "arrival.guardian@1").on_time is None


def test_a_clock_already_overdue_when_the_case_closes_counts_as_missed() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    closed = close(case, ARRIVED + timedelta(days=5))  # the god man was due after 3 days
    guardian = clock(case, "arrival.guardian@1")
    assert (guardian.status, guardian.on_time, guardian.resolved_seq) == (
        "missed", False, closed.seq)
