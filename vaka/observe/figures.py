"""The figures behind /metrics, read from the shared database at scrape time.

Vaka is several processes; all of them leave their state in the database (positions,
outbox, quarantine, read models, the tally), so one reading by the API process tells the
whole story and survives any restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.case_file import CaseFile
from vaka.readside import tally
from vaka.readside.db import Database


@dataclass(frozen=True)
class Figures:
    head: int  # the case file's latest notification id
    positions: dict[str, int] = field(default_factory=dict)  # follower -> tracked position
    events: dict[str, int] = field(default_factory=dict)  # event type -> events counted
    lateness: dict[str, tally.Lateness] = field(default_factory=dict)  # by event type
    deliveries: dict[tuple[str, str], int] = field(default_factory=dict)  # (channel, status)
    retrying: dict[str, int] = field(default_factory=dict)  # channel -> failed, to be retried
    quarantined: dict[tuple[str, str], int] = field(default_factory=dict)  # (follower, status)
    children: dict[str, int] = field(default_factory=dict)  # stage -> children

    def lag(self, follower: str) -> int:
        return max(self.head - self.positions[follower], 0)


def read_figures(db: Database, case_file: CaseFile) -> Figures:
    # The head first: a follower read a moment later is never shown ahead of it.
    head = int(case_file.recorder.max_notification_id() or 0)
    with db.transaction(readonly=True) as tx:
        positions = {r["follower"]: int(r["position"])
                     for r in tx.execute("SELECT follower, position FROM tracking")}
        deliveries = {(r["channel"], r["status"]): int(r["n"]) for r in tx.execute(
            "SELECT channel, status, COUNT(*) AS n FROM deliveries GROUP BY channel, status")}
        inbox = tx.one("SELECT COUNT(*) AS n FROM notifications")
        retrying = {r["channel"]: int(r["n"]) for r in tx.execute(
            "SELECT channel, COUNT(*) AS n FROM deliveries WHERE attempts > 0"
            " AND status IN ('pending', 'sending') GROUP BY channel")}
        quarantined = {(r["follower"], r["status"]): int(r["n"]) for r in tx.execute(
            "SELECT follower, status, COUNT(*) AS n FROM quarantine GROUP BY follower, status")}
        children = {r["stage"]: int(r["n"]) for r in tx.execute(
            "SELECT stage, COUNT(*) AS n FROM children GROUP BY stage")}
        events = tally.events(tx)
        lateness = tally.lateness(tx)
    # Every alert lands in the inbox the moment it is posted: the inbox is a channel too.
    deliveries[("inbox", "delivered")] = int(inbox["n"]) if inbox else 0
    return Figures(head, positions, events, lateness, deliveries, retrying, quarantined,
                   children)
