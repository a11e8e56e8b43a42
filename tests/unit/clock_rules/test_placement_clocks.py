"""Placement (RULEBOOK section 6): a monthly follow-up, a review every six months, and at
most two months in an emergency home (jourhem)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.child_case import ChildCase
from tests.support.history import (
    at,
    clock,
    clocks_of,
    custom_policy,
    default_rules,
    only_open,
    record,
    registered,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
PLACED_AT = at("2026-02-03T14:20:00+00:00")  # 15:20 in Stockholm


def placed(placement_type: str = "hvb", legal_basis: str = "SoL") -> ChildCase:
    """Registered, then Placed (entry 2)."""
    case = registered(ARRIVED)
    record(case, "Placed", PLACED_AT, placement_type=placement_type, legal_basis=legal_basis)
    return case


def test_placement_follow_up_is_due_a_month_after_the_placement() -> None:
    follow_up = clock(placed(), "placement.followup@2")
    assert (follow_up.status, follow_up.due) == ("open", at("2026-03-03T00:00:00+01:00"))


def test_a_placement_follow_up_meets_the_clock_and_the_next_runs_a_month_from_it() -> None:
    case = placed()
    held = record(case, "FollowUpHeld", at("2026-02-25T09:00:00+00:00"), area="placement")
    first = clock(case, "placement.followup@2")
    assert (first.status, first.resolved_seq) == ("met", held.seq)
    assert only_open(case, "placement.followup").due == at("2026-03-25T00:00:00+01:00")


def test_a_risk_follow_up_does_not_meet_the_placement_follow_up() -> None:
    case = placed()
    record(case, "FollowUpHeld", at("2026-02-25T09:00:00+00:00"), area="B1")
    assert clock(case, "placement.followup@2").status == "open"


@pytest.mark.parametrize("legal_basis", ["SoL", "LVU"])
def test_placement_review_is_due_six_months_after_the_placement(legal_basis: str) -> None:
    review = clock(placed(legal_basis=legal_basis), "placement.review@2")
    assert (review.status, review.due) == ("open", at("2026-08-03T00:00:00+02:00"))


def test_a_placement_review_meets_the_clock_and_the_next_is_due_six_months_after_it() -> None:
    case = placed()
    reviewed = record(case, "PlacementReviewed", at("2026-07-20T09:00:00+00:00"))
    first = clock(case, "placement.review@2")
    assert (first.status, first.resolved_seq) == ("met", reviewed.seq)
    assert only_open(case, "placement.review").due == at("2027-01-20T00:00:00+01:00")


def test_a_placement_change_starts_new_follow_up_and_review_cadences() -> None:
    case = placed()
    changed = record(case, "PlacementChanged", at("2026-02-20T10:00:00+00:00"),
                     placement_type="familjehem", legal_basis="SoL")
    assert [(c.status, c.resolved_seq) for c in clocks_of(case, "placement.followup")
            if c.anchor_seq == 2] == [("cancelled", changed.seq)]
    assert (only_open(case, "placement.followup").due,
            only_open(case, "placement.review").due) == (
        at("2026-03-20T00:00:00+01:00"), at("2026-08-20T00:00:00+02:00"))


def test_an_emergency_home_placement_is_limited_to_two_months() -> None:
    limit = clock(placed("jourhem"), "placement.emergency_limit@2")
    assert (limit.status, limit.due) == ("open", at("2026-04-03T00:00:00+02:00"))


def test_moving_the_child_out_of_the_emergency_home_meets_its_limit() -> None:
    case = placed("jourhem")
    changed = record(case, "PlacementChanged", at("2026-03-20T10:00:00+00:00"),
                     placement_type="familjehem", legal_basis="SoL")
    limit = clock(case, "placement.emergency_limit@2")
    assert (limit.status, limit.resolved_seq, limit.on_time) == ("met", changed.seq, True)
    assert only_open(case, "placement.followup").anchor_seq == changed.seq


@pytest.mark.parametrize("placement_type", ["hvb", "stodboende", "familjehem", "natverkshem"])
def test_no_emergency_limit_outside_an_emergency_home(placement_type: str) -> None:
    assert clocks_of(placed(placement_type), "placement.emergency_limit") == []


def test_the_follow_up_cadence_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["placement.followup"]["every"] = "2w"
    follow_up = clock(placed(), "placement.followup@2", custom_policy(rules))
    assert follow_up.due == at("2026-02-17T00:00:00+01:00")


def test_the_emergency_limit_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["placement.emergency_limit"]["due_after"] = "6w"
    limit = clock(placed("jourhem"), "placement.emergency_limit@2", custom_policy(rules))
    assert limit.due == at("2026-03-17T00:00:00+01:00")


def test_placement_clocks_outlive_the_18th_birthday() -> None:
    case = placed()
    record(case, "AgeAssessed", PLACED_AT + timedelta(days=1), outcome="adult")
    assert clock(case, "placement.followup@2").status == "open"
