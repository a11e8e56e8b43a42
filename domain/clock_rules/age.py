"""Age: the 18th birthday, preparing for it, and what an age assessment moves."""

from __future__ import annotations

from domain import facts
from domain.clock_rules.flags import raise_flag
from domain.clocks import ClockBook
from domain.entries import Entry
from domain.state import CaseState
from domain.timing import add_rule_duration, birthday, local_midnight

AGE_CLOCKS = ("age.eighteenth_birthday", "age.prepare_adulthood", "risk.flag.approaching_18")


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    new_dob = isinstance(fact, facts.Registered) or (
        isinstance(fact, facts.AgeAssessed) and fact.outcome == "new_date_of_birth"
    )
    if new_dob and state.date_of_birth is not None and not state.is_adult:
        book.cancel(entry, AGE_CLOCKS)  # every age clock moves with the date of birth
        _open_age_clocks(book, entry, state)
    elif isinstance(fact, facts.Turned18):
        book.meet("age.eighteenth_birthday", entry)
    elif (isinstance(fact, facts.SipMeetingHeld) and fact.topic == "adulthood") or (
            isinstance(fact, facts.TalkHeld) and fact.kind == "adulthood"):
        book.meet("age.prepare_adulthood", entry)
    if isinstance(fact, (facts.Turned18, facts.AgeAssessed)) and state.is_adult:
        child_only = {r.rule_id for r in book.policy.rules.values() if r.child_only}
        book.cancel(entry, child_only | set(AGE_CLOCKS))


def _open_age_clocks(book: ClockBook, entry: Entry, state: CaseState) -> None:
    assert state.date_of_birth is not None
    policy, tz = book.policy, book.policy.timezone
    years = policy.adult_age
    turns_18 = local_midnight(birthday(state.date_of_birth, years, policy.leap_day_birthday), tz)
    book.open("age.eighteenth_birthday", entry, turns_18, fires="Turned18")
    prepare = policy.rule("age.prepare_adulthood")
    if prepare is not None:
        due = add_rule_duration(turns_18, prepare.duration("before_birthday"), tz, sign=-1)
        if due < entry.occurred_at and "late_after" in prepare.values:
            # Never due before the event that started it: a child who arrives closer to
            # 18 than the lead prepares within `late_after`, and before the birthday.
            late = add_rule_duration(entry.occurred_at, prepare.duration("late_after"), tz)
            due = min(late, turns_18)
        book.open("age.prepare_adulthood", entry, due)
    flag = policy.rule("risk.flag.approaching_18")
    if flag is not None:
        due = add_rule_duration(turns_18, flag.duration("before_birthday"), tz, sign=-1)
        raise_flag(book, "risk.flag.approaching_18", entry, state, due)
