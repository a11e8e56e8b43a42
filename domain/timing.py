"""Durations and calendar instants, in the terms the policy file uses."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import PolicyError

STOCKHOLM = ZoneInfo("Europe/Stockholm")

_DURATION = re.compile(r"^\s*(\d+)\s*(m|h|d|w)\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """'24h', '3d', '2w', '30m' -> timedelta."""
    match = _DURATION.match(str(text))
    if not match:
        raise PolicyError(f"not a duration: {text!r} (expected e.g. '24h', '3d', '2w')")
    amount, unit = match.groups()
    return timedelta(**{_UNITS[unit]: int(amount)})


def is_calendar_duration(text: str) -> bool:
    """Day and week counts are calendar rules: due at local midnight."""
    return str(text).strip()[-1:] in ("d", "w")


def local_midnight(day: date, tz: ZoneInfo = STOCKHOLM) -> datetime:
    """00:00 in the given zone on that day, as an aware UTC instant."""
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(UTC)


def local_date(instant: datetime, tz: ZoneInfo = STOCKHOLM) -> date:
    return instant.astimezone(tz).date()


def add_rule_duration(anchor: datetime, text: str, tz: ZoneInfo = STOCKHOLM) -> datetime:
    """Hour rules fall due at the exact instant; day rules at 00:00 local on the due date."""
    delta = parse_duration(text)
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
