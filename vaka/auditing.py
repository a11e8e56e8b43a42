"""The auditor's use cases: the access log filtered and paged, and its export, which is
itself logged. The API and the web pages both come here; only an auditor gets through."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.errors import InvalidField, InvalidFields
from domain.fields import parse_date
from domain.references import case_reference, reference_prefix
from domain.timing import local_midnight
from vaka.access import check_may_audit
from vaka.i18n import N_
from vaka.readside.access_log import Access, AccessLog, AccessQuery
from vaka.readside.db import Database
from vaka.readside.paging import Slice, Window
from vaka.users import User


def access_query(tz: ZoneInfo, child: str | None = None, user_id: str | None = None,
                 first: str | None = None, last: str | None = None) -> AccessQuery:
    """The filter as typed: a case reference (or a child id), a user id, and the first and
    last day (both included) in the municipality's time zone. Every problem at once."""
    problems: list[InvalidField] = []
    reference = None
    if child and child.strip():
        reference = _reference(child.strip())
        if reference is None:
            problems.append(InvalidField("child", N_(
                "must be a case reference such as VK-1A2B3C4D, or a child id")))
    start = end = None
    try:
        start = local_midnight(parse_date("from", first), tz) if first else None
    except InvalidField as problem:
        problems.append(problem)
    try:
        end = local_midnight(parse_date("to", last) + timedelta(days=1), tz) if last else None
    except InvalidField as problem:
        problems.append(problem)
    if start and end and end <= start:
        problems.append(InvalidField("to", N_("must not be before the first day")))
    if problems:
        raise InvalidFields(problems)
    return AccessQuery(reference, (user_id or "").strip() or None, start, end)


def _reference(text: str) -> str | None:
    prefix = reference_prefix(text)
    if prefix is not None:
        return case_reference(prefix)
    try:
        return case_reference(str(UUID(text)))
    except ValueError:
        return None


class Auditing:
    def __init__(self, db: Database) -> None:
        self.log = AccessLog(db)

    def entries(self, user: User, query: AccessQuery, window: Window) -> Slice[Access]:
        check_may_audit(user)
        return self.log.entries(query, window)

    def export(self, user: User, query: AccessQuery) -> Iterator[Access]:
        """Every entry the query finds. The export is logged before anything is read."""
        check_may_audit(user)
        self.log.record(user, "export", subject="access_log")
        return self.log.each(query)


CSV_COLUMNS = ("at", "user_id", "role", "purpose", "kind", "child_id", "reference", "subject")


def csv_lines(found: Iterable[Access], tz: ZoneInfo) -> Iterator[str]:
    """The export as CSV, a chunk at a time, times in the municipality's zone with their
    offset: a long log never sits whole in memory."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in found:
        writer.writerow([entry.at.astimezone(tz).isoformat(), entry.user_id, entry.role,
                         entry.purpose, entry.kind, entry.child_id or "",
                         entry.reference or "", entry.subject or ""])
        if out.tell() > 64_000:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
