"""A follower of the case file's log that writes to the read side: one batch at a time,
its effects and its tracked position in one transaction.

When a batch fails for a reason tied to an event, the follower applies the batch one event
at a time and quarantines each event that fails (vaka.followers.quarantine), so one bad
event never stalls the others. Work is prepared (cases read, clocks computed) before the
write transaction, which only writes rows and moves the position if no other instance of
the follower moved it meanwhile, and, when the follower runs under a lease
(vaka.readside.leases), only while this instance still holds it: a paused old holder's
batch fails with LeaseLost and rolls back.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from domain.case_file import CaseFile
from vaka.followers.log import Change, read_changes
from vaka.followers.quarantine import Quarantine, is_outage
from vaka.readside.db import Database, Tx
from vaka.readside.leases import Lease, LeaseLost, may_advance
from vaka.readside.tracking import position, save_position

log = logging.getLogger("vaka.followers")


class Follower(ABC):
    name: str

    def __init__(self, case_file: CaseFile, db: Database, quarantine: Quarantine,
                 batch_size: int) -> None:
        self.case_file = case_file
        self.db = db
        self.quarantine = quarantine
        self.batch_size = batch_size
        self.lease: Lease | None = None  # set when several instances may run

    @abstractmethod
    def prepare(self, changes: list[Change], isolated: bool = False) -> Any:
        """Read what the batch needs; no writes. `isolated` is one event applied alone to
        find the one at fault: apply it as of that event, not as of the latest."""

    @abstractmethod
    def write(self, tx: Tx, prepared: Any) -> None:
        """Write the batch's effects; they must be idempotent (a batch may be replayed)."""

    def step(self) -> int:
        """Apply the next batch and any retries admins asked for; returns how much was done."""
        done = self._retries()
        after = position(self.db, self.name)
        changes = read_changes(self.case_file, after, self.batch_size)
        if not changes:
            return done
        try:
            return done + self._apply(after, changes)
        except LeaseLost:
            raise
        except Exception as exc:
            if is_outage(exc, self.reachable):
                raise
        return done + self._one_by_one(after, changes)

    def _apply(self, after: int, changes: list[Change], isolated: bool = False) -> int:
        prepared = self.prepare(changes, isolated)
        with self.db.transaction() as tx:
            if not may_advance(tx, self.name, after, self.lease):
                return 0  # another instance got there first; nothing is doubled
            self.write(tx, prepared)
            save_position(tx, self.name, changes[-1].position)
        return len(changes)

    def _one_by_one(self, after: int, changes: list[Change]) -> int:
        for change in changes:
            try:
                if self._apply(after, [change], isolated=True) == 0:
                    return 0
            except LeaseLost:
                raise
            except Exception as exc:
                if is_outage(exc, self.reachable):
                    raise
                if not self._set_aside(after, change, exc):
                    return 0
            after = change.position
        return len(changes)

    def _set_aside(self, after: int, change: Change, exc: Exception) -> bool:
        log.error("%s: event %s (child %s, entry %s) quarantined: %s", self.name,
                  change.position, change.child_id, change.version, type(exc).__name__)
        event_type = self.event_type(change)
        admins = self.quarantine.admins()
        with self.db.transaction() as tx:
            if not may_advance(tx, self.name, after, self.lease):
                return False
            self.quarantine.put(tx, self.name, change, exc, event_type, admins)
            save_position(tx, self.name, change.position)
        return True

    def _retries(self) -> int:
        done = 0
        for item in self.quarantine.requested(self.name):
            try:
                prepared = self.prepare([item.change])
                with self.db.transaction() as tx:
                    if self.lease is not None:
                        self.lease.fence(tx)
                    if self.quarantine.resolve(tx, self.name, item.position):
                        self.write(tx, prepared)
                        done += 1
            except LeaseLost:
                raise
            except Exception as exc:
                if is_outage(exc, self.reachable):
                    raise
                self.quarantine.failed_again(self.name, item.position, exc)
        return done

    def event_type(self, change: Change) -> str | None:
        """The event's type, if its case can be read at all."""
        try:
            return self.case_file.get_case(change.child_id).entries[change.version - 1].event_type
        except Exception:
            return None

    def reachable(self) -> bool:
        """Whether both stores answer: if so, a failure was the event's, not theirs."""
        if not self.db.answers():
            return False
        try:
            self.case_file.recorder.max_notification_id()
        except Exception:
            return False
        return True
