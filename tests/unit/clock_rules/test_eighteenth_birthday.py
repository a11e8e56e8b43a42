"""age.eighteenth_birthday: 00:00 Stockholm on the 18th birthday records Turned18."""

from __future__ import annotations

from datetime import date

from domain.state import fold
from tests.support.history import (
    POLICY,
    at,
    clock,
    clocks_of,
    custom_policy,
    default_rules,
    record,
    registered,
    system,
)

ARRIVED = at("2026-01-10T10:00:00+00:00")
RULE = "age.eighteenth_birthday"


def state(case):  # type: ignore[no-untyped-def]
    return fold(str(case.id), case.effective_entries)


def test_eighteenth_birthday_clock_is_due_at_stockholm_midnight_on_a_winter_birthday() -> None:
    case = registered(ARRIVED, date(2010, 1, 15))
    assert clock(case, f"{RULE}@1").due == at("2028-01-14T23:00:00+00:00")


def test_eighteenth_birthday_clock_is_due_at_stockholm_midnight_on_a_summer_birthday() -> None:
    case = registered(ARRIVED, date(2010, 7, 15))
    assert clock(case, f"{RULE}@1").due == at("2028-07-14T22:00:00+00:00")


def test_a_child_born_on_leap_day_turns_18_on_1_march_in_a_common_year() -> None:
    case = registered(at("2025-06-01T10:00:00+00:00"), date(2008, 2, 29))
    assert clock(case, f"{RULE}@1").due == at("2026-03-01T00:00:00+01:00")


def test_a_leap_day_birth_follows_the_policys_leap_day_rule() -> None:
    case = registered(at("2025-06-01T10:00:00+00:00"), date(2008, 2, 29))
    policy = custom_policy(default_rules(), leap_day_birthday="02-28")
    assert clock(case, f"{RULE}@1", policy).due == at("2026-02-28T00:00:00+01:00")


def test_a_birth_on_28_february_is_not_moved_by_the_leap_day_rule() -> None:
    case = registered(at("2025-06-01T10:00:00+00:00"), date(2010, 2, 28))
    assert clock(case, f"{RULE}@1").due == at("2028-02-28T00:00:00+01:00")


def test_eighteenth_birthday_clock_fires_turned18_and_is_owned_by_the_system() -> None:
    birthday = clock(registered(ARRIVED, date(2010, 7, 15)), f"{RULE}@1")
    assert (birthday.fires, birthday.owner) == ("Turned18", "system")


def test_age_in_years_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules[RULE]["years"] = 21
    case = registered(ARRIVED, date(2010, 7, 15))
    assert clock(case, f"{RULE}@1", custom_policy(rules)).due == at("2031-07-15T00:00:00+02:00")


def test_a_new_assessed_date_of_birth_cancels_the_old_birthday_clock() -> None:
    case = registered(ARRIVED, date(2011, 7, 15))
    assessed = record(case, "AgeAssessed", at("2026-03-01T10:00:00+00:00"),
                      outcome="new_date_of_birth", date_of_birth=date(2009, 9, 1))
    old = clock(case, f"{RULE}@1")
    assert (old.status, old.resolved_seq) == ("cancelled", assessed.seq)


def test_a_new_assessed_date_of_birth_opens_a_birthday_clock_at_the_new_date() -> None:
    case = registered(ARRIVED, date(2011, 7, 15))
    assessed = record(case, "AgeAssessed", at("2026-03-01T10:00:00+00:00"),
                      outcome="new_date_of_birth", date_of_birth=date(2009, 11, 1))
    new = clock(case, f"{RULE}@{assessed.seq}")
    assert (new.status, new.due) == ("open", at("2027-11-01T00:00:00+01:00"))
    assert [c.status for c in clocks_of(case, RULE)].count("open") == 1


def test_a_new_assessed_date_of_birth_is_recorded_as_assessed() -> None:
    case = registered(ARRIVED, date(2011, 7, 15))
    record(case, "AgeAssessed", at("2026-03-01T10:00:00+00:00"),
           outcome="new_date_of_birth", date_of_birth=date(2009, 11, 1))
    assert (state(case).date_of_birth, state(case).date_of_birth_basis) == (
        date(2009, 11, 1), "assessed")


