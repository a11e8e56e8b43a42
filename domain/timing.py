"""Durations and calendar instants, in the terms the policy file uses."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import PolicyError

_DURATION = re.compile(r"^\s*(\d+)\s*(m|h|d|w|mo|y)\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_MONTHS = {"mo": 1, "y": 12}


def split_duration(text: str) -> tuple[int, str]:
    match = _DURATION.match(str(text))
    if not match:
        raise PolicyError(
            f"not a duration: {text!r} (expected e.g. '24h', '3d', '2w', '6mo', '4y')")
    return int(match.group(1)), match.group(2)


def parse_duration(text: str) -> timedelta:
    """'24h', '3d', '2w', '30m' -> timedelta. Months and years are not fixed lengths: use
    add_rule_duration for them."""
    amount, unit = split_duration(text)
    if unit in _MONTHS:
        raise PolicyError(f"{text!r} has no fixed length")
    return timedelta(**{_UNITS[unit]: amount})


def check_duration(text: str) -> None:
    split_duration(text)


def is_calendar_duration(text: str) -> bool:
    """Day, week, month and year counts are calendar rules: due at local midnight."""
    return split_duration(text)[1] in ("d", "w", "mo", "y")


def add_months(instant: datetime, months: int) -> datetime:
    """The same wall-clock moment `months` later; the 31st becomes the month's last day."""
    year, month = divmod(instant.month - 1 + months, 12)
    year += instant.year
    month += 1
    day = min(instant.day, calendar.monthrange(year, month)[1])
    return instant.replace(year=year, month=month, day=day)


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """00:00 in the given zone on that day, as an aware UTC instant."""
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(UTC)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def add_rule_duration(anchor: datetime, text: str, tz: ZoneInfo,
                      sign: int = 1) -> datetime:
    """Hour rules fall due at the exact instant; day rules at 00:00 local on the due date.
    sign=-1 counts back (a reminder 7 days before a due)."""
    amount, unit = split_duration(text)
    if unit in _MONTHS:
        day = datetime.combine(local_date(anchor, tz), time(0, 0))
        return local_midnight(add_months(day, sign * amount * _MONTHS[unit]).date(), tz)
    delta = sign * parse_duration(text)
    if is_calendar_duration(text):
        return local_midnight(local_date(anchor, tz) + delta, tz)
    return (anchor + delta).astimezone(UTC)


def birthday(date_of_birth: date, years: int, leap_day_on: str = "03-01") -> date:
    """The date someone born on date_of_birth turns `years`; leap-day births per policy."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:  # 29 February in a common year
        month, day = (int(part) for part in leap_day_on.split("-"))
        return date(date_of_birth.year + years, month, day)


def utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)
