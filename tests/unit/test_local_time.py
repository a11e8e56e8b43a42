"""Times as people in Stockholm read and type them, across the changes to and from summer
time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from vaka.i18n.when import deadline, span, until, when
from web.forms import FormProblem, local_datetime

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # 12:00 in Stockholm


def test_tomorrow_morning_is_said_as_tomorrow_in_local_time() -> None:
    assert when(NOW + timedelta(hours=18, minutes=40), NOW, STOCKHOLM, "sv") == "i morgon 06:40"
    assert when(NOW + timedelta(hours=18, minutes=40), NOW, STOCKHOLM, "en") == "tomorrow 06:40"


def test_a_deadline_at_midnight_is_the_end_of_the_day_before() -> None:
    midnight = datetime(2026, 11, 24, 0, 0, tzinfo=STOCKHOLM)
    assert deadline(midnight, NOW, STOCKHOLM, "sv") == "i dag 24:00"


def test_overdue_and_ahead_read_as_people_say_them() -> None:
    assert until(NOW - timedelta(hours=2, minutes=5), NOW, "sv") == "försenad 2 h 5 min"
    assert until(NOW + timedelta(days=3, hours=4), NOW, "sv") == "om 3 dagar 4 h"
    assert span(timedelta(days=1), "sv") == "1 dag"


def test_a_summer_time_wall_clock_is_plus_two_and_a_winter_one_plus_one() -> None:
    assert local_datetime("2026-07-12T10:00", STOCKHOLM, "x") == datetime(2026, 7, 12, 8, 0,
                                                                         tzinfo=UTC)
    assert local_datetime("2026-01-12T10:00", STOCKHOLM, "x") == datetime(2026, 1, 12, 9, 0,
                                                                         tzinfo=UTC)


def test_the_hour_skipped_in_spring_does_not_exist_and_is_refused() -> None:
    with pytest.raises(FormProblem) as refused:
        local_datetime("2026-03-29T02:30", STOCKHOLM, "last_seen_at")
    assert refused.value.field == "last_seen_at"


def test_in_the_hour_that_repeats_in_autumn_the_first_is_meant() -> None:
    first = local_datetime("2026-10-25T02:30", STOCKHOLM, "x")
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30+02:00