def test_assessed_adult_cancels_the_birthday_clock() -> None:
    case = registered(ARRIVED, date(2011, 7, 15))
    assessed = record(case, "AgeAssessed", at("2026-03-01T10:00:00+00:00"), outcome="adult")
    birthday = clock(case, f"{RULE}@1")
    assert (birthday.status, birthday.resolved_seq) == ("cancelled", assessed.seq)


def test_assessed_adult_cancels_child_only_clocks_such_as_the_guardian_deadline() -> None:
    case = registered(ARRIVED, date(2011, 7, 15))
    record(case, "AgeAssessed", at("2026-01-11T10:00:00+00:00"), outcome="adult")
    assert clock(case, "arrival.guardian@1").status == "cancelled"


def test_assessed_adult_leaves_clocks_that_are_not_child_only_open() -> None:
    case = registered(ARRIVED, date(2011, 7, 15))
    last_seen = at("2026-01-11T08:00:00+00:00")
    record(case, "ReportedMissing", at("2026-01-11T09:00:00+00:00"), last_seen_at=last_seen,
           place="home", seen_by="staff")  # entry 2
    record(case, "AgeAssessed", at("2026-01-11T10:00:00+00:00"), outcome="adult")
    assert clock(case, "missing.police_report@2").status == "open"


def test_assessed_adult_moves_the_stage_to_adult_and_responsibility_to_the_agency() -> None:
    case = registered(ARRIVED, date(2011, 7, 15))
    record(case, "GuardianAppointed", at("2026-01-11T09:00:00+00:00"), name="Anna Svensson")
    record(case, "AgeAssessed", at("2026-03-01T10:00:00+00:00"), outcome="adult")
    after = state(case)
    assert (after.stage, after.responsibility, after.guardian) == (
        "adult", "migration_agency", None)


def test_child_only_rules_are_read_from_the_policy_file() -> None:
    rules = default_rules()
    rules["arrival.guardian"]["child_only"] = False
    case = registered(ARRIVED, date(2011, 7, 15))
    record(case, "AgeAssessed", at("2026-01-11T10:00:00+00:00"), outcome="adult")
    assert clock(case, "arrival.guardian@1", custom_policy(rules)).status == "open"


def test_turned18_meets_the_birthday_clock() -> None:
    case = registered(at("2025-06-01T10:00:00+00:00"), date(2008, 5, 10))
    birthday = clock(case, f"{RULE}@1")
    turned = system(case, "Turned18", birthday.due, responsibility_to="migration_agency")
    met = clock(case, f"{RULE}@1")
    assert (met.status, met.on_time, met.resolved_seq) == ("met", True, turned.seq)


def test_turned18_moves_the_stage_to_adult_and_ends_the_god_mans_task() -> None:
    case = registered(at("2025-06-01T10:00:00+00:00"), date(2008, 5, 10))
    record(case, "GuardianAppointed", at("2025-06-02T09:00:00+00:00"), name="Anna Svensson")
    system(case, "Turned18", clock(case, f"{RULE}@1").due, responsibility_to="migration_agency")
    after = state(case)
    assert (after.stage, after.guardian, after.responsibility) == (
        "adult", None, "migration_agency")


def test_turned18_cancels_a_child_only_clock_still_open() -> None:
    case = registered(at("2026-05-07T10:00:00+00:00"), date(2008, 5, 10))
    turned = system(case, "Turned18", clock(case, f"{RULE}@1").due,
                    responsibility_to="migration_agency")
    guardian = clock(case, "arrival.guardian@1")
    assert (guardian.status, guardian.resolved_seq) == ("cancelled", turned.seq)


def test_a_child_registered_as_a_child_starts_in_the_arrived_stage() -> None:
    assert state(registered(ARRIVED, date(2011, 7, 15))).stage == "arrived"


def test_birthday_clock_carries_the_policy_version() -> None:
    birthday = clock(registered(ARRIVED, date(2011, 7, 15)), f"{RULE}@1")
    assert birthday.policy_version == POLICY.version
