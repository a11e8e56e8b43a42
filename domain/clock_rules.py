"""The rules of RULEBOOK section 6: which entry opens, meets or cancels which clock.

Numbers come from the policy; a rule absent from the policy opens nothing.
"""

from __future__ import annotations

from domain import facts
from domain.clocks import ClockBook
from domain.entries import Entry
from domain.state import CaseState
from domain.timing import add_rule_duration, birthday, local_midnight


def _due(book: ClockBook, rule_id: str, anchor_time, key: str = "due_after"):  # type: ignore[no-untyped-def]
    rule = book.policy.rule(rule_id)
    if rule is None:
        return None
    return add_rule_duration(anchor_time, rule.duration(key), book.policy.timezone)


def _open_after(book: ClockBook, rule_id: str, entry: Entry, anchor_time, key: str = "due_after",
                reminder_key: str | None = None) -> None:  # type: ignore[no-untyped-def]
    due = _due(book, rule_id, anchor_time, key)
    if due is None:
        return
    reminders = []
    rule = book.policy.rule(rule_id)
    if reminder_key and rule is not None:
        tz = book.policy.timezone
        reminders = [add_rule_duration(anchor_time, d, tz) for d in rule.durations(reminder_key)]
    book.open(rule_id, entry, due, reminders)


def missing_child(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    if isinstance(fact, facts.ReportedMissing):
        _open_after(book, "missing.police_report", entry, fact.last_seen_at,
                    reminder_key="reminders_after")
        _open_after(book, "missing.search_review", entry, entry.occurred_at)
        _open_after(book, "missing.long_term_review", entry, entry.occurred_at)
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
        book.cancel(entry, ["missing.police_report", "missing.search_review",
                            "missing.long_term_review"])
        _open_after(book, "found.debrief", entry, entry.occurred_at)
        _open_after(book, "found.risk_reassessment", entry, entry.occurred_at)
    elif isinstance(fact, facts.TalkHeld) and fact.kind == "debrief":
        book.meet("found.debrief", entry)
    elif isinstance(fact, facts.RiskAssessed):
        book.meet("found.risk_reassessment", entry)


def _next_search_review(book: ClockBook, entry: Entry, state: CaseState, since) -> None:  # type: ignore[no-untyped-def]
    rule = book.policy.rule("missing.search_review")
    if rule is None or state.missing is None:
        return
    dense_until = add_rule_duration(state.missing.reported_at, rule.duration("dense_for"),
                                    book.policy.timezone)
    key = "due_after" if since < dense_until else "then_due_after"
    _open_after(book, "missing.search_review", entry, since, key)


def arrival(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    if isinstance(fact, facts.Registered):
        _open_after(book, "arrival.guardian", entry, fact.arrived_at)
    elif isinstance(fact, facts.GuardianAppointed):
        book.meet("arrival.guardian", entry)


def age(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    rule_id = "age.eighteenth_birthday"
    new_dob = isinstance(fact, facts.Registered) or (
        isinstance(fact, facts.AgeAssessed) and fact.outcome == "new_date_of_birth"
    )
    if new_dob and state.date_of_birth is not None and not state.is_adult:
        book.cancel(entry, [rule_id])  # superseded by the new date of birth
        rule = book.policy.rule(rule_id)
        if rule is not None:
            years = int(rule.values.get("years", 18))
            day = birthday(state.date_of_birth, years, book.policy.leap_day_birthday)
            book.open(rule_id, entry, local_midnight(day, book.policy.timezone), fires="Turned18")
    elif isinstance(fact, facts.Turned18):
        book.meet(rule_id, entry)
    if isinstance(fact, (facts.Turned18, facts.AgeAssessed)) and state.is_adult:
        child_only = {r.rule_id for r in book.policy.rules.values() if r.child_only}
        book.cancel(entry, child_only | {rule_id})


def closing(book: ClockBook, entry: Entry, state: CaseState) -> None:
    if isinstance(entry.fact, facts.CaseClosed):
        book.cancel(entry)  # all clocks stop when the case is closed


RULES = (arrival, missing_child, age, closing)


def responsibility_at_18(state: CaseState) -> str:
    """At 18 an asylum-seeking young person becomes the migration agency's (002 L167)."""
    return "migration_agency"
