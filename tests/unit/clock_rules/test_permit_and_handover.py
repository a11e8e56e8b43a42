"""After a permit, a special custodian (RULEBOOK section 6, permit.special_custodian); the
permit-expiry reminder reaches the god man too; and the hand-over when a child is found in,
or moves to, another municipality (section 5, found routine)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.child_case import ChildCase
from domain.errors import InvalidFields, TransitionRefused
from domain.handover import municipalities_to_tell
from tests.support.history import (
    POLICY,
    applied,
    at,
    clock,
    clocks_of,
    fits,
    granted,
    only_open,
    record,
    registered,
    rejected,
    report_missing,
    state_of,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
GRANTED_AT = at("2026-03-02T10:00:00+00:00")
CUSTODIAN = "permit.special_custodian"


def permit(expires_on: date | None = None) -> tuple[ChildCase, int]:
    case = registered(ARRIVED, date(2011, 5, 20))
    applied(case, ARRIVED + timedelta(days=1))
    return case, granted(case, GRANTED_AT, permit_expires_on=expires_on).seq


# ---- the special custodian ----


def test_a_special_custodian_is_to_be_applied_for_within_30_days_of_a_grant() -> None:
    case, decision = permit()
    applying = clock(case, f"{CUSTODIAN}@{decision}")
    assert (applying.status, applying.due, applying.owner) == (
        "open", at("2026-04-01T00:00:00+02:00"), "caseworker")


@pytest.mark.parametrize("event_type,fields", [
    ("SpecialCustodianApplied", {}),
    ("SpecialCustodianAppointed", {"name": "Special custodian"}),
])
def test_applying_for_or_appointing_a_special_custodian_meets_the_clock(
        event_type: str, fields: dict[str, str]) -> None:
    case, decision = permit()
    done = record(case, event_type, GRANTED_AT + timedelta(days=10), **fields)
    met = clock(case, f"{CUSTODIAN}@{decision}")
    assert (met.status, met.resolved_seq, met.on_time) == ("met", done.seq, True)


def test_a_permit_granted_on_appeal_calls_for_a_special_custodian() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    applied(case, ARRIVED + timedelta(days=1))
    rejected(case, GRANTED_AT)
    record(case, "AppealFiled", GRANTED_AT + timedelta(days=5))
    on_appeal = record(case, "AppealDecided", GRANTED_AT + timedelta(days=60),
                       outcome="granted", permit_type="temporary")
    assert clock(case, f"{CUSTODIAN}@{on_appeal.seq}").status == "open"


def test_a_renewed_permit_asks_for_no_second_special_custodian() -> None:
    case, _ = permit()
    record(case, "SpecialCustodianAppointed", GRANTED_AT + timedelta(days=20), name="X")
    granted(case, GRANTED_AT + timedelta(days=300), permit_type="permanent")
    assert [c.status for c in clocks_of(case, CUSTODIAN)] == ["met"]


def test_no_special_custodian_is_applied_for_without_a_permit() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    with pytest.raises(TransitionRefused, match="permit"):
        fits(case, "SpecialCustodianApplied")


# ---- who is told ----


@pytest.mark.parametrize("rule_id", ["permit.expiry", "return.voluntary_departure",
                                     "decision.appeal_window"])
def test_reminders_of_the_permit_and_the_windows_reach_the_god_man_and_the_caseworker(
        rule_id: str) -> None:
    rule = POLICY.rule(rule_id)
    assert rule is not None and rule.owner == "god_man"  # the god man and the caseworker


def test_the_permit_expiry_clock_is_the_god_mans_too() -> None:
    case, decision = permit(expires_on=date(2027, 3, 1))
    assert clock(case, f"permit.expiry@{decision}").owner == "god_man"


# ---- the hand-over between municipalities ----


LAST_SEEN = at("2026-02-01T20:00:00+00:00")
FOUND_AT = LAST_SEEN + timedelta(days=2)


def found_in(municipality: str | None) -> ChildCase:
    case = registered(ARRIVED, date(2011, 5, 20))  # Malmö
    report_missing(case, LAST_SEEN + timedelta(hours=1), LAST_SEEN)
    record(case, "Found", FOUND_AT, location="sweden", municipality=municipality)
    return case


def test_a_child_found_in_another_municipality_is_proposed_for_a_hand_over() -> None:
    case = found_in("Göteborg")
    proposal = only_open(case, "found.handover")
    assert (proposal.due, proposal.owner) == (FOUND_AT + timedelta(hours=72), "supervisor")
    assert state_of(case).handover_to == "Göteborg"


def test_a_child_found_in_its_own_municipality_is_proposed_for_nothing() -> None:
    for municipality in ("Malmö", None):
        case = found_in(municipality)
        assert (clocks_of(case, "found.handover"), state_of(case).handover_to) == ([], None)


def test_both_municipalities_are_told_when_the_child_is_found_in_another() -> None:
    case = found_in("Göteborg")
    found = case.entries[-1]
    assert municipalities_to_tell(state_of(case), found) == ("Malmö", "Göteborg")


def test_the_transfer_moves_the_case_and_its_open_clocks_and_meets_the_proposal() -> None:
    case = found_in("Göteborg")
    record(case, "CaseworkerAssigned", FOUND_AT + timedelta(hours=1), caseworker_id="cw-1")
    open_before = {c.clock_id for c in clocks_of(case, "found.debrief") if c.status == "open"}
    moved = record(case, "ResponsibilityTransferred", FOUND_AT + timedelta(hours=20),
                   to="municipality", municipality="Göteborg")
    state = state_of(case)
    assert (state.municipality, state.handover_to, state.caseworker_id) == (
        "Göteborg", None, None)  # the receiving municipality assigns its caseworker
    found = next(e for e in case.entries if e.event_type == "Found")
    assert clock(case, f"found.handover@{found.seq}").status == "met"
    assert {c.clock_id for c in clocks_of(case, "found.debrief")
            if c.status == "open"} == open_before
    (transfer,) = state.transfers
    assert (transfer.from_municipality, transfer.to_municipality) == ("Malmö", "Göteborg")
    assert municipalities_to_tell(state, moved) == ("Göteborg", "Malmö")


def test_a_move_to_another_municipality_is_proposed_for_a_hand_over() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    moved = record(case, "PlacementChanged", ARRIVED + timedelta(days=20),
                   placement_type="familjehem", legal_basis="SoL", municipality="Lund")
    assert clock(case, f"found.handover@{moved.seq}").status == "open"
    assert state_of(case).handover_to == "Lund"


def test_a_transfer_to_a_municipality_must_name_it() -> None:
    case = found_in("Göteborg")
    with pytest.raises(InvalidFields, match="municipality"):
        fits(case, "ResponsibilityTransferred", to="municipality")
