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

from domain import facts
from domain.case_file import CaseFile, Recorded
from domain.child_case import ChildCase
from domain.clocks import Clock
from domain.entries import Actor, Entry
from domain.errors import InvalidField, InvalidFields, TransitionRefused
from domain.police_pack import PolicePack, police_pack
from domain.policy import Policy
from domain.recording import Vet
from domain.state import CaseState, rejection_kind
from domain.text import LINE, BadText, clean_text
from vaka.access import (
    NoSuchItem,
    check_may_manage,
    check_may_record,
    check_may_register,
    check_may_see,
    list_scope,
)
from vaka.readside import inbox, worklists
from vaka.readside.access_log import AccessLog
from vaka.readside.children import Card, ChildDirectory, ChildRow
from vaka.readside.db import Database
from vaka.readside.paging import Slice, Window
from vaka.users import LastOfRole, User, UserDirectory, UserError


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
    reassigned_to: str | None  # who got a caseworker's children
    children: int


def _actor(user: User) -> Actor:
    return Actor(user.user_id, user.role)


class Casework:
    def __init__(self, case_file: CaseFile, users: UserDirectory, db: Database,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 children: ChildDirectory | None = None) -> None:
        self.case_file = case_file
        self.users = users
        self.db = db
        self.clock = clock
        self.children = children
        self.access_log = AccessLog(db, clock)

    @property
    def policy(self) -> Policy:
        return self.case_file.policy

    # ---- reading a child ----

    def open_case(self, user: User, child_id: UUID) -> ChildCase:
        """The case, to check or record on; what is shown of it goes through read_case."""
        case = self.case_file.get_case(child_id)
        check_may_see(user, case.state.municipality)
        return case

    def read_case(self, user: User, child_id: UUID, kind: str = "child") -> ChildCase:
        """The case, to be shown: the read is in the access log before it is served."""
        case = self.open_case(user, child_id)
        self.access_log.record(user, kind, [str(case.id)])
        return case

    def child(self, user: User, child_id: UUID) -> ChildFile:
        case = self.read_case(user, child_id, "child")
        state = case.state
        caseworker = self.users.get(state.caseworker_id) if state.caseworker_id else None
        return ChildFile(case, self.case_file.clocks(case), caseworker,
                         rejection_kind(state, self.policy.rejection_kind_months))

    def history(self, user: User, child_id: UUID) -> list[Entry]:
        return self.read_case(user, child_id, "history").entries

    def police_pack(self, user: User, child_id: UUID) -> PolicePack:
        return police_pack(self.read_case(user, child_id, "police_pack"))

    # ---- lists that name children ----

    def find_children(self, user: User, query: str | None, window: Window,
                      municipality: str | None = None, mine: bool = False) -> Slice[ChildRow]:
        """A search (query) or the list of open cases, scoped to what the user may see;
        the children shown are logged as a search or a list."""
        assert self.children is not None, "wired by vaka.bootstrap"
        scope = list_scope(user, municipality, user.user_id if mine else None)
        searched = bool(query and query.strip())
        found = self.children.search(scope, query or "", window) if searched else \
            self.children.mine(scope, window)
        self.access_log.record(user, "search" if searched else "list",
                               [row.child_id for row in found.items])
        return found

    def cards(self, user: User, child_ids: list[str]) -> dict[str, Card]:
        """The names of children a worklist shows (ids the user's scope already gave)."""
        assert self.children is not None, "wired by vaka.bootstrap"
        found = self.children.cards(child_ids)
        self.access_log.record(user, "list", [c for c, card in found.items() if card.name])
        return found

    # ---- recording ----

    def register(self, user: User, fields: dict[str, Any], reason: str | None = None,
                 idempotency_key: str | None = None, caseworker_id: str | None = None
                 ) -> Recorded:
        """Register an arriving child. The registering caseworker becomes its caseworker,
        unless another caseworker of the municipality is chosen."""
        check_may_record(user, "Registered")
        chosen = caseworker_id or (user.user_id if user.role == "caseworker" else None)
        if chosen is not None:  # before anything is recorded: a registration stays whole
            self._check_caseworker(chosen, user.municipality)
        registered = self.case_file.register(
            fields, _actor(user), self.clock(), reason=reason, idempotency_key=idempotency_key,
            vet=self._vet(user))
        if chosen is not None and registered.entry.seq == 1:
            # Its own key: a retried registration assigns once, and a replayed one too.
            key = f"{idempotency_key or registered.child_id}:caseworker"
            assigned = self.case_file.record(
                registered.child_id, "CaseworkerAssigned", {"caseworker_id": chosen},
                _actor(user), self.clock(), idempotency_key=key, vet=self._vet(user))
            if not registered.replayed:
                return Recorded(registered.child_id, registered.entry, assigned.version,
                                replayed=False)
        return registered

    def record(self, user: User, child_id: UUID, event_type: str, fields: dict[str, Any], *,
               occurred_at: datetime | None = None, reason: str | None = None,
               expected_version: int | None = None,
               idempotency_key: str | None = None) -> Recorded:
        check_may_record(user, event_type)
        return self.case_file.record(
            child_id, event_type, fields, _actor(user), self.clock(), occurred_at=occurred_at,
            reason=reason, expected_version=expected_version, idempotency_key=idempotency_key,
            authorize=lambda state: check_may_see(user, state.municipality),
            vet=self._vet(user))

    def _vet(self, user: User) -> Vet:
        """The checks that need Vaka's people, for an entry and for the entry a correction
        makes read (domain.recording): a registration in a municipality the user may
        register in, and a caseworker who is an active caseworker of the child's
        municipality as it was at the entry."""
        def vet(event_type: str, fact: Any, state: CaseState) -> None:
            if isinstance(fact, facts.Registered):
                check_may_register(user, fact.municipality)
            elif isinstance(fact, facts.CaseworkerAssigned):
                self._check_caseworker(fact.caseworker_id, state.municipality)

        return vet

    def _check_caseworker(self, user_id: object, municipality: str | None) -> None:
        try:
            clean_text(user_id, LINE)  # type: ignore[arg-type]
        except (BadText, TypeError, AttributeError):
            raise InvalidFields([InvalidField(
                "caseworker_id", "names no active caseworker of the child's municipality")]
            ) from None
        assert isinstance(user_id, str)
        caseworker = self.users.get(user_id)
        if caseworker is None or caseworker.role != "caseworker" or not caseworker.active or \
                caseworker.municipality != municipality:
            raise InvalidFields([InvalidField(
                "caseworker_id", "names no active caseworker of the child's municipality")])

    # ---- managing staff ----

    def deactivate(self, user: User, leaving_id: str, reassign_to: str | None = None,
                   successor: str | None = None) -> Reassigned:
        """Someone leaves. A caseworker's children, open clocks and inbox items move to
        another caseworker; the last head of unit of a municipality leaves only when a
        supervisor takes over as head of unit; the last admin stays."""
        leaving = check_may_manage(user, self.users.get(leaving_id))
        if not leaving.active:
            raise TransitionRefused("that user is already deactivated")
        moving_to = self._check_successors(leaving, reassign_to, successor)
        moved = self._reassign(user, leaving, moving_to) if moving_to is not None else 0
        try:
            self.users.deactivate(leaving_id, promote=successor or None)
        except LastOfRole:
            if leaving.role == "admin":
                raise TransitionRefused("the last active admin cannot be deactivated") from None
            raise TransitionRefused("the last active head of unit of the municipality cannot "
                                    "be deactivated without a successor: name a supervisor "
                                    "who becomes head of unit (successor)") from None
        except UserError:
            raise InvalidFields([InvalidField(
                "successor", "must be another active supervisor or head of unit of the "
                             "same municipality")]) from None
        return Reassigned(leaving_id, moving_to.user_id if moving_to else None, moved)

    def _check_successors(self, leaving: User, reassign_to: str | None,
                          successor: str | None) -> User | None:
        """Who takes over: the caseworker who gets a caseworker's children."""
        if successor and leaving.role != "head_of_unit":
            raise InvalidFields([InvalidField(
                "successor", "only a head of unit leaves a successor; give reassign_to for "
                             "a caseworker")])
        if leaving.role != "caseworker":
            if reassign_to:
                raise InvalidFields([InvalidField(
                    "reassign_to", "only a caseworker has children to reassign")])
            return None
        taking = self.users.get(reassign_to) if reassign_to else None
        if taking is None or taking.role != "caseworker" or not taking.active or \
                taking.municipality != leaving.municipality or taking.user_id == leaving.user_id:
            raise InvalidFields([InvalidField(
                "reassign_to", "must be another active caseworker of the same municipality")])
        return taking

    def _reassign(self, user: User, leaving: User, successor: User) -> int:
        moved = 0
        for child_id in worklists.children_of(self.db, leaving.user_id):
            # The case decides: a child reassigned meanwhile, or whose journey has ended, is
            # left as it is.
            case = self.case_file.get_case(UUID(child_id))
            if case.state.caseworker_id != leaving.user_id or case.state.ended:
                continue
            self.case_file.record(case.id, "CaseworkerAssigned",
                                  {"caseworker_id": successor.user_id}, _actor(user),
                                  self.clock(), reason="the previous caseworker was deactivated",
                                  idempotency_key=f"reassign:{leaving.user_id}:{case.id}")
            moved += 1
        return moved

    def reactivate(self, user: User, user_id: str) -> User:
        """A deactivated user comes back: they sign in again (with a new token)."""
        returning = check_may_manage(user, self.users.get(user_id))
        if returning.active:
            raise TransitionRefused("that user is already active")
        return self.users.reactivate(returning.user_id)

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

