"""The counts behind the metrics that must survive restarts: events recorded by type, and
the lateness of what Vaka recorded when a clock fell due, as histogram buckets.

Written only by the tally follower (vaka.followers.tally), in the transaction that moves
its position, so every event is counted exactly once. The buckets are fixed: changing
them needs a migration that starts the tally over.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from vaka.readside.db import Tx

# Seconds. Most firings land within a second or two; minutes mean a stalled worker or relay.
LATENESS_BOUNDS: tuple[float, ...] = (0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
                                      4 * 3600, 24 * 3600)
INF = "+Inf"


def bucket(seconds: float) -> str:
    """The label of the smallest bucket that holds `seconds` (Prometheus `le`)."""
    for bound in LATENESS_BOUNDS:
        if seconds <= bound:
            return le_label(bound)
    return INF


def le_label(bound: float) -> str:
    return str(float(bound))


@dataclass(frozen=True)
class Counted:
    """One event as the tally sees it: its type, and its lateness if Vaka fired it."""

    event_type: str
    lateness: float | None = None


@dataclass
class Lateness:
    """One event type's histogram: observations per bucket (not cumulative), and the sum."""

    buckets: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def count(self) -> int:
        return sum(self.buckets.values())


def add(tx: Tx, counted: Iterable[Counted]) -> None:
    events: Counter[str] = Counter()
    observed: dict[tuple[str, str], list[float]] = {}
    for item in counted:
        events[item.event_type] += 1
        if item.lateness is not None:
            observed.setdefault((item.event_type, bucket(item.lateness)), []).append(
                item.lateness)
    for event_type, n in sorted(events.items()):
        tx.execute("INSERT INTO event_tally (event_type, events) VALUES (?, ?)"
                   " ON CONFLICT (event_type) DO UPDATE"
                   " SET events = event_tally.events + excluded.events", (event_type, n))
    for (event_type, le), values in sorted(observed.items()):
        tx.execute("INSERT INTO clock_lateness (event_type, le, observations, seconds)"
                   " VALUES (?, ?, ?, ?) ON CONFLICT (event_type, le) DO UPDATE"
                   " SET observations = clock_lateness.observations + excluded.observations,"
                   " seconds = clock_lateness.seconds + excluded.seconds",
                   (event_type, le, len(values), float(sum(values))))


def events(tx: Tx) -> dict[str, int]:
    rows = tx.execute("SELECT event_type, events FROM event_tally ORDER BY event_type")
    return {r["event_type"]: int(r["events"]) for r in rows}


def lateness(tx: Tx) -> dict[str, Lateness]:
    found: dict[str, Lateness] = {}
    for r in tx.execute("SELECT * FROM clock_lateness ORDER BY event_type, le"):
        histogram = found.setdefault(r["event_type"], Lateness())
        histogram.buckets[r["le"]] = int(r["observations"])
        histogram.seconds += float(r["seconds"])
    return found
