"""pending_timers: what the journey workflow must wake for, computed from the clocks."""

from __future__ import annotations

from datetime import date, timedelta

from domain.clocks import Clock
from domain.timers import pending_timers
from tests.support.history import (
    at,
    clock,
    clocks,
    miss,
    record,
    registered,
    remind,
    report_missing,
)


def due_key(clock_id: str, due) -> str:  # type: ignore[no-untyped-def]
    return f"due|{clock_id}|{due.isoformat()}"

ARRIVED = at("2026-01-05T10:00:00+00:00")
LAST_SEEN = at("2026-01-12T08:00:00+00:00")
REPORTED = LAST_SEEN + timedelta(minutes=30)
POLICE = "missing.police_report@2"


def police_timers(case, now) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    return [(t.key.format(), t.at) for t in pending_timers(clocks(case), now)
            if t.key.subject == POLICE]


def case_with_police_clock():  # type: ignore[no-untyped-def]
    case = registered(ARRIVED, date(2011, 5, 20))
    report_missing(case, REPORTED, LAST_SEEN)  # entry 2
    return case


def remind_key(at_) -> str:  # type: ignore[no-untyped-def]
    return f"remind|{POLICE}|{at_.isoformat()}"


def test_an_open_clock_plans_a_timer_at_its_due_instant() -> None:
    case = case_with_police_clock()
    due = clock(case, POLICE).due
    assert (due_key(POLICE, due), due) in police_timers(case, REPORTED)


def test_future_reminders_are_planned_each_at_its_instant() -> None:
    case = case_with_police_clock()
    two, twelve = LAST_SEEN + timedelta(hours=2), LAST_SEEN + timedelta(hours=12)
    assert police_timers(case, REPORTED) == [
        (remind_key(two), two), (remind_key(twelve), twelve),
        (due_key(POLICE, LAST_SEEN + timedelta(hours=24)), LAST_SEEN + timedelta(hours=24)),
    ]


def test_timers_are_ordered_by_instant() -> None:
    case = case_with_police_clock()
    planned = pending_timers(clocks(case), REPORTED)
    assert [t.at for t in planned] == sorted(t.at for t in planned)


def test_reminders_that_fell_due_unwatched_collapse_into_the_latest_one() -> None:
    case = case_with_police_clock()
    now = LAST_SEEN + timedelta(hours=13)  # both reminders passed, nobody reminded
    twelve = LAST_SEEN + timedelta(hours=12)
    assert police_timers(case, now) == [
        (remind_key(twelve), twelve),
        (due_key(POLICE, LAST_SEEN + timedelta(hours=24)), LAST_SEEN + timedelta(hours=24)),
    ]


def test_a_past_reminder_is_still_planned_while_the_clock_is_not_yet_due() -> None:
    case = case_with_police_clock()
    two = LAST_SEEN + timedelta(hours=2)
    keys = [k for k, _ in police_timers(case, LAST_SEEN + timedelta(hours=3))]
    assert remind_key(two) in keys


def test_reminders_are_dropped_once_the_clock_is_due() -> None:
    case = case_with_police_clock()
    due = LAST_SEEN + timedelta(hours=24)
    assert police_timers(case, due + timedelta(minutes=1)) == [(due_key(POLICE, due), due)]


def test_the_due_timer_of_an_overdue_open_clock_is_still_planned() -> None:
    case = case_with_police_clock()
    due = LAST_SEEN + timedelta(hours=24)
    assert (due_key(POLICE, due), due) in police_timers(case, due + timedelta(days=2))


def test_a_reminded_reminder_is_not_planned_again() -> None:
    case = case_with_police_clock()
    two, twelve = LAST_SEEN + timedelta(hours=2), LAST_SEEN + timedelta(hours=12)
    remind(case, clock(case, POLICE), two)
    assert clock(case, POLICE).reminded == (two,)
    keys = [k for k, _ in police_timers(case, two + timedelta(minutes=1))]
    assert remind_key(two) not in keys
    assert remind_key(twelve) in keys


def test_a_reminder_collapsed_into_a_later_one_is_not_planned_after_that_one_is_sent() -> None:
    case = case_with_police_clock()
    twelve = LAST_SEEN + timedelta(hours=12)
    remind(case, clock(case, POLICE), twelve)
    assert police_timers(case, twelve + timedelta(hours=1)) == [
        (due_key(POLICE, LAST_SEEN + timedelta(hours=24)), LAST_SEEN + timedelta(hours=24))]


def test_a_met_clock_plans_no_timers() -> None:
    case = case_with_police_clock()
    record(case, "PoliceReportFiled", LAST_SEEN + timedelta(hours=1))
    assert police_timers(case, LAST_SEEN + timedelta(hours=1)) == []


def test_a_cancelled_clock_plans_no_timers() -> None:
    case = case_with_police_clock()
    record(case, "Found", LAST_SEEN + timedelta(hours=1), location="sweden")
    assert police_timers(case, LAST_SEEN + timedelta(hours=1)) == []


def test_a_missed_clock_plans_no_timers() -> None:
    case = case_with_police_clock()
    miss(case, clock(case, POLICE))
    assert police_timers(case, LAST_SEEN + timedelta(hours=25)) == []


def test_due_timers_are_planned_for_every_open_clock_and_only_those() -> None:
    case = case_with_police_clock()
    record(case, "PoliceReportFiled", LAST_SEEN + timedelta(hours=1))
    all_clocks = clocks(case)
    due_keys = {t.key.format() for t in pending_timers(all_clocks, REPORTED)
                if t.key.kind == "due"}
    assert due_keys == {due_key(c.clock_id, c.due) for c in all_clocks if c.status == "open"}
    assert not any(key.startswith(f"due|{POLICE}|") for key in due_keys)


def test_a_timer_key_carries_no_personal_data() -> None:
    case = registered(ARRIVED, date(2011, 5, 20), given_name="Amir", family_name="Karimi")
    for timer in pending_timers(clocks(case), ARRIVED):
        assert "Amir" not in timer.key.format() and "Karimi" not in timer.key.format()
        assert "2011-05-20" not in timer.key.format()


def test_no_clocks_plan_no_timers() -> None:
    clocks_: list[Clock] = []
    assert pending_timers(clocks_, ARRIVED) == []


def test_a_timer_key_reads_back_as_written_and_keeps_its_permanent_form() -> None:
    from domain.timers import TimerKey

    for text in (f"due|{POLICE}|2026-01-11T08:00:00+00:00",
                 "remind|missing.police_report@2|2026-01-10T10:00:00+00:00",
                 "withdraw|7|Turned18", "due|age.eighteenth_birthday@1|2029-04-01T22:00:00+00:00"
                 "|again2"):
        assert TimerKey.parse(text).format() == text
    again = TimerKey.parse("withdraw|7|Turned18|again1")
    assert (again.kind, again.subject, again.detail, again.again) == ("withdraw", "7",
                                                                      "Turned18", 1)
    assert again.first == "withdraw|7|Turned18"
