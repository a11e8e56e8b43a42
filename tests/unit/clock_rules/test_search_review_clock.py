"""missing.search_review: every 24 h for 7 days, then every 7 days; a search restarts it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.support.history import (
    at,
    clock,
    clocks_of,
    custom_policy,
    default_rules,
    miss,
    only_open,
    record,
    registered,
    report_missing,
)

ARRIVED = at("2026-01-02T09:00:00+00:00")
REPORTED = at("2026-01-10T08:00:00+00:00")  # 09:00 in Stockholm
LAST_SEEN = at("2026-01-10T06:30:00+00:00")
RULE = "missing.search_review"


def missing_case():  # type: ignore[no-untyped-def]
    case = registered(ARRIVED)
    report_missing(case, REPORTED, LAST_SEEN)  # entry 2
    return case


def search(case, when):  # type: ignore[no-untyped-def]
    return record(case, "SearchActionTaken", when, action="called friends", taken_by="caseworker")


def test_first_search_review_is_due_24_hours_after_the_report() -> None:
    case = missing_case()
    assert clock(case, f"{RULE}@2").due == REPORTED + timedelta(hours=24)


def test_search_review_counts_from_the_report_not_from_last_seen() -> None:
    case = missing_case()
    assert clock(case, f"{RULE}@2").due != LAST_SEEN + timedelta(hours=24)


def test_search_action_meets_the_open_search_review_on_time() -> None:
    case = missing_case()
    taken = search(case, REPORTED + timedelta(hours=5))
    review = clock(case, f"{RULE}@2")
    assert (review.status, review.on_time, review.resolved_seq) == ("met", True, taken.seq)


def test_search_action_restarts_the_search_review_24_hours_after_the_action() -> None:
    case = missing_case()
    taken = search(case, REPORTED + timedelta(hours=5))
    nxt = only_open(case, RULE)
    assert nxt.clock_id == f"{RULE}@{taken.seq}"
    assert nxt.due == taken.occurred_at + timedelta(hours=24)


def test_every_search_action_restarts_the_cadence() -> None:
    case = missing_case()
    search(case, REPORTED + timedelta(hours=5))
    last = search(case, REPORTED + timedelta(hours=30))
    assert only_open(case, RULE).due == last.occurred_at + timedelta(hours=24)
    assert [c.status for c in clocks_of(case, RULE)] == ["met", "met", "open"]


def test_a_missed_search_review_opens_the_next_one_24_hours_after_its_due() -> None:
    case = missing_case()
    first = clock(case, f"{RULE}@2")
    missed = miss(case, first)
    assert clock(case, f"{RULE}@2").status == "missed"
    nxt = only_open(case, RULE)
    assert (nxt.clock_id, nxt.due) == (f"{RULE}@{missed.seq}", first.due + timedelta(hours=24))


def test_a_chain_of_missed_search_reviews_keeps_the_daily_gap_showing() -> None:
    case = missing_case()
    for _ in range(3):
        miss(case, only_open(case, RULE))
    assert [c.status for c in clocks_of(case, RULE)] == ["missed"] * 3 + ["open"]
    assert only_open(case, RULE).due == REPORTED + timedelta(hours=24 * 4)


def test_search_action_after_missed_reviews_meets_them_late_and_restarts() -> None:
    case = missing_case()
    miss(case, only_open(case, RULE))
    late = search(case, REPORTED + timedelta(hours=40))
    statuses = {c.clock_id: (c.status, c.on_time) for c in clocks_of(case, RULE)}
    assert statuses[f"{RULE}@2"] == ("met", False)
    assert only_open(case, RULE).due == late.occurred_at + timedelta(hours=24)


def test_search_action_within_the_first_7_days_keeps_the_24_hour_cadence() -> None:
    case = missing_case()
    taken = search(case, REPORTED + timedelta(days=6, hours=10))  # before 00:00 on day 7
    assert only_open(case, RULE).due == taken.occurred_at + timedelta(hours=24)


def test_after_7_days_the_search_review_cadence_is_7_days_at_stockholm_midnight() -> None:
    case = missing_case()
    taken = search(case, at("2026-01-18T10:00:00+00:00"))  # 8 days after the report
    assert taken.occurred_at - REPORTED > timedelta(days=7)
    # 7 calendar days after 18 January, at 00:00 Stockholm (UTC+1 in winter)
    assert only_open(case, RULE).due == at("2026-01-25T00:00:00+01:00")


def test_missed_reviews_switch_to_the_weekly_cadence_once_the_episode_is_7_days_old() -> None:
    case = missing_case()
    while only_open(case, RULE).due - REPORTED < timedelta(days=7, hours=12):
        miss(case, only_open(case, RULE))
    dues = [c.due for c in clocks_of(case, RULE)]
    # daily for the dense week (10 Jan 09:00 to 17 Jan 00:00 Stockholm), then one week on
    assert dues == [REPORTED + timedelta(days=n) for n in range(1, 8)] + [
        at("2026-01-24T00:00:00+01:00")
    ]


def test_search_review_cadence_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules[RULE]["due_after"] = "12h"
    case = missing_case()
    taken = search(case, REPORTED + timedelta(hours=3))
    policy = custom_policy(rules)
    assert clock(case, f"{RULE}@2", policy).due == REPORTED + timedelta(hours=12)
    assert only_open(case, RULE, policy).due == taken.occurred_at + timedelta(hours=12)


@pytest.mark.parametrize("ending", ["Found", "ContactMade"])
def test_the_child_found_or_in_touch_cancels_the_open_search_review(ending: str) -> None:
    case = missing_case()
    fields: dict[str, Any] = {"location": "sweden"} if ending == "Found" else {}
    record(case, ending, REPORTED + timedelta(hours=10), **fields)
    assert [c.status for c in clocks_of(case, RULE)] == ["cancelled"]


def test_a_search_review_missed_after_the_child_is_found_opens_nothing() -> None:
    case = missing_case()
    review = clock(case, f"{RULE}@2")
    record(case, "Found", REPORTED + timedelta(hours=10), location="sweden")
    miss(case, review)  # a late-running timer: the child is no longer missing
    assert [c.status for c in clocks_of(case, RULE)] == ["cancelled"]


def test_a_miss_recorded_for_an_already_met_search_review_opens_no_second_review() -> None:
    case = missing_case()
    review = clock(case, f"{RULE}@2")
    search(case, REPORTED + timedelta(hours=23))  # met, and the next review opens
    miss(case, review)  # the timer fired in the same moment
    assert len([c for c in clocks_of(case, RULE) if c.status == "open"]) == 1


def test_long_term_review_is_due_30_days_after_the_report_owned_by_the_supervisor() -> None:
    case = missing_case()
    review = clock(case, "missing.long_term_review@2")
    assert review.due == at("2026-02-09T00:00:00+01:00")  # 10 Jan + 30 days, Stockholm
    assert review.owner == "supervisor"


def test_found_cancels_the_long_term_review() -> None:
    case = missing_case()
    record(case, "Found", REPORTED + timedelta(days=3), location="abroad")
    assert clock(case, "missing.long_term_review@2").status == "cancelled"
