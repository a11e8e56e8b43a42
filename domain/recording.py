"""One path for every rule an entry meets before it is recorded: the domain's (fields,
time, state) and the caller's (who the people named are), for a new entry and for the
entry a correction makes read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from domain import facts
from domain.corrections import amend
from domain.entries import Entry
from domain.policy import Policy
from domain.state import CaseState
from domain.transitions import check_entry

# The caller's own checks of a fact against the state it is recorded on (the case's
# caseworker is an active caseworker of its municipality): raise a DomainError to refuse.
Vet = Callable[[str, Any, CaseState], None]


def admit(child_id: str, state: CaseState, entries: list[Entry], event_type: str, fact: Any,
          occurred_at: datetime, now: datetime, policy: Policy, vet: Vet | None = None) -> Any:
    """Refuses an entry that breaks a rule; returns the fact as it will be stored. A
    correction passes the rules of the entry it corrects, as it would then read, checked
    against the case as it stood before that entry."""
    if vet is not None:
        vet(event_type, fact, state)
    check_entry(state, entries, event_type, fact, occurred_at, now, policy)
    if not isinstance(fact, facts.Corrected):
        return fact
    amended = amend(child_id, entries, fact)
    target = amended.entry
    if vet is not None:
        vet(target.event_type, target.fact, amended.state)
    as_of = target.fact.arrived_at if isinstance(target.fact, facts.Registered) else None
    check_entry(amended.state, amended.before, target.event_type, target.fact,
                target.occurred_at, now, policy, as_of=as_of)
    return amended.correction
