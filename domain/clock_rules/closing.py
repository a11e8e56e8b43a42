"""The end of a journey stops every clock still open."""

from __future__ import annotations

from domain import facts
from domain.clocks import ClockBook
from domain.entries import Entry
from domain.state import CaseState

ENDINGS = (facts.CaseClosed, facts.Departed, facts.FoundDeceased)


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    if isinstance(entry.fact, ENDINGS):
        book.cancel(entry)
