"""The end of a journey (RULEBOOK section 6): CaseClosed, Departed and FoundDeceased stop
every clock still open, whatever rule opened it."""

from __future__ import annotations

from datetime import date, timedelta

from domain.child_case import ChildCase
from domain.clocks import Clock
from tests.support.history import (
    applied,
    at,
    clock,
    clocks,
    fire,
    only_open,
    record,
    registered,
    rejected,
    report_missing,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
BUSY_AT = at("2026-01-11T09:00:00+00:00")


def busy_case() -> ChildCase:
    """Arrival, age, placement, asylum, risk-area and flag clocks all open at once."""
    case = registered(ARRIVED, date(2011, 5, 20))
    record(case, "Placed", BUSY_AT, placement_type="jourhem", legal_basis="LVU")
    applied(case, BUSY_AT + timedelta(minutes=10))
    record(case, "InterviewHeld", BUSY_AT + timedelta(minutes=20))
    record(case, "RiskAssessed", BUSY_AT + timedelta(minutes=30),
           factors=["A1.1", "A2.3", "A3.4", "A4.2"])
    return case


def open_ids(case: ChildCase) -> set[str]:
    return {c.clock_id for c in clocks(case) if c.status == "open"}


def resolved(case: ChildCase, ids: set[str]) -> set[tuple[str, int | None]]:
    by_id: dict[str, Clock] = {c.clock_id: c for c in clocks(case)}
    return {(by_id[i].status, by_id[i].resolved_seq) for i in ids}


def test_the_busy_case_has_clocks_of_every_area_open() -> None:
    rules = {i.split("@")[0] for i in open_ids(busy_case())}
    assert {"arrival.information_talk", "age.prepare_adulthood", "placement.emergency_limit",
            "risk.flag.long_processing", "decision.lvu_statement", "risk.followup.trafficking",
            "risk.followup.asylum_placement"} <= rules


def test_case_closed_cancels_every_clock_of_the_journey() -> None:
    case = busy_case()
    was_open = open_ids(case)
    closed = record(case, "CaseClosed", BUSY_AT + timedelta(hours=1), closure="moved")
    assert resolved(case, was_open) == {("cancelled", closed.seq)}
    assert open_ids(case) == set()


def test_found_deceased_cancels_every_clock_of_the_journey() -> None:
    case = busy_case()
    report_missing(case, BUSY_AT + timedelta(hours=1), BUSY_AT + timedelta(minutes=45))
    was_open = open_ids(case)
    deceased = record(case, "FoundDeceased", BUSY_AT + timedelta(hours=6))
    assert resolved(case, was_open) == {("cancelled", deceased.seq)}
    assert open_ids(case) == set()


def departing() -> tuple[ChildCase, int, int]:
    """A final rejection, the return under way and the departure scheduled."""
    case = registered(ARRIVED, date(2011, 5, 20))
    applied(case, at("2026-01-12T09:00:00+00:00"))
    rejected(case, at("2026-03-02T13:15:00+00:00"))
    final = record(case, "DecisionFinal", at("2026-03-06T10:00:00+00:00"))
    record(case, "ReturnConfirmed", at("2026-03-06T11:00:00+00:00"))
    scheduled = record(case, "DepartureScheduled", at("2026-03-06T12:00:00+00:00"))
    return case, final.seq, scheduled.seq


DEPARTED_AT = at("2026-03-07T08:00:00+00:00")


def test_departure_meets_the_departure_window_and_the_expulsion_lapse() -> None:
    case, final, _scheduled = departing()
    departed = record(case, "Departed", DEPARTED_AT)
    assert resolved(case, {f"return.voluntary_departure@{final}",
                           f"return.expulsion_lapse@{final}"}) == {("met", departed.seq)}


def test_departure_cancels_every_other_clock_not_yet_due() -> None:
    case, final, _scheduled = departing()
    not_yet_due = {c.clock_id for c in clocks(case)
                   if c.status == "open" and c.due >= DEPARTED_AT} - {
        f"return.voluntary_departure@{final}", f"return.expulsion_lapse@{final}"}
    assert "decision.sip_meeting@3" in not_yet_due
    departed = record(case, "Departed", DEPARTED_AT)
    assert resolved(case, not_yet_due) == {("cancelled", departed.seq)}
    assert open_ids(case) == set()


def test_a_clock_overdue_at_departure_counts_as_missed() -> None:
    case, _final, scheduled = departing()
    departed = record(case, "Departed", DEPARTED_AT)  # the 2-hour acknowledgement had passed
    notify = clock(case, f"enforcement.notify@{scheduled}")
    assert (notify.status, notify.resolved_seq, notify.on_time) == (
        "missed", departed.seq, False)


def test_closing_a_case_leaves_a_raised_flag_met() -> None:
    case = registered(ARRIVED)
    record(case, "Placed", BUSY_AT, placement_type="natverkshem", legal_basis="SoL")
    fire(case, only_open(case, "risk.flag.kinship_placement"))
    record(case, "CaseClosed", BUSY_AT + timedelta(hours=1), closure="moved")
    assert clock(case, "risk.flag.kinship_placement@2").status == "met"
