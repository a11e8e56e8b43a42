"""Placement: monthly follow-up, the six-monthly review, the emergency-home limit."""

from __future__ import annotations

from datetime import datetime

from domain import facts
from domain.clock_rules.flags import raise_flag
from domain.clocks import ClockBook
from domain.entries import Entry
from domain.state import CaseState


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    if isinstance(fact, (facts.Placed, facts.PlacementChanged)):
        # A new placement starts its own cadences; leaving an emergency home meets its limit.
        book.cancel(entry, ["placement.followup", "placement.review"])
        book.open_after("placement.followup", entry, entry.occurred_at, "every")
        book.open_after("placement.review", entry, entry.occurred_at, "every")
        book.meet("placement.emergency_limit", entry)
        if fact.placement_type == "jourhem":
            book.open_after("placement.emergency_limit", entry, entry.occurred_at)
        if fact.placement_type == "natverkshem":
            raise_flag(book, "risk.flag.kinship_placement", entry, state)
        if isinstance(fact, facts.PlacementChanged) and _too_many_moves(book, state):
            raise_flag(book, "risk.flag.placement_moves", entry, state)
    elif isinstance(fact, facts.FollowUpHeld) and fact.area == "placement":
        book.restart("placement.followup", entry)
    elif isinstance(fact, facts.PlacementReviewed):
        book.restart("placement.review", entry)


def _too_many_moves(book: ClockBook, state: CaseState) -> bool:
    policy = book.policy.rule("risk.flag.placement_moves")
    if policy is None or not state.placement_changes:
        return False
    moves = int(policy.values.get("moves", 2))
    recent = state.placement_changes[-moves:]
    if len(recent) < moves:
        return False
    window_end = book.after("risk.flag.placement_moves", recent[0], "within")
    latest: datetime = recent[-1]
    return window_end is not None and latest < window_end
