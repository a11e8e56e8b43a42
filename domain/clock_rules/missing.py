"""A missing child: the police report, the search reviews, and after: debrief, risk."""

from __future__ import annotations

from datetime import datetime

from domain import facts
from domain.clocks import ClockBook
from domain.entries import Entry
from domain.state import CaseState

MISSING = ("missing.police_report", "missing.search_review", "missing.long_term_review")


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    if isinstance(fact, facts.ReportedMissing):
        book.open_after("missing.police_report", entry, fact.last_seen_at,
                        reminder_key="reminders_after")
        book.open_after("missing.search_review", entry, entry.occurred_at)
        book.open_after("missing.long_term_review", entry, entry.occurred_at)
    elif isinstance(fact, facts.PoliceReportFiled):
        book.meet("missing.police_report", entry)
    elif isinstance(fact, facts.SearchActionTaken):
        book.meet("missing.search_review", entry)
        _next_search_review(book, entry, state, entry.occurred_at)
    elif isinstance(fact, facts.DeadlineMissed) and fact.rule_id == "missing.search_review":
        # Nobody searched: the cadence goes on, so the gap keeps showing (003 L173-174).
        if state.missing is not None and book.missed_by(entry):
            _next_search_review(book, entry, state, fact.due)
    elif isinstance(fact, (facts.Found, facts.ContactMade)):
        book.cancel(entry, MISSING)
        book.open_after("found.debrief", entry, entry.occurred_at)
        book.open_after("found.risk_reassessment", entry, entry.occurred_at)
    elif isinstance(fact, facts.FoundDeceased):
        book.cancel(entry, MISSING)
    elif isinstance(fact, facts.TalkHeld) and fact.kind == "debrief":
        book.meet("found.debrief", entry)
    elif isinstance(fact, facts.RiskAssessed):
        book.meet("found.risk_reassessment", entry)


def _next_search_review(book: ClockBook, entry: Entry, state: CaseState, since: datetime) -> None:
    if state.missing is None:
        return
    dense_until = book.after("missing.search_review", state.missing.reported_at, "dense_for")
    if dense_until is None:
        return
    key = "due_after" if since < dense_until else "then_due_after"
    book.open_after("missing.search_review", entry, since, key)
