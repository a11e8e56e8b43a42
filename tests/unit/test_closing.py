"""The end of a journey (RULEBOOK section 6): CaseClosed, Departed and FoundDeceased stop
every clock still open, whatever rule opened it."""

from __future__ import annotations

from datetime import date, timedelta

from domain.child_case import ChildCase
from domain.clocks import Clock
from tests.unit.builders import (
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


def test_departure_stops_every_clock_and_meets_the_departure_window() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    applied(case, at("2026-01-12T09:00:00+00:00"))
    rejected(case, at("2026-03-02T13:15:00+00:00"))
    final = record(case, "DecisionFinal", at("2026-03-06T10:00:00+00:00"))
    record(case, "ReturnConfirmed", at("2026-03-06T11:00:00+00:00"))
    scheduled = record(case, "DepartureScheduled", at("2026-03-06T12:00:00+00:00"))
    was_open = open_ids(case)
    departed = record(case, "Departed", at("2026-03-07T08:00:00+00:00"))
    window = clock(case, f"return.voluntary_departure@{final.seq}")
    assert (window.status, window.resolved_seq) == ("met", departed.seq)
    assert f"enforcement.notify@{scheduled.seq}" in was_open
    assert resolved(case, was_open - {window.clock_id, f"return.expulsion_lapse@{final.seq}"}
                    ) == {("cancelled", departed.seq)}
    assert open_ids(case) == set()


def test_closing_a_case_leaves_a_raised_flag_met() -> None:
    case = registered(ARRIVED)
    record(case, "Placed", BUSY_AT, placement_type="natverkshem", legal_basis="SoL")
    fire(case, only_open(case, "risk.flag.kinship_placement"))
    record(case, "CaseClosed", BUSY_AT + timedelta(hours=1), closure="moved")
    assert clock(case, "risk.flag.kinship_placement@2").status == "met"
