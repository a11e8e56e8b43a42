"""Hand-over between municipalities (RULEBOOK section 5, found routine): a child found in,
or moved to, another municipality is proposed for a ResponsibilityTransferred to it; the
proposal is a clock until the transfer is recorded."""

from __future__ import annotations

from domain import facts
from domain.clocks import ClockBook
from domain.entries import Entry
from domain.state import CaseState

RULE = "found.handover"


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    if isinstance(fact, (facts.Found, facts.PlacementChanged)) and fact.municipality and \
            fact.municipality == state.handover_to:
        book.cancel(entry, [RULE])  # the latest proposal replaces an earlier one
        book.open_after(RULE, entry, entry.occurred_at)
    elif isinstance(fact, facts.ResponsibilityTransferred) and fact.municipality:
        book.meet(RULE, entry)
