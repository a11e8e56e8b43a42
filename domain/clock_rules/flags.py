"""Derived risk factors (RULEBOOK section 7): Vaka raises them as `RiskFlagRaised`."""

from __future__ import annotations

from datetime import datetime

from domain.clocks import ClockBook
from domain.entries import Entry
from domain.risk import DERIVED
from domain.state import CaseState


def raise_flag(book: ClockBook, rule_id: str, entry: Entry, state: CaseState,
               due: datetime | None = None) -> None:
    """Open the flag's clock (due at once unless given), unless the factor is raised or
    already on its way. A flag is never raised before the event that started it (a child
    who arrives within 180 days of 18 is flagged on arrival, not before)."""
    if DERIVED[rule_id] in state.risk_flags or book.is_open(rule_id):
        return
    if due is None:
        due = book.after(rule_id, entry.occurred_at)
        if due is None:
            return
    book.open(rule_id, entry, max(due, entry.occurred_at), fires="RiskFlagRaised")
