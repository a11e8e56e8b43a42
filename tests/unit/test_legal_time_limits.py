"""Legal time limits (RULEBOOK section 6): the appeal window and the departure window are
counted as Swedish law counts them. A period of weeks from day D ends at the end of the
same weekday that many weeks later; if that last day is a Saturday, a Sunday, a public
holiday, midsummer eve, Christmas eve or New Year's eve, it ends at the end of the next
working day. The clock falls due at 00:00 Stockholm on the day after the last day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.legal_time import is_working_day, last_day
from tests.support.history import (
    applied,
    at,
    clock,
    custom_policy,
    default_rules,
    fire,
    only_open,
    record,
    registered,
    rejected,
    state_of,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")


def notified_on(notified: datetime):  # type: ignore[no-untyped-def]
    case = registered(ARRIVED, date(2011, 5, 20))
    applied(case, at("2026-01-12T09:00:00+00:00"))
    decision = rejected(case, notified - timedelta(days=1), notified_at=notified)
    return case, decision


def appeal_window_due(notified: datetime) -> datetime:
    case, decision = notified_on(notified)
    return clock(case, f"decision.appeal_window@{decision.seq}").due


# ---- the calendar ----


@pytest.mark.parametrize("day,name", [
    (date(2026, 4, 6), "Easter Monday"), (date(2026, 6, 19), "midsummer eve"),
    (date(2026, 12, 24), "Christmas eve"), (date(2026, 12, 31), "New Year's eve"),
    (date(2026, 6, 6), "national day"), (date(2026, 3, 28), "a Saturday"),
    (date(2026, 3, 29), "a Sunday"),
])
def test_weekends_public_holidays_and_the_three_eves_are_not_working_days(
        day: date, name: str) -> None:
    assert not is_working_day(day), name


def test_an_ordinary_tuesday_is_a_working_day() -> None:
    assert is_working_day(date(2026, 4, 7))


def test_a_period_of_months_ends_on_the_same_date_or_the_months_last_day() -> None:
    assert last_day(date(2026, 1, 31), "1mo") == date(2026, 3, 2)  # 28 Feb is a Saturday


# ---- the appeal window (förvaltningslagen 44 §) ----


def test_appeal_window_of_a_decision_notified_on_a_thursday_closes_after_thursday() -> None:
    assert appeal_window_due(at("2026-03-05T10:00:00+00:00")) == at("2026-03-27T00:00:00+01:00")


def test_appeal_window_ending_on_a_saturday_closes_after_monday() -> None:
    # Notified Saturday 7 March: the last day would be Saturday 28 March.
    assert appeal_window_due(at("2026-03-07T10:00:00+00:00")) == at("2026-03-31T00:00:00+02:00")


def test_appeal_window_ending_on_a_sunday_closes_after_monday() -> None:
    assert appeal_window_due(at("2026-03-08T10:00:00+00:00")) == at("2026-03-31T00:00:00+02:00")


def test_appeal_window_ending_on_easter_monday_closes_after_tuesday() -> None:
    # The rulebook's example: notified Monday 16 March 2026, in time all Tuesday 7 April.
    assert appeal_window_due(at("2026-03-16T10:00:00+00:00")) == at("2026-04-08T00:00:00+02:00")


def test_appeal_window_ending_on_midsummer_eve_closes_after_the_monday() -> None:
    # Friday 19 June is midsummer eve, Saturday midsummer day, then Sunday.
    assert appeal_window_due(at("2026-05-29T10:00:00+00:00")) == at("2026-06-23T00:00:00+02:00")


def test_appeal_window_ending_on_christmas_eve_closes_after_the_monday() -> None:
    assert appeal_window_due(at("2026-12-03T10:00:00+00:00")) == at("2026-12-29T00:00:00+01:00")


def test_appeal_window_ending_on_new_years_eve_closes_after_the_first_working_day() -> None:
    assert appeal_window_due(at("2026-12-10T10:00:00+00:00")) == at("2027-01-05T00:00:00+01:00")


def test_the_day_of_notification_is_the_day_in_stockholm() -> None:
    # 23:30 UTC on Monday 16 March is 00:30 on Tuesday 17 March in Stockholm.
    assert appeal_window_due(at("2026-03-16T23:30:00+00:00")) == at("2026-04-08T00:00:00+02:00")


def test_an_appeal_filed_late_on_the_last_day_is_in_time() -> None:
    case, decision = notified_on(at("2026-03-16T10:00:00+00:00"))
    filed = record(case, "AppealFiled", at("2026-04-07T23:59:00+02:00"))
    window = clock(case, f"decision.appeal_window@{decision.seq}")
    assert (window.status, window.resolved_seq, window.on_time) == ("met", filed.seq, True)


def test_the_rejection_becomes_final_when_the_window_closes_after_the_moved_last_day() -> None:
    case, _ = notified_on(at("2026-03-16T10:00:00+00:00"))
    expired = fire(case, only_open(case, "decision.appeal_window"))
    assert state_of(case).rejection_final_at == expired.occurred_at == at(
        "2026-04-08T00:00:00+02:00")


def test_a_product_default_day_count_is_not_moved_past_holidays() -> None:
    rules = default_rules()
    rules["decision.appeal_window"]["legal_time_limit"] = False
    case, decision = notified_on(at("2026-03-16T10:00:00+00:00"))
    window = clock(case, f"decision.appeal_window@{decision.seq}", custom_policy(rules))
    assert window.due == at("2026-04-06T00:00:00+02:00")


# ---- the departure window (utlänningslagen 8 kap. 21 §), from the day it became final ----


def test_departure_window_counts_from_the_day_the_appeal_window_closed() -> None:
    case, _ = notified_on(at("2026-03-16T10:00:00+00:00"))  # avvisning: two weeks
    expired = fire(case, only_open(case, "decision.appeal_window"))  # final Wednesday 8 April
    departure = clock(case, f"return.voluntary_departure@{expired.seq}")
    assert departure.due == at("2026-04-23T00:00:00+02:00")


def test_departure_window_ending_on_a_saturday_holiday_and_sunday_closes_after_monday() -> None:
    case, _ = notified_on(at("2026-03-16T10:00:00+00:00"))
    # Final on Saturday 6 June (national day): the last day would be Saturday 20 June,
    # midsummer day.
    final = record(case, "DecisionFinal", at("2026-06-06T10:00:00+02:00"))
    departure = clock(case, f"return.voluntary_departure@{final.seq}")
    assert departure.due == at("2026-06-23T00:00:00+02:00")


def test_departure_window_ending_on_christmas_eve_closes_after_the_monday() -> None:
    case, _ = notified_on(at("2026-03-16T10:00:00+00:00"))
    final = record(case, "DecisionFinal", at("2026-12-10T10:00:00+01:00"))  # a Thursday
    departure = clock(case, f"return.voluntary_departure@{final.seq}")
    assert departure.due == at("2026-12-29T00:00:00+01:00")
