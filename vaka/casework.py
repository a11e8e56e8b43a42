"""The use cases: what a person can do with Vaka, the same for the API and the web pages.

Each method checks who may do it (vaka.access), calls the case file or the read side, and
returns domain objects; the caller shapes the answer. Refusals are domain errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.case_file import CaseFile, Recorded
from domain.child_case import ChildCase
from domain.clocks import Clock
from domain.entries import Actor, Entry
from domain.errors import InvalidField, InvalidFields, TransitionRefused
from domain.police_pack import PolicePack, police_pack
from domain.policy import Policy
from domain.state import CaseState, rejection_kind
from domain.text import LINE, BadText, clean_text
from vaka.access import (
    NotAllowed,
    check_may_reassign,
    check_may_record,
    check_may_register,
    check_may_see,
)
from vaka.readside import inbox, worklists
from vaka.readside.db import Database
from vaka.users import User, UserDirectory


class NoSuchItem(NotAllowed):
    title = "Not found"


@dataclass(frozen=True)
class ChildFile:
    """A child's case as a person reads it: state, clocks and the people by name."""

    case: ChildCase
    clocks: list[Clock]
    caseworker: User | None
    rejection_kind: str | None

    @property
    def state(self) -> CaseState:
        return self.case.state

    @property
    def child_id(self) -> str:
        return str(self.case.id)


@dataclass(frozen=True)
class Reassigned:
    user_id: str
    reassigned_to: str
    children: int


def _actor(user: User) -> Actor:
    return Actor(user.user_id, user.role)


