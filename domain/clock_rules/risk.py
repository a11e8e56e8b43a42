"""Risk (RULEBOOK section 7): the assessment cadence and the follow-ups per risk area.

An area's follow-up runs while a factor of it is ticked at the latest assessment; the
asylum-and-placement area (B3) also while a derived factor is raised.
"""

from __future__ import annotations

from domain import facts
from domain.clock_rules.flags import raise_flag
from domain.clocks import ClockBook
from domain.entries import Entry
from domain.risk import AREAS, area_of
from domain.state import CaseState

ASSESSMENT_ANCHORS = (facts.Registered, facts.Placed, facts.PlacementChanged,
                      facts.DecisionIssued, facts.Found)
B3_KEY_EVENTS = (facts.DecisionIssued, facts.AppealDecided, facts.PlacementChanged,
                 facts.Turned18)
B3 = AREAS["A3"].rule_id


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    if isinstance(fact, ASSESSMENT_ANCHORS):
        _assessment_due(book, entry)
    if isinstance(fact, facts.RiskAssessed):
        book.meet("risk.assessment", entry)
        book.open_after("risk.assessment", entry, entry.occurred_at, "then_every")
        _follow_ups(book, entry, state, {area_of(f) for f in fact.factors})
    elif isinstance(fact, facts.FollowUpHeld) and fact.area != "placement":
        rule_id = next(a.rule_id for a in AREAS.values() if a.follow_up == fact.area)
        if book.is_open(rule_id) or book.of_rule(rule_id, "missed"):
            book.restart(rule_id, entry)
    elif isinstance(fact, facts.RiskFlagRaised) and not book.is_open(B3):
        book.open_after(B3, entry, entry.occurred_at, "every")
    elif isinstance(fact, facts.AgeAssessed):
        older = fact.outcome == "adult" or (
            state.previous_date_of_birth is not None and state.date_of_birth is not None
            and state.date_of_birth < state.previous_date_of_birth)
        if older:
            raise_flag(book, "risk.flag.age_upgrade", entry, state)
    if isinstance(fact, B3_KEY_EVENTS) and book.is_open(B3):
        # "At once on a key event": the next follow-up moves up, never back.
        due = book.after(B3, entry.occurred_at, "on_key_event_after")
        if due is not None and all(c.due > due for c in book.of_rule(B3)):
            book.cancel(entry, [B3])
            book.open(B3, entry, due)


def _assessment_due(book: ClockBook, entry: Entry) -> None:
    """Due within 14 days of each anchor; an earlier open due is never pushed back."""
    due = book.after("risk.assessment", entry.occurred_at)
    if due is None:
        return
    if any(c.due <= due for c in book.of_rule("risk.assessment")):
        return
    book.cancel(entry, ["risk.assessment"])
    book.open("risk.assessment", entry, due)


def _follow_ups(book: ClockBook, entry: Entry, state: CaseState, ticked: set[str]) -> None:
    for area in AREAS.values():
        active = area.area in ticked or (area.area == "A3" and bool(state.risk_flags))
        if not active:
            book.cancel(entry, [area.rule_id])
        elif not book.is_open(area.rule_id):
            first = "first_after" if area.area == "A4" else "every"
            book.open_after(area.rule_id, entry, entry.occurred_at, first)
