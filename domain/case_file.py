"""The case-file application: commands that validate against the aggregate and append.

Synchronous (eventsourcing 9.5 is): call it from a thread pool in async code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain import facts
from domain.child_case import ChildCase
from domain.clocks import Clock
from domain.entries import Actor, Entry
from domain.errors import (
    ChildNotFound,
    IdempotencyKeyReused,
    InvalidField,
    InvalidFields,
    VersionConflict,
)
from domain.fields import to_json
from domain.judgement_memo import JudgementMemo
from domain.judging import Judgement, judge
from domain.policy import Policy
from domain.recording import Vet, admit
from domain.state import CaseState
from domain.text import FREE_TEXT, LINE, BadText, TextKind, clean_text

_IDEMPOTENCY_NS = uuid5(NAMESPACE_URL, "urn:vaka:idempotency")
_RETRIES = 5

Authorize = Callable[[CaseState], None]


@dataclass(frozen=True)
class Recorded:
    child_id: UUID
    entry: Entry
    version: int
    replayed: bool  # True when an idempotent retry returned the first result


class CaseFile(Application[UUID]):
    name = "vaka"
    # Each process keeps recently used cases and reads only their newer events (every read
    # still asks the store, so the case is current across processes). A copy is handed out
    # (ChildCase.__deepcopy__, cheap), so a refused write never leaves a changed case in
    # the cache. Without it a journey read its whole history a few times per timer fired.
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "2000",
                                     "AGGREGATE_CACHE_FASTFORWARD": "y"}

    def __init__(self, env: dict[str, str] | None = None, *, policy: Policy) -> None:
        super().__init__(env)
        self.policy = policy
        self._judged = JudgementMemo()

    # ---- reading ----

    def get_case(self, child_id: UUID, version: int | None = None) -> ChildCase:
        """The case as it stands, or as it stood at `version`."""
        try:
            case: Any = self.repository.get(child_id, version=version)
        except AggregateNotFoundError:
            raise ChildNotFound("no child with that id") from None
        assert isinstance(case, ChildCase)
        return case

    def clocks(self, case: ChildCase) -> list[Clock]:
        return self.judgement(case).clocks

    def judgement(self, case: ChildCase) -> Judgement:
        """Clocks, the state as judged under the policy, and Vaka's conclusions that no
        longer stand (to be withdrawn: domain.judging)."""
        return self._judged.judgement(
            case, lambda: judge(str(case.id), case.effective_entries, self.policy))

    # ---- caseworker commands ----

    def register(self, fields: dict[str, Any], actor: Actor, now: datetime,
                 reason: str | None = None, idempotency_key: str | None = None,
                 occurred_at: datetime | None = None, vet: Vet | None = None) -> Recorded:
        fact = facts.parse_fact("Registered", fields)
        assert isinstance(fact, facts.Registered)
        reason, idempotency_key = _envelope(reason, idempotency_key)
        occurred = occurred_at or fact.arrived_at
        command_id = _command_id(actor, idempotency_key)
        child_id = uuid5(_IDEMPOTENCY_NS, command_id) if command_id else uuid4()
        admit(str(child_id), CaseState(child_id=str(child_id)), [], "Registered", fact,
              occurred, now, self.policy, vet)
        fingerprint = _fingerprint("Registered", to_json(fact), occurred_at, reason)
        if command_id:
            existing = self._existing(child_id, command_id, fingerprint)
            if existing is not None:
                return existing
        case = ChildCase.open(child_id, to_json(fact), occurred, actor, reason,
                              _tag(command_id, fingerprint))
        try:
            self.save(case)
        except IntegrityError:
            existing = self._existing(child_id, command_id, fingerprint) if command_id else None
            if existing is None:
                raise
            return existing
        return Recorded(child_id, case.entries[0], case.version, replayed=False)

    def record(self, child_id: UUID, event_type: str, fields: dict[str, Any], actor: Actor,
               now: datetime, occurred_at: datetime | None = None, reason: str | None = None,
               expected_version: int | None = None, idempotency_key: str | None = None,
               authorize: Authorize | None = None, vet: Vet | None = None) -> Recorded:
        """Record a person's entry. `authorize` is asked whether the person may touch the
        case as it is; `vet` checks the fact (and, for a correction, the entry as it would
        read) as domain.recording says."""
        if event_type == "Registered":
            raise InvalidFields([InvalidField("type", "register a child with POST /children")])
        fact = facts.parse_fact(event_type, fields)
        reason, idempotency_key = _envelope(reason, idempotency_key)
        occurred = occurred_at or now
        if event_type in facts.CORRECTIONS and not (reason and reason.strip()):
            raise InvalidFields([InvalidField("reason", "is required for a correction")])
        command_id = _command_id(actor, idempotency_key)
        fingerprint = _fingerprint(event_type, to_json(fact), occurred_at, reason)
        for _attempt in range(_RETRIES):
            case = self.get_case(child_id)
            if authorize is not None:
                authorize(case.state)
            if command_id:
                replay = self._replay(case, command_id, fingerprint)
                if replay is not None:
                    return replay
            if expected_version is not None and expected_version != case.version:
                raise VersionConflict(
                    f"expected version {expected_version}, the case is at {case.version}"
                )
            stored = admit(str(child_id), case.state, case.entries, event_type, fact, occurred,
                           now, self.policy, vet)
            entry = case.record(event_type, to_json(stored), occurred, actor, reason,
                                _tag(command_id, fingerprint))
            try:
                self.save(case)
            except IntegrityError:
                if expected_version is not None:
                    raise VersionConflict("the case changed while recording; reload") from None
                continue  # someone else wrote first: re-check against the new state
            return Recorded(child_id, entry, case.version, replayed=False)
        raise VersionConflict("the case is busy; try again")

    # ---- Vaka's own events ----

    def record_system(self, child_id: UUID, event_type: str, fields: dict[str, Any],
                      occurred_at: datetime, command_id: str,
                      still_applies: Callable[[ChildCase], bool] | None = None,
                      reason: str | None = None) -> Entry | None:
        """Idempotent by command_id: recording the same system event twice is a no-op.
        `still_applies` is asked on the case as it is at each attempt, so an event that a
        concurrent write made moot (a report filed meanwhile) is not recorded."""
        fact = facts.parse_fact(event_type, fields, system=True)
        for _attempt in range(_RETRIES):
            case = self.get_case(child_id)
            if case.entry_for_command(command_id) is not None:
                return None
            if still_applies is not None and not still_applies(case):
                return None
            entry = case.record(event_type, to_json(fact), occurred_at, Actor.system(), reason,
                                command_id)
            try:
                self.save(case)
            except IntegrityError:
                continue
            return entry
        raise VersionConflict("the case is busy; the system event will be retried")

    # ---- idempotency ----

    def _existing(self, child_id: UUID, command_id: str, fingerprint: str) -> Recorded | None:
        try:
            case = self.get_case(child_id)
        except ChildNotFound:
            return None
        return self._replay(case, command_id, fingerprint)

    @staticmethod
    def _replay(case: ChildCase, command_id: str, fingerprint: str) -> Recorded | None:
        for entry in case.entries:
            if entry.command_id and entry.command_id.startswith(command_id + "#"):
                if entry.command_id != _tag(command_id, fingerprint):
                    raise IdempotencyKeyReused(
                        "this Idempotency-Key was used for a different request"
                    )
                return Recorded(case.id, entry, case.version, replayed=True)
        return None


def _envelope(reason: object, idempotency_key: object) -> tuple[str | None, str | None]:
    """The reason and idempotency key, held to the same rules as every text."""
    problems: list[InvalidField] = []

    def clean(name: str, value: object, kind: TextKind) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            if not isinstance(value, str):
                raise BadText("must be a string")
            return clean_text(value, kind)
        except BadText as problem:
            problems.append(InvalidField(name, str(problem)))
            return None

    cleaned = clean("reason", reason, FREE_TEXT), clean("Idempotency-Key", idempotency_key, LINE)
    if problems:
        raise InvalidFields(problems)
    return cleaned


def _command_id(actor: Actor, key: str | None) -> str | None:
    return f"{actor.user_id}:{key}" if key else None


def _fingerprint(event_type: str, fields: dict[str, Any], occurred_at: datetime | None,
                 reason: str | None) -> str:
    body = json.dumps([event_type, fields, occurred_at.isoformat() if occurred_at else None,
                       reason], sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def _tag(command_id: str | None, fingerprint: str) -> str | None:
    return f"{command_id}#{fingerprint}" if command_id else None