class Casework:
    def __init__(self, case_file: CaseFile, users: UserDirectory, db: Database,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.case_file = case_file
        self.users = users
        self.db = db
        self.clock = clock

    @property
    def policy(self) -> Policy:
        return self.case_file.policy

    # ---- reading a child ----

    def open_case(self, user: User, child_id: UUID) -> ChildCase:
        case = self.case_file.get_case(child_id)
        check_may_see(user, case.state.municipality)
        return case

    def child(self, user: User, child_id: UUID) -> ChildFile:
        case = self.open_case(user, child_id)
        state = case.state
        caseworker = self.users.get(state.caseworker_id) if state.caseworker_id else None
        return ChildFile(case, self.case_file.clocks(case), caseworker,
                         rejection_kind(state, self.policy.rejection_kind_months))

    def history(self, user: User, child_id: UUID) -> list[Entry]:
        return self.open_case(user, child_id).entries

    def police_pack(self, user: User, child_id: UUID) -> PolicePack:
        return police_pack(self.open_case(user, child_id))

    # ---- recording ----

    def register(self, user: User, fields: dict[str, Any], reason: str | None = None,
                 idempotency_key: str | None = None, caseworker_id: str | None = None
                 ) -> Recorded:
        """Register an arriving child. The registering caseworker becomes its caseworker,
        unless another caseworker of the municipality is chosen."""
        chosen = caseworker_id or (user.user_id if user.role == "caseworker" else None)
        if chosen is not None:
            try:
                clean_text(chosen, LINE)
            except (BadText, TypeError, AttributeError):
                raise InvalidFields([InvalidField(
                    "caseworker_id", "names no active caseworker of your municipality")]) from None
            self._check_caseworker(chosen, user)
        registered = self.case_file.register(
            fields, _actor(user), self.clock(), reason=reason, idempotency_key=idempotency_key,
            authorize=lambda fact: check_may_register(user, fact.municipality))
        if chosen is not None and registered.entry.seq == 1:
            # Its own key: a retried registration assigns once, and a replayed one too.
            key = f"{idempotency_key or registered.child_id}:caseworker"
            assigned = self.case_file.record(
                registered.child_id, "CaseworkerAssigned", {"caseworker_id": chosen},
                _actor(user), self.clock(), idempotency_key=key)
            if not registered.replayed:
                return Recorded(registered.child_id, registered.entry, assigned.version,
                                replayed=False)
        return registered

    def record(self, user: User, child_id: UUID, event_type: str, fields: dict[str, Any], *,
               occurred_at: datetime | None = None, reason: str | None = None,
               expected_version: int | None = None,
               idempotency_key: str | None = None) -> Recorded:
        check_may_record(user, event_type)
        assigned = self._assigned_caseworker(child_id, event_type, fields)
        if assigned is not None:
            self._check_caseworker(assigned, user)
        return self.case_file.record(
            child_id, event_type, fields, _actor(user), self.clock(), occurred_at=occurred_at,
            reason=reason, expected_version=expected_version, idempotency_key=idempotency_key,
            authorize=lambda state: check_may_see(user, state.municipality))

    def _assigned_caseworker(self, child_id: UUID, event_type: str, fields: dict[str, Any]
                             ) -> object | None:
        """The caseworker an event would give the child: assigned, or corrected in."""
        if event_type == "CaseworkerAssigned":
            return fields.get("caseworker_id")
        if event_type == "Corrected" and isinstance(fields.get("fields"), dict) and \
                "caseworker_id" in fields["fields"]:
            return fields["fields"]["caseworker_id"]
        return None

    def _check_caseworker(self, user_id: object, assigner: User) -> None:
        try:
            clean_text(user_id, LINE)  # type: ignore[arg-type]
        except (BadText, TypeError, AttributeError):
            return  # the case file reports the missing or malformed field
        assert isinstance(user_id, str)
        caseworker = self.users.get(user_id)
        if caseworker is None or caseworker.role != "caseworker" or not caseworker.active or (
                assigner.role != "admin" and caseworker.municipality != assigner.municipality):
            raise InvalidFields([InvalidField(
                "caseworker_id", "names no active caseworker of your municipality")])

    # ---- supervising ----

    def deactivate(self, user: User, leaving_id: str, successor_id: str) -> Reassigned:
        """A caseworker leaves: their children, open clocks and inbox items move on."""
        check_may_reassign(user)
        leaving = self.users.get(leaving_id)
        successor = self.users.get(successor_id)
        if leaving is None or (user.role == "supervisor"
                               and leaving.municipality != user.municipality):
            raise NoSuchItem("no such user in your municipality")
        if successor is None or successor.role != "caseworker" or not successor.active or \
                successor.municipality != leaving.municipality or successor_id == leaving_id:
            raise InvalidFields([InvalidField(
                "reassign_to", "must be another active caseworker of the same municipality")])
        moved = 0
        for child_id in worklists.children_of(self.db, leaving_id):
            # The case decides: a child reassigned meanwhile, or whose journey has ended, is
            # left as it is.
            case = self.case_file.get_case(UUID(child_id))
            if case.state.caseworker_id != leaving_id or case.state.ended:
                continue
            self.case_file.record(case.id, "CaseworkerAssigned",
                                  {"caseworker_id": successor.user_id}, _actor(user),
                                  self.clock(), reason="the previous caseworker was deactivated",
                                  idempotency_key=f"reassign:{leaving_id}:{case.id}")
            moved += 1
        self.users.deactivate(leaving_id)
        return Reassigned(leaving_id, successor.user_id, moved)

    # ---- the inbox ----

    def notification(self, user: User, notification_id: str) -> inbox.Notification:
        found = inbox.mine(self.db, user.user_id, notification_id)
        if found is None:
            raise NoSuchItem("no such notification in your inbox")
        return found

    def mark_read(self, user: User, notification_id: str) -> inbox.Notification:
        self.notification(user, notification_id)
        inbox.mark_read(self.db, user.user_id, notification_id)
        return self.notification(user, notification_id)

    def acknowledge(self, user: User, notification_id: str) -> inbox.Notification:
        """Take on a missed clock: its escalation stops repeating."""
        note = self.notification(user, notification_id)
        if not note.acknowledgeable or note.clock_id is None:
            raise TransitionRefused("only a missed clock or an escalation can be acknowledged")
        self.case_file.record(
            UUID(note.child_id), "EscalationAcknowledged", {"clock_id": note.clock_id},
            _actor(user), self.clock(), idempotency_key=f"acknowledge:{note.clock_id}")
        inbox.mark_acknowledged(self.db, notification_id)
        return self.notification(user, notification_id)

