"""Arrival: a god man at once, an information talk, a health examination, a crisis plan."""

from __future__ import annotations

from domain import facts
from domain.clocks import ClockBook
from domain.entries import Entry
from domain.state import CaseState

ON_ARRIVAL = ("arrival.guardian", "arrival.information_talk", "arrival.health_exam",
              "arrival.crisis_plan")


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    if isinstance(fact, facts.Registered):
        for rule_id in ON_ARRIVAL:
            book.open_after(rule_id, entry, fact.arrived_at)
    elif isinstance(fact, facts.GuardianAppointed):
        book.meet("arrival.guardian", entry)
    elif isinstance(fact, facts.TalkHeld) and fact.kind == "information" and \
            fact.guardian_present:
        book.meet("arrival.information_talk", entry)
    elif isinstance(fact, facts.HealthExamOffered):
        book.meet("arrival.health_exam", entry)
    elif isinstance(fact, facts.CrisisPlanEstablished):
        book.meet("arrival.crisis_plan", entry)
