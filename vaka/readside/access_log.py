"""The access log: who read which child's personal data, when, what kind of read, and why.

Swedish social-services law expects a case system to answer "who looked at this child's
file". Every read that shows a child's personal data writes its entries here before the
answer leaves, in the same request; if the entries cannot be written the read is refused
(ReadNotLogged), so there are no unlogged reads.

An entry holds ids and case references only, never a name or a free text of a child. The
log is append-only: nothing in Vaka updates or deletes it, and the database refuses it too
(triggers made by the migrations in vaka.readside.schema).

A list that names children (my children, the overview) is logged once per person and child
in LIST_QUIET: the overview refreshes itself every few seconds, and logging every refresh
would bury the reads an auditor looks for. Every other read is logged each time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from uuid import uuid4

from domain.errors import DomainError
from domain.references import case_reference
from vaka.readside.db import Database, Tx, from_ts, ts
from vaka.readside.paging import Slice, Window

log = logging.getLogger("vaka.access_log")

# What was read. An export names its subject (figures, access_log) instead of a child.
KINDS = ("child", "history", "police_pack", "search", "list", "export")
# Why: the purpose of the reader's role, a short fixed text, kept with each entry as said then.
PURPOSES = {
    "caseworker": "handläggning",
    "supervisor": "arbetsledning",
    "head_of_unit": "ledning och uppföljning",
    "auditor": "granskning",
    "admin": "systemförvaltning",
}
LIST_QUIET = timedelta(minutes=10)
EXPORT_BATCH = 1000


class ReadNotLogged(DomainError):
    title = "Read not logged"


class Reader(Protocol):
    """Who reads: a user (vaka.users.User) as far as the log needs to know."""

    @property
    def user_id(self) -> str: ...
    @property
    def role(self) -> str: ...


def purpose_of(role: str) -> str:
    return PURPOSES.get(role, "okänt syfte")


@dataclass(frozen=True)
class Access:
    entry_id: str
    at: datetime
    user_id: str
    role: str
    purpose: str
    kind: str
    child_id: str | None
    reference: str | None
    subject: str | None


@dataclass(frozen=True)
class AccessQuery:
    """Which entries an auditor asks for: one child (by case reference), one user, and the
    instants [start, end); any may be left out."""

    reference: str | None = None
    user_id: str | None = None
    start: datetime | None = None
    end: datetime | None = None

    def terms(self) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        for column, op, value in (("reference", "=", self.reference),
                                  ("user_id", "=", self.user_id),
                                  ("at", ">=", ts(self.start) if self.start else None),
                                  ("at", "<", ts(self.end) if self.end else None)):
            if value is not None:
                where.append(f"{column} {op} ?")
                params.append(value)
        return where, params


def _access(row: dict[str, Any]) -> Access:
    return Access(row["entry_id"], from_ts(row["at"]), row["user_id"], row["role"],
                  row["purpose"], row["kind"], row["child_id"], row["reference"],
                  row["subject"])


class AccessLog:
    def __init__(self, db: Database,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db = db
        self.clock = clock

    # ---- writing: only ever INSERT ----

    def record(self, reader: Reader, kind: str, child_ids: Sequence[str] = (),
               subject: str | None = None) -> None:
        """Log a read before it is served. Raises ReadNotLogged if the log cannot be
        written: the caller then serves nothing."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind of read {kind!r}")
        children = list(dict.fromkeys(str(c) for c in child_ids))
        if not children and subject is None:
            return  # nothing of a child was shown
        now = self.clock()
        try:
            with self.db.transaction() as tx:
                if kind == "list":
                    children = self._not_listed_lately(tx, reader.user_id, children, now)
                targets: list[str | None] = [*children] or ([None] if subject else [])
                for child_id in targets:
                    tx.execute(
                        "INSERT INTO access_log (entry_id, at, user_id, role, purpose, kind,"
                        " child_id, reference, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (str(uuid4()), ts(now), reader.user_id, reader.role,
                         purpose_of(reader.role), kind, child_id,
                         case_reference(child_id) if child_id else None, subject))
        except Exception as exc:
            # Only the kind of error: its message could name a value.
            log.error("access log not written (%s): the read is refused", type(exc).__name__)
            raise ReadNotLogged("the read could not be logged, so it is not shown; "
                                "try again shortly") from None

    @staticmethod
    def _not_listed_lately(tx: Tx, user_id: str, children: list[str], now: datetime
                           ) -> list[str]:
        marks = ", ".join("?" for _ in children)
        seen = {r["child_id"] for r in tx.execute(
            f"SELECT DISTINCT child_id FROM access_log WHERE user_id = ? AND kind = 'list'"
            f" AND at > ? AND child_id IN ({marks})",
            (user_id, ts(now - LIST_QUIET), *children))}
        return [c for c in children if c not in seen]

    # ---- reading: for the auditor ----

    def entries(self, query: AccessQuery, window: Window) -> Slice[Access]:
        """Newest first."""
        where, params = query.terms()
        with self.db.transaction(readonly=True) as tx:
            rows = tx.execute(
                "SELECT * FROM access_log WHERE " + " AND ".join(where or ["1 = 1"])
                + " ORDER BY at DESC, entry_id DESC LIMIT ? OFFSET ?",
                (*params, window.limit + 1, window.offset))
        return window.slice([_access(r) for r in rows])

    def each(self, query: AccessQuery) -> Iterator[Access]:
        """Every entry the query finds, newest first, fetched in batches (an export)."""
        where, params = query.terms()
        after: tuple[str, str] | None = None
        while True:
            page_where = list(where)
            page_params = list(params)
            if after is not None:
                page_where.append("(at < ? OR (at = ? AND entry_id < ?))")
                page_params += [after[0], after[0], after[1]]
            with self.db.transaction(readonly=True) as tx:
                rows = tx.execute(
                    "SELECT * FROM access_log WHERE " + " AND ".join(page_where or ["1 = 1"])
                    + " ORDER BY at DESC, entry_id DESC LIMIT ?", (*page_params, EXPORT_BATCH))
            yield from (_access(r) for r in rows)
            if len(rows) < EXPORT_BATCH:
                return
            after = (rows[-1]["at"], rows[-1]["entry_id"])
