"""Quarantine: an event one follower cannot apply is set aside, and the follower goes on.

A failure tied to one event (a value the read side cannot hold, an entry an older version
wrote, a defect met by this event only) must never stall the alarms of every other child.
The event is recorded here for that follower with the kind of error and where it arose,
admins are told at once, and the follower moves past it in the same transaction. An admin
asks for a retry once the cause is fixed; the follower applies it and resolves the row in
one transaction, so a retried event is applied exactly once.

A failure of the infrastructure (the database or Temporal unreachable) is not tied to an
event: the follower backs off and tries the same batch again.

What is kept of an error is its kind and code locations, never its message: a message
can carry a child's data.
"""

from __future__ import annotations

import sqlite3
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from eventsourcing import persistence as es

from domain.references import case_reference
from vaka.followers.log import Change
from vaka.notify.alerts import Alert
from vaka.notify.audience import recipient_for
from vaka.notify.outbox import Outbox
from vaka.readside.db import Database, Tx, from_ts, ts
from vaka.users import User, UserDirectory

QUARANTINED, RETRY, RESOLVED = "quarantined", "retry", "resolved"

_OUTAGES: tuple[type[BaseException], ...] = (
    psycopg.OperationalError, psycopg.InterfaceError, es.OperationalError, es.InterfaceError,
    sqlite3.OperationalError, OSError, TimeoutError,
)
_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def is_outage(exc: BaseException, reachable: Callable[[], bool]) -> bool:
    """Whether a failure is the infrastructure's rather than one event's. What is not
    plainly an outage is checked against the stores: if they answer, the event is at fault."""
    if isinstance(exc, _OUTAGES) or _is_transient_rpc(exc):
        return True
    return not reachable()


def _is_transient_rpc(exc: BaseException) -> bool:
    from temporalio.service import RPCError, RPCStatusCode

    tied_to_request = (RPCStatusCode.INVALID_ARGUMENT, RPCStatusCode.FAILED_PRECONDITION,
                       RPCStatusCode.OUT_OF_RANGE)
    return isinstance(exc, RPCError) and exc.status not in tied_to_request


def describe(exc: BaseException) -> tuple[str, str]:
    """(kind, location): the error's class (with the SQL state when there is one) and the
    innermost frames in Vaka's own code. No message text."""
    kind = type(exc).__name__
    sqlstate = getattr(exc, "sqlstate", None) or getattr(
        getattr(exc, "__cause__", None), "sqlstate", None)
    if sqlstate:
        kind += f" (SQLSTATE {sqlstate})"
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.is_relative_to(_PROJECT_ROOT) and ".venv" not in path.parts:
            frames.append(f"{path.relative_to(_PROJECT_ROOT)}:{frame.lineno} in {frame.name}")
    return kind, " < ".join(reversed(frames[-3:]))


@dataclass(frozen=True)
class Quarantined:
    follower: str
    position: int
    child_id: str
    version: int
    event_type: str | None
    error: str
    location: str | None
    status: str
    attempts: int
    quarantined_at: datetime
    retry_requested_at: datetime | None
    resolved_at: datetime | None

    @property
    def change(self) -> Change:
        from uuid import UUID

        return Change(self.position, UUID(self.child_id), self.version)


def _row(r: dict) -> Quarantined:  # type: ignore[type-arg]
    return Quarantined(r["follower"], int(r["position"]), r["child_id"], int(r["version"]),
                       r["event_type"], r["error"], r["location"], r["status"],
                       int(r["attempts"]), from_ts(r["quarantined_at"]),
                       from_ts(r["retry_requested_at"]), from_ts(r["resolved_at"]))


