"""Risk (RULEBOOK section 7): the assessment cadence and the follow-ups per risk area.

An area's follow-up runs while a factor of it is ticked at the latest assessment or
derived by Vaka (`RiskFlagRaised`). Each row of the action plan also says "or on change":
a key event (a decision, a placement change, a disappearance, turning 18) brings the next
follow-up of every running area forward to at once, and so does a new factor in an area,
for that area (`on_key_event_after`). The plan's fifth row, networking, runs monthly while
any area is followed up.
"""

from __future__ import annotations

from domain import facts
from domain.clock_rules.flags import raise_flag
from domain.clocks import MISSED, OPEN, ClockBook
from domain.entries import Entry
from domain.risk import AREAS, area_of
from domain.state import CaseState

ASSESSMENT_ANCHORS = (facts.Registered, facts.Placed, facts.PlacementChanged,
                      facts.DecisionIssued, facts.Found)
KEY_EVENTS = (facts.DecisionIssued, facts.AppealDecided, facts.PlacementChanged,
              facts.ReportedMissing, facts.Turned18)
NETWORK = "risk.followup.network"
FOLLOW_UPS = {**{a.follow_up: a.rule_id for a in AREAS.values()}, "network": NETWORK}


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    if isinstance(fact, ASSESSMENT_ANCHORS):
        _assessment_due(book, entry)
    if isinstance(fact, facts.RiskAssessed):
        book.meet("risk.assessment", entry)
        book.open_after("risk.assessment", entry, entry.occurred_at, "then_every")
        _follow_ups(book, entry, state, fact)
    elif isinstance(fact, facts.FollowUpHeld) and fact.area in FOLLOW_UPS:
        rule_id = FOLLOW_UPS[fact.area]
        if book.is_open(rule_id) or book.of_rule(rule_id, MISSED):
            book.restart(rule_id, entry)
    elif isinstance(fact, facts.RiskFlagRaised):
        rule_id = AREAS[area_of(fact.factor)].rule_id
        if book.is_open(rule_id):
            _bring_forward(book, entry, rule_id)  # a new factor in a running area
        else:  # a factor derived from a key event: its area is followed up at once
            key = "on_key_event_after" if book.after(rule_id, entry.occurred_at,
                                                     "on_key_event_after") else "every"
            book.open_after(rule_id, entry, entry.occurred_at, key)
    elif isinstance(fact, facts.AgeAssessed):
        older = fact.outcome == "adult" or (
            state.previous_date_of_birth is not None and state.date_of_birth is not None
            and state.date_of_birth < state.previous_date_of_birth)
        if older:
            raise_flag(book, "risk.flag.age_upgrade", entry, state)
    if isinstance(fact, KEY_EVENTS):
        for rule_id in FOLLOW_UPS.values():
            _bring_forward(book, entry, rule_id)
    if getattr(fact, "suspected_exploitation", False):  # "omedelbart vid misstanke"
        _bring_forward(book, entry, AREAS["A4"].rule_id)
    _network(book, entry)


def _assessment_due(book: ClockBook, entry: Entry) -> None:
    """Due within 14 days of each anchor; an earlier open due is never pushed back."""
    due = book.after("risk.assessment", entry.occurred_at)
    if due is None:
        return
    if any(c.due <= due for c in book.of_rule("risk.assessment")):
        return
    book.cancel(entry, ["risk.assessment"])
    book.open("risk.assessment", entry, due)


def _follow_ups(book: ClockBook, entry: Entry, state: CaseState,
                fact: facts.RiskAssessed) -> None:
    derived = {area_of(f) for f in state.risk_flags}
    for area in AREAS.values():
        ticked = {f for f in fact.factors if area_of(f) == area.area}
        if not ticked and area.area not in derived:
            book.cancel(entry, [area.rule_id])
        elif not book.is_open(area.rule_id):
            first = "first_after" if area.area == "A4" else "every"
            book.open_after(area.rule_id, entry, entry.occurred_at, first)
        elif ticked - set(state.previous_risk_factors):
            _bring_forward(book, entry, area.rule_id)  # a new factor ticked in that area


def _bring_forward(book: ClockBook, entry: Entry, rule_id: str) -> None:
    """The running follow-up moves up to `on_key_event_after` after the event, never back;
    one not running is not started by it."""
    due = book.after(rule_id, entry.occurred_at, "on_key_event_after")
    running = book.of_rule(rule_id)
    if due is None or not running or any(c.due <= due for c in running):
        return
    book.cancel(entry, [rule_id])
    book.open(rule_id, entry, due)


def _network(book: ClockBook, entry: Entry) -> None:
    """The networking row runs while any area is followed up (its latest follow-up open or
    missed), and stops when none is."""
    followed = any(_running(book, a.rule_id) for a in AREAS.values())
    if followed and not book.is_open(NETWORK) and not book.of_rule(NETWORK, MISSED):
        book.open_after(NETWORK, entry, entry.occurred_at, "every")
    elif not followed and book.is_open(NETWORK):
        book.cancel(entry, [NETWORK])


def _running(book: ClockBook, rule_id: str) -> bool:
    latest = book.latest(rule_id)
    return latest is not None and latest.status in (OPEN, MISSED)
