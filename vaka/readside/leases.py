"""Follower leases: of the instances of one follower (relay, projector, notifier), one is
active and the others stand by.

A lease row names its holder, an epoch and an expiry. The active instance renews it about
every second; when it stops renewing (killed, paused, cut off), the lease runs out after
its time to live and the first standby to ask takes it with the next epoch.

The epoch is a fencing token. A follower moves its position only in a transaction that
also checks, under a row lock, that it still holds the lease at the epoch it took
(`fence`). An old holder that was paused and resumes after another took over therefore
cannot commit anything: its transaction fails with LeaseLost and rolls back. Safety rests
on the fence alone, not on clocks; the expiry (each instance's own UTC clock, so hosts
keep time with NTP) only decides how soon a standby may take over.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from vaka.readside.db import Database, Tx, from_ts, ts
from vaka.readside.tracking import read_position

_EXPIRED = datetime(1970, 1, 1, tzinfo=UTC)


class LeaseLost(Exception):
    """This instance no longer holds its follower's lease; what it was writing is undone."""


def holder_id() -> str:
    """Who holds a lease, as an operator finds the process: host, pid, and a nonce so a
    restarted process with a reused pid is a new holder."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Holding:
    follower: str
    holder: str
    epoch: int
    acquired_at: datetime
    expires_at: datetime

    @property
    def pid(self) -> int | None:
        """The holder's process id; None once released."""
        parts = self.holder.split(":")
        return int(parts[-2]) if len(parts) >= 3 else None


class Lease:
    """One instance's claim on one follower's lease."""

    def __init__(self, db: Database, follower: str, ttl: timedelta, holder: str | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db = db
        self.follower = follower
        self.ttl = ttl
        self.holder = holder or holder_id()
        self.clock = clock
        self.epoch: int | None = None  # set while this instance believes it holds the lease

    @property
    def held(self) -> bool:
        return self.epoch is not None

    def acquire_or_renew(self) -> bool:
        """Renew the lease if this instance holds it, take it if it has run out; whether
        this instance holds it now. One statement, so two standbys never both win."""
        now = self.clock()
        with self.db.transaction() as tx:
            row = tx.one(
                "INSERT INTO follower_leases (follower, holder, epoch, acquired_at, expires_at)"
                " VALUES (?, ?, 1, ?, ?) ON CONFLICT (follower) DO UPDATE SET"
                " epoch = CASE WHEN follower_leases.holder = excluded.holder"
                "   THEN follower_leases.epoch ELSE follower_leases.epoch + 1 END,"
                " acquired_at = CASE WHEN follower_leases.holder = excluded.holder"
                "   THEN follower_leases.acquired_at ELSE excluded.acquired_at END,"
                " holder = excluded.holder, expires_at = excluded.expires_at"
                " WHERE follower_leases.holder = excluded.holder"
                "   OR follower_leases.expires_at < excluded.acquired_at"
                " RETURNING epoch",
                (self.follower, self.holder, ts(now), ts(now + self.ttl)))
        self.epoch = int(row["epoch"]) if row else None
        return self.held

    def fence(self, tx: Tx) -> None:
        """Raise LeaseLost unless this instance still holds the lease at its epoch. Locks
        the lease row until `tx` ends, so no takeover commits in between."""
        if self.epoch is None or not tx.execute(
                "UPDATE follower_leases SET epoch = epoch WHERE follower = ? AND holder = ?"
                " AND epoch = ? RETURNING epoch", (self.follower, self.holder, self.epoch)):
            self.epoch = None
            raise LeaseLost(f"{self.follower}: the lease has passed to another instance")

    def release(self) -> None:
        """On an orderly stop: let a standby take over at once rather than after the TTL."""
        if self.epoch is None:
            return
        with self.db.transaction() as tx:
            tx.execute("UPDATE follower_leases SET holder = '', expires_at = ?"
                       " WHERE follower = ? AND holder = ? AND epoch = ?",
                       (ts(_EXPIRED), self.follower, self.holder, self.epoch))
        self.epoch = None


def may_advance(tx: Tx, follower: str, after: int, lease: Lease | None) -> bool:
    """Whether this instance may move `follower` on from position `after` in `tx`: it still
    holds the lease (LeaseLost if not), and no other instance moved the position since."""
    if lease is not None:
        lease.fence(tx)
    return read_position(tx, follower) == after


def holdings(db: Database) -> dict[str, Holding]:
    """Who is active for each follower, for operators and tests."""
    with db.transaction(readonly=True) as tx:
        rows = tx.execute("SELECT * FROM follower_leases ORDER BY follower")
    return {r["follower"]: Holding(r["follower"], r["holder"], int(r["epoch"]),
                                   from_ts(r["acquired_at"]), from_ts(r["expires_at"]))
            for r in rows}
