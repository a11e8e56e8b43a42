"""Request and response shapes of the API, for validation and the OpenAPI docs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from domain.clocks import Clock
from domain.entries import Entry
from domain.state import CaseState, Contact
from vaka.alerts import case_reference


class RegisterChild(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {
        "arrived_at": "2026-11-20T09:30:00+01:00", "date_of_birth": "2011-04-02",
        "date_of_birth_basis": "stated", "municipality": "Malmö", "given_name": "A.",
        "languages": ["dari"], "interpreter_needed": True}})

    arrived_at: Any
    date_of_birth: Any
    date_of_birth_basis: Any
    municipality: Any
    given_name: Any = None
    family_name: Any = None
    mv_reference: Any = None
    languages: Any = None
    interpreter_needed: Any = None
    reason: str | None = None


class ActorView(BaseModel):
    user_id: str
    role: str


class EntryView(BaseModel):
    seq: int
    type: str
    fields: dict[str, Any]
    occurred_at: datetime
    recorded_at: datetime
    actor: ActorView
    reason: str | None = None

    @classmethod
    def of(cls, entry: Entry) -> EntryView:
        return cls(seq=entry.seq, type=entry.event_type, fields=entry.fields,
                   occurred_at=entry.occurred_at, recorded_at=entry.recorded_at,
                   actor=ActorView(user_id=entry.actor.user_id, role=entry.actor.role),
                   reason=entry.reason)


class RecordedView(BaseModel):
    child_id: str
    version: int
    entry: EntryView


class ClockView(BaseModel):
    clock_id: str
    rule_id: str
    due: datetime
    status: str = Field(description="open, met, cancelled or missed")
    owner: str
    policy_version: str
    reminders: list[datetime]
    resolved_at: datetime | None = None
    on_time: bool | None = None

    @classmethod
    def of(cls, clock: Clock) -> ClockView:
        return cls(clock_id=clock.clock_id, rule_id=clock.rule_id, due=clock.due,
                   status=clock.status, owner=clock.owner, policy_version=clock.policy_version,
                   reminders=list(clock.reminders), resolved_at=clock.resolved_at,
                   on_time=clock.on_time)


class ContactView(BaseModel):
    role: str
    name: str
    email: str | None = None
    phone: str | None = None

    @classmethod
    def of(cls, contact: Contact) -> ContactView:
        return cls(role=contact.role, name=contact.name, email=contact.email, phone=contact.phone)


class MissingView(BaseModel):
    since: datetime = Field(description="last seen")
    reported_at: datetime
    police_report_filed: bool


class CaseworkerView(BaseModel):
    user_id: str
    name: str | None = None


class ChildView(BaseModel):
    child_id: str
    reference: str
    version: int
    municipality: str
    stage: str
    responsibility: str
    date_of_birth: date | None
    date_of_birth_basis: str
    missing: MissingView | None
    caseworker: CaseworkerView | None
    guardian: ContactView | None
    contacts: list[ContactView]
    placement: dict[str, str] | None
    registration: dict[str, Any]
    clocks: list[ClockView]

    @classmethod
    def of(cls, child_id: str, version: int, state: CaseState, registration: dict[str, Any],
           clocks: list[Clock], caseworker_name: str | None) -> ChildView:
        return cls(
            child_id=child_id, reference=case_reference(child_id), version=version,
            municipality=state.municipality, stage=state.stage,
            responsibility=state.responsibility, date_of_birth=state.date_of_birth,
            date_of_birth_basis=state.date_of_birth_basis,
            missing=MissingView(since=state.missing.last_seen_at,
                                reported_at=state.missing.reported_at,
                                police_report_filed=state.missing.police_report_seq is not None)
            if state.missing else None,
            caseworker=CaseworkerView(user_id=state.caseworker_id, name=caseworker_name)
            if state.caseworker_id else None,
            guardian=ContactView.of(state.guardian) if state.guardian else None,
            contacts=[ContactView.of(c) for c in state.contacts],
            placement={"type": state.placement_type, "legal_basis": state.legal_basis or ""}
            if state.placement_type else None,
            registration=registration,
            clocks=[ClockView.of(c) for c in clocks],
        )


class WorklistClock(BaseModel):
    child_id: str
    reference: str
    clock_id: str
    rule_id: str
    due: datetime
    status: str
    owner: str
    municipality: str
    caseworker_id: str | None
    policy_version: str


class Page(BaseModel):
    items: list[Any]
    limit: int
    offset: int
    next_offset: int | None


class NotificationView(BaseModel):
    notification_id: str
    child_id: str
    reference: str
    kind: str
    urgent: bool
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None
    email_status: str
