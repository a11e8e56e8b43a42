"""How late Vaka was: from the due instant, or from the recording of what made the clock
due when that came later; a caseworker's entry is never a lateness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.entries import Actor, Entry
from vaka.followers.tally import lateness
from vaka.readside.tally import bucket

T = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CASEWORKER = Actor("caseworker-1", "caseworker")


def _entry(seq: int, occurred: datetime, recorded: datetime, actor: Actor) -> Entry:
    return Entry(seq, "DeadlineMissed" if actor == Actor.system() else "ReportedMissing",
                 None, occurred, recorded, actor)


def test_a_miss_recorded_ten_minutes_after_its_due_instant_is_ten_minutes_late() -> None:
    entries = [_entry(1, T - timedelta(hours=2), T - timedelta(hours=2), CASEWORKER),
               _entry(2, T, T + timedelta(minutes=10), Actor.system())]
    assert lateness(entries, 2) == 600
    assert bucket(600) == "600.0"


def test_a_miss_of_a_clock_that_was_overdue_when_reported_counts_from_the_report() -> None:
    entries = [_entry(1, T - timedelta(hours=30), T + timedelta(hours=1), CASEWORKER),
               _entry(2, T, T + timedelta(hours=1, seconds=1), Actor.system())]
    assert lateness(entries, 2) == 1


def test_a_caseworkers_entry_has_no_lateness() -> None:
    entries = [_entry(1, T - timedelta(hours=30), T, CASEWORKER)]
    assert lateness(entries, 1) is None


def test_lateness_beyond_the_largest_bucket_is_counted_in_the_last() -> None:
    assert bucket(3 * 24 * 3600) == "+Inf"
    assert bucket(0.0) == "0.5"
