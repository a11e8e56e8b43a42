"""Guards: whether a fact fits the child's current state. Reasons are for caseworkers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain import facts
from domain.entries import Entry, corrected
from domain.errors import (
    InvalidField,
    InvalidFields,
    NotAChild,
    OccurredInFuture,
    TransitionRefused,
)
from domain.policy import Policy
from domain.state import CaseState
from domain.timing import birthday, local_date, local_midnight


def check_not_in_future(occurred_at: datetime, now: datetime, name: str = "occurred_at") -> None:
    if occurred_at > now:
        raise OccurredInFuture(f"{name} lies in the future; record what has happened")


def check_registration(fact: facts.Registered, now: datetime, policy: Policy) -> None:
    check_not_in_future(fact.arrived_at, now, "arrived_at")
    tz = policy.timezone
    if fact.date_of_birth > local_date(now, tz):
        raise InvalidFields([InvalidField("date_of_birth", "lies in the future")])
    if fact.date_of_birth > local_date(fact.arrived_at, tz):
        raise InvalidFields([InvalidField("arrived_at", "lies before the date of birth")])
    adult_on = local_midnight(birthday(fact.date_of_birth, 18, policy.leap_day_birthday), tz)
    if adult_on <= now:
        raise NotAChild("by the given date of birth this person is already 18")


def check_fits(state: CaseState, entries: list[Entry], event_type: str, fact: Any) -> None:
    """Raise TransitionRefused when the fact does not fit the state."""
    if state.closed and event_type not in facts.CORRECTIONS:
        raise TransitionRefused("the case is closed; only a correction can be recorded")
    guard = _GUARDS.get(event_type)
    if guard is not None:
        guard(state, entries, fact)


def _registered(state: CaseState, entries: list[Entry], fact: Any) -> None:
    raise TransitionRefused("the child is already registered")


def _needs_missing(what: str):  # type: ignore[no-untyped-def]
    def guard(state: CaseState, entries: list[Entry], fact: Any) -> None:
        if state.missing is None:
            raise TransitionRefused(f"{what} only while the child is missing; the child is not")

    return guard


def _reported_missing(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if state.missing is not None:
        raise TransitionRefused("the child is already reported missing")


def _police_report(state: CaseState, entries: list[Entry], fact: Any) -> None:
    _needs_missing("a police report is recorded")(state, entries, fact)
    assert state.missing is not None
    if state.missing.police_report_seq is not None:
        raise TransitionRefused("a police report is already recorded for this disappearance")


def _guardian_ended(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if state.guardian is None:
        raise TransitionRefused("the child has no god man to end")


def _age_assessed(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if state.is_adult:
        raise TransitionRefused("the person is already treated as an adult")
    if fact.outcome == "new_date_of_birth" and fact.date_of_birth is None:
        raise InvalidFields([InvalidField("date_of_birth", "is required for a new date of birth")])


def _correction(state: CaseState, entries: list[Entry], fact: Any) -> None:
    target = next((e for e in entries if e.seq == fact.entry), None)
    if target is None:
        raise InvalidFields([InvalidField("entry", "names no entry of this case")])
    if target.event_type in facts.CORRECTIONS or target.actor.role == "system":
        raise TransitionRefused("only an entry recorded by a person can be corrected")
    already = any(
        isinstance(e.fact, facts.Retracted) and e.fact.entry == target.seq for e in entries
    )
    if already:
        raise TransitionRefused("that entry is already retracted")
    if isinstance(fact, facts.Retracted) and target.event_type == "Registered":
        raise TransitionRefused("the registration cannot be retracted; correct its fields")
    if isinstance(fact, facts.Corrected):
        corrected(target.fact, fact.fields)


_GUARDS = {
    "Registered": _registered,
    "ReportedMissing": _reported_missing,
    "PoliceReportFiled": _police_report,
    "SearchActionTaken": _needs_missing("a search action is recorded"),
    "Found": _needs_missing("Found is recorded"),
    "ContactMade": _needs_missing("ContactMade is recorded"),
    "GuardianEnded": _guardian_ended,
    "AgeAssessed": _age_assessed,
    "Retracted": _correction,
    "Corrected": _correction,
}