class Quarantine:
    """The quarantine of the followers, and the admins' alarm when an event goes in."""

    def __init__(self, db: Database, users: UserDirectory, outbox: Outbox) -> None:
        self.db = db
        self.users = users
        self.outbox = outbox

    def put(self, tx: Tx, follower: str, change: Change, exc: BaseException,
            event_type: str | None, admins: list[User]) -> None:
        """Set the event aside and tell the admins, in the follower's transaction."""
        kind, location = describe(exc)
        inserted = tx.execute(
            "INSERT INTO quarantine (follower, position, child_id, version, event_type, error,"
            " location, status, attempts, quarantined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"
            " ON CONFLICT (follower, position) DO NOTHING RETURNING position",
            (follower, change.position, str(change.child_id), change.version, event_type, kind,
             location, QUARANTINED, ts(datetime.now(UTC))))
        if inserted:
            alarm = _alarm(follower, change, kind, admins)
            self.outbox.post(tx, str(change.child_id), change.version, alarm,
                               topic=f"quarantine:{follower}")

    def admins(self) -> list[User]:
        return self.users.admins()

    def requested(self, follower: str) -> list[Quarantined]:
        with self.db.transaction(readonly=True) as tx:
            rows = tx.execute("SELECT * FROM quarantine WHERE follower = ? AND status = ?"
                              " ORDER BY position", (follower, RETRY))
        return [_row(r) for r in rows]

    @staticmethod
    def resolve(tx: Tx, follower: str, position: int) -> bool:
        """Claim a requested retry as done; False if another instance already did."""
        return bool(tx.execute(
            "UPDATE quarantine SET status = ?, resolved_at = ? WHERE follower = ?"
            " AND position = ? AND status = ? RETURNING position",
            (RESOLVED, ts(datetime.now(UTC)), follower, position, RETRY)))

    def failed_again(self, follower: str, position: int, exc: BaseException) -> None:
        kind, location = describe(exc)
        with self.db.transaction() as tx:
            tx.execute("UPDATE quarantine SET status = ?, attempts = attempts + 1, error = ?,"
                       " location = ? WHERE follower = ? AND position = ? AND status = ?",
                       (QUARANTINED, kind, location, follower, position, RETRY))

    # ---- for admins ----

    def list(self, status: str | None = None, limit: int = 100, offset: int = 0
             ) -> list[Quarantined]:
        sql = "SELECT * FROM quarantine"
        params: list[object] = []
        if status:
            sql += " WHERE status = ?"
            params.append(status)
        sql += " ORDER BY quarantined_at DESC, follower, position LIMIT ? OFFSET ?"
        with self.db.transaction(readonly=True) as tx:
            return [_row(r) for r in tx.execute(sql, (*params, limit, offset))]

    def request_retry(self, follower: str, position: int, user_id: str) -> Quarantined | None:
        """Ask the follower to apply the event again. A resolved event stays resolved."""
        with self.db.transaction() as tx:
            tx.execute("UPDATE quarantine SET status = ?, retry_requested_at = ?,"
                       " retry_requested_by = ? WHERE follower = ? AND position = ?"
                       " AND status = ?", (RETRY, ts(datetime.now(UTC)), user_id, follower,
                                           position, QUARANTINED))
            row = tx.one("SELECT * FROM quarantine WHERE follower = ? AND position = ?",
                         (follower, position))
        return _row(row) if row else None


def _alarm(follower: str, change: Change, kind: str, admins: list[User]) -> Alert:
    ref = case_reference(str(change.child_id))
    return Alert(
        "quarantine", True,
        f"[Vaka] {ref}: en händelse kunde inte behandlas ({follower})",
        f"Händelse {change.version} i ärende {ref} kunde inte behandlas av {follower} "
        f"({kind}). Vaka har lagt den åt sidan och fortsätter med alla andra händelser.\n\n"
        "Rätta ärendet (Corrected eller Retracted) eller uppdatera Vaka, och be sedan om ett "
        "nytt försök under Administration → Karantän.\n\n"
        f"Event {change.version} of case {ref} could not be applied by {follower}; it is "
        "set aside and every other event goes on. Correct the case or update Vaka, then "
        "retry it from the quarantine list.",
        [recipient_for(admin, "admin") for admin in admins])
