"""Legal time limits, counted as Swedish law counts them (RULEBOOK section 6).

A period of N weeks (or days, months) from day D ends at the end of the corresponding day
N weeks later (förvaltningslagen 2017:900, 44 §: three weeks from the day the decision was
received); the act is in time on that day. When that last day is a Saturday, a Sunday, a
public holiday, midsummer eve, Christmas eve or New Year's eve, the period ends at the end
of the next working day (lag 1930:173 om beräkning av lagstadgad tid). The clock falls due
at 00:00 local time on the day after the last day.

The calendar comes from the `holidays` package: its Swedish `public` category holds the
public holidays, its `de_facto` category the three eves the 1930 act names.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from domain.timing import add_months, local_date, local_midnight, split_duration

_CATEGORIES = ("public", "de_facto")  # de_facto: midsummer eve, Christmas eve, New Year's eve


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("SE", years=year, categories=_CATEGORIES)
    return frozenset(calendar.keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def next_working_day(day: date) -> date:
    """The day itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def last_day(start: date, text: str) -> date:
    """The last day on which an act is in time, for a period `text` from day `start`."""
    amount, unit = split_duration(text)
    if unit in ("mo", "y"):
        end = add_months(datetime.combine(start, datetime.min.time()),
                         amount * (12 if unit == "y" else 1)).date()
    elif unit in ("d", "w"):
        end = start + timedelta(days=amount * (7 if unit == "w" else 1))
    else:
        raise ValueError(f"a legal time limit counts days, weeks or months, not {text!r}")
    return next_working_day(end)


def legal_due(anchor: datetime, text: str, tz: ZoneInfo) -> datetime:
    """00:00 local on the day after the last day of a period running from anchor's day."""
    end = last_day(local_date(anchor, tz), text)
    return local_midnight(end + timedelta(days=1), tz)
