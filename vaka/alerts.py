"""Which recorded event tells whom what. Messages name the case, never the child.

E-mail leaves Vaka's encrypted store, so a message carries the case reference, the rule
and the instants, and a link; names, places and dates of birth stay in the case file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain import facts
from domain.entries import Entry
from domain.state import CaseState
from domain.timing import STOCKHOLM
from vaka.users import User, UserDirectory


@dataclass(frozen=True)
class Recipient:
    key: str  # "user:<id>" or "contact:<seq>:<email>"
    label: str  # role, e.g. "caseworker", "god_man"
    user_id: str | None
    email: str | None


@dataclass(frozen=True)
class Alert:
    kind: str
    urgent: bool
    subject: str
    body: str
    recipients: list[Recipient]


def case_reference(child_id: str) -> str:
    return "VK-" + child_id.replace("-", "")[:8].upper()


def _local(instant: datetime) -> str:
    return instant.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M (Stockholm)")


def _users(users: list[User], label: str) -> list[Recipient]:
    return [Recipient(f"user:{u.user_id}", label, u.user_id, u.email) for u in users]


def _contacts(state: CaseState) -> list[Recipient]:
    return [Recipient(f"contact:{c.added_seq}:{c.email}", c.role, None, c.email)
            for c in state.recipients_contacts() if c.email]


def alert_for(entry: Entry, state: CaseState, directory: UserDirectory, link: str) -> Alert | None:
    ref = case_reference(state.child_id)
    fact = entry.fact
    caseworker = directory.get(state.caseworker_id) if state.caseworker_id else None
    supervisors = directory.supervisors_of(state.municipality)
    owner = [caseworker] if caseworker else supervisors
    footer = f"\n\nOpen the case in Vaka: {link}\n"
    if isinstance(fact, facts.ReportedMissing):
        return Alert(
            "missing", True, f"[Vaka] {ref}: child reported missing",
            f"The child of case {ref} was reported missing; last seen {_local(fact.last_seen_at)}."
            " Never assume the child left of free will. The police report is due within 24 hours"
            " of last seen, and should be made at once." + footer,
            _users(owner, "caseworker" if caseworker else "supervisor")
            + (_users(supervisors, "supervisor") if caseworker else []) + _contacts(state),
        )
    if isinstance(fact, (facts.Found, facts.ContactMade)):
        what = "found" if isinstance(fact, facts.Found) else "in touch again"
        return Alert(
            "found", True, f"[Vaka] {ref}: child {what}",
            f"The child of case {ref} is {what} ({_local(entry.occurred_at)}). A debrief talk"
            " and a new risk assessment are due." + footer,
            _users(owner, "caseworker") + (_users(supervisors, "supervisor") if caseworker else [])
            + _contacts(state),
        )
    if isinstance(fact, facts.DeadlineReminded):
        return Alert(
            "reminder", False, f"[Vaka] {ref}: {fact.rule_id} due {_local(fact.due)}",
            f"Reminder: {fact.rule_id} for case {ref} falls due {_local(fact.due)}." + footer,
            _users(owner, "caseworker"),
        )
    if isinstance(fact, facts.DeadlineMissed):
        return Alert(
            "missed", True, f"[Vaka] {ref}: {fact.rule_id} MISSED",
            f"{fact.rule_id} for case {ref} fell due {_local(fact.due)} and is not done."
            + footer,
            _users(supervisors, "supervisor") + (_users([caseworker], "caseworker")
                                                 if caseworker else []),
        )
    if isinstance(fact, facts.Turned18) or (
        isinstance(fact, facts.AgeAssessed) and fact.outcome == "adult"
    ):
        return Alert(
            "adulthood", False, f"[Vaka] {ref}: now treated as an adult",
            f"The person of case {ref} is now treated as an adult ({_local(entry.occurred_at)})."
            " Responsibility moves; child-only clocks have stopped; assess continued support."
            + footer,
            _users(owner, "caseworker") + (_users(supervisors, "supervisor") if caseworker else []),
        )
    return None
