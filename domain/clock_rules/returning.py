"""Return: the departure window, the four-year lapse, enforcement acknowledged."""

from __future__ import annotations

from domain import facts
from domain.clocks import ClockBook
from domain.entries import Entry
from domain.state import CaseState

ENFORCEMENT = (facts.HandedOverToPolice, facts.DetentionOrdered, facts.DepartureScheduled)


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    if isinstance(fact, ENFORCEMENT):
        book.open_after("enforcement.notify", entry, entry.occurred_at)
    elif isinstance(fact, facts.EnforcementAcknowledged):
        book.meet("enforcement.notify", entry, where=lambda c: c.anchor_seq == fact.entry)
    elif isinstance(fact, facts.Departed):
        book.meet("return.voluntary_departure", entry)
        book.meet("return.expulsion_lapse", entry)
