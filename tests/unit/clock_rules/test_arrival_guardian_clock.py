"""arrival.guardian: a god man within 3 days, due 00:00 Europe/Stockholm on the third day."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.history import (
    at,
    clock,
    clocks_of,
    custom_policy,
    default_rules,
    miss,
    record,
    registered,
)


def test_guardian_deadline_in_winter_is_local_midnight_three_days_on_at_utc_plus_1() -> None:
    case = registered(at("2026-01-10T10:00:00+00:00"))
    due = clock(case, "arrival.guardian@1").due
    assert due == at("2026-01-12T23:00:00+00:00")  # 13 Jan 00:00 +01:00


def test_guardian_deadline_in_summer_is_local_midnight_three_days_on_at_utc_plus_2() -> None:
    case = registered(at("2026-06-10T10:00:00+00:00"))
    due = clock(case, "arrival.guardian@1").due
    assert due == at("2026-06-12T22:00:00+00:00")  # 13 Jun 00:00 +02:00


def test_guardian_deadline_counts_from_the_stockholm_date_of_arrival_not_the_utc_date() -> None:
    # 23:30 UTC on 10 January is already 11 January in Stockholm
    case = registered(at("2026-01-10T23:30:00+00:00"))
    assert clock(case, "arrival.guardian@1").due == at("2026-01-14T00:00:00+01:00")


def test_guardian_deadline_over_the_spring_clock_change_uses_summer_time() -> None:
    # Sweden moves to UTC+2 on 29 March 2026
    case = registered(at("2026-03-27T12:00:00+00:00"))
    assert clock(case, "arrival.guardian@1").due == at("2026-03-29T22:00:00+00:00")


@pytest.mark.parametrize("arrived", ["2026-01-10T00:00:00+01:00", "2026-01-10T23:59:00+01:00"])
def test_guardian_deadline_is_the_same_whatever_the_hour_of_arrival(arrived: str) -> None:
    case = registered(at(arrived))
    assert clock(case, "arrival.guardian@1").due == at("2026-01-13T00:00:00+01:00")


def test_guardian_appointed_meets_the_guardian_clock() -> None:
    case = registered(at("2026-01-10T10:00:00+00:00"))
    appointed = record(case, "GuardianAppointed", at("2026-01-11T09:00:00+00:00"),
                       name="Anna Svensson", email="anna@example.se")
    guardian = clock(case, "arrival.guardian@1")
    assert (guardian.status, guardian.on_time, guardian.resolved_seq) == (
        "met", True, appointed.seq)


def test_guardian_appointed_after_a_missed_deadline_is_met_late() -> None:
    case = registered(at("2026-01-10T10:00:00+00:00"))
    miss(case, clock(case, "arrival.guardian@1"))
    record(case, "GuardianAppointed", at("2026-01-15T09:00:00+00:00"), name="Anna Svensson")
    guardian = clock(case, "arrival.guardian@1")
    assert (guardian.status, guardian.on_time) == ("met", False)


def test_a_second_guardian_does_not_open_or_reopen_the_arrival_clock() -> None:
    case = registered(at("2026-01-10T10:00:00+00:00"))
    record(case, "GuardianAppointed", at("2026-01-11T09:00:00+00:00"), name="Anna Svensson")
    record(case, "GuardianEnded", at("2026-02-11T09:00:00+00:00"))
    record(case, "GuardianAppointed", at("2026-02-12T09:00:00+00:00"), name="Per Berg")
    assert [(c.status, c.resolved_seq) for c in clocks_of(case, "arrival.guardian")] == [
        ("met", 2)]


def test_guardian_deadline_days_come_from_the_policy_file() -> None:
    rules = default_rules()
    rules["arrival.guardian"]["due_after"] = "1d"
    case = registered(at("2026-01-10T10:00:00+00:00"))
    due = clock(case, "arrival.guardian@1", custom_policy(rules)).due
    assert due == at("2026-01-11T00:00:00+01:00")


def test_guardian_deadline_uses_the_time_zone_the_policy_names() -> None:
    case = registered(at("2026-01-10T10:00:00+00:00"))
    policy = custom_policy(default_rules(), timezone="UTC")
    assert clock(case, "arrival.guardian@1", policy).due == at("2026-01-13T00:00:00+00:00")


def test_guardian_clock_opens_for_any_child_registered() -> None:
    case = registered(at("2026-01-10T10:00:00+00:00"), date(2009, 1, 1))
    assert clock(case, "arrival.guardian@1").status == "open"
