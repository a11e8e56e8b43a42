"""Times as people in the municipality read them: local wall-clock time in the policy's
zone, "i morgon 06:40", "försenad 2 h", "om 3 dagar"."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date

from vaka.i18n import Language, gettext, ngettext

_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def local(instant: datetime, tz: ZoneInfo) -> datetime:
    return instant.astimezone(tz)


def clock_time(instant: datetime, tz: ZoneInfo) -> str:
    return local(instant, tz).strftime("%H:%M")


def day(value: date, lang: Language, with_weekday: bool = False) -> str:
    """'2 april 2029', or 'måndag 2 april 2029'."""
    pattern = "EEEE d MMMM y" if with_weekday else "d MMMM y"
    return _babel_date(value, pattern, locale=_LOCALES[lang])


def when(instant: datetime, now: datetime, tz: ZoneInfo, lang: Language) -> str:
    """'i dag 14:00', 'i morgon 06:40', 'i går 23:10', else '24 november 2026 06:40'."""
    moment = local(instant, tz)
    days = (moment.date() - local(now, tz).date()).days
    relative = {0: gettext(lang, "today"), 1: gettext(lang, "tomorrow"),
                -1: gettext(lang, "yesterday")}
    if days in relative:
        return f"{relative[days]} {moment:%H:%M}"
    return f"{day(moment.date(), lang)} {moment:%H:%M}"


def deadline(instant: datetime, now: datetime, tz: ZoneInfo, lang: Language) -> str:
    """A deadline due at local midnight is read as the end of the day before: 'i dag 24:00',
    not 'i morgon 00:00' (the day counts of the rules end at midnight)."""
    moment = local(instant, tz)
    if (moment.hour, moment.minute) != (0, 0):
        return when(instant, now, tz, lang)
    before = moment - timedelta(minutes=1)
    return when(before, now, tz, lang).rsplit(" ", 1)[0] + " 24:00"


def span(delta: timedelta, lang: Language) -> str:
    """A length of time in the two largest units that matter: '2 h 5 min', '3 dagar 4 h'."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext(lang, "%(n)d day", "%(n)d days", days) % {"n": days})
    if hours and days < 7:
        parts.append(gettext(lang, "%(n)d h") % {"n": hours})
    if not days and (mins or not hours):
        parts.append(gettext(lang, "%(n)d min") % {"n": mins})
    return " ".join(parts)


def until(due: datetime, now: datetime, lang: Language) -> str:
    """'om 3 h 20 min' before the due instant, 'försenad 2 h' after it."""
    if due >= now:
        return gettext(lang, "in %(span)s") % {"span": span(due - now, lang)}
    return gettext(lang, "overdue %(span)s") % {"span": span(now - due, lang)}
