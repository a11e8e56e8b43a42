"""Request and response shapes of the API, for validation and the OpenAPI docs."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from domain.clocks import Clock
from domain.entries import Entry
from domain.municipalities import code_of
from domain.police_pack import PolicePack
from domain.references import case_reference
from domain.return_checklist import ITEMS
from domain.risk import RiskSummary, risk_summary
from domain.state import Contact
from domain.text import LINE, BadText, clean_text
from vaka.casework import ChildFile
from vaka.readside.children import ChildRow


def _line(value: str) -> str:
    try:
        return clean_text(value, LINE)
    except BadText as problem:
        raise ValueError(str(problem)) from None


Line = Annotated[str, AfterValidator(_line)]  # single-line text, held to domain.text's rule

# Instants in answers carry the offset of the policy's zone (2029-04-02T00:00:00+02:00),
# so what a client shows is the municipality's own clock time. Set per request.
answer_zone: ContextVar[ZoneInfo | None] = ContextVar("answer_zone", default=None)


def _in_zone(value: datetime) -> str:
    return value.astimezone(answer_zone.get() or UTC).isoformat()


LocalTime = Annotated[datetime, PlainSerializer(_in_zone, return_type=str, when_used="json")]
T = TypeVar("T")


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
    caseworker_id: str | None = Field(
        None, description="the child's caseworker; by default the caseworker registering it")


class ActorView(BaseModel):
    user_id: str
    role: str


class EntryView(BaseModel):
    seq: int
    type: str
    fields: dict[str, Any]
    occurred_at: LocalTime
    recorded_at: LocalTime
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
    due: LocalTime
    status: str = Field(description="open, met, cancelled or missed")
    owner: str
    policy_version: str
    reminders: list[LocalTime]
    resolved_at: LocalTime | None = None
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
    since: LocalTime = Field(description="last seen")
    reported_at: LocalTime
    police_report_filed: bool


class DecisionView(BaseModel):
    outcome: str
    decided_at: LocalTime
    notified_at: LocalTime
    rejection_kind: str | None = Field(None, description="derived: the three-month rule")
    permit_type: str | None = None
    permit_expires_on: date | None = None


class RiskFactorView(BaseModel):
    factor_id: str
    area: str
    sv: str
    en: str
    derived: bool = False


class RiskAreaView(BaseModel):
    area: str
    follow_up: str
    en: str
    next_follow_up: LocalTime | None
    status: str | None


class RiskView(BaseModel):
    factors: list[RiskFactorView]
    areas: list[RiskAreaView]

    @classmethod
    def of(cls, summary: RiskSummary) -> RiskView:
        factors = [RiskFactorView(factor_id=f.factor_id, area=f.area, sv=f.sv, en=f.en)
                   for f in summary.ticked]
        factors += [RiskFactorView(factor_id=f.factor_id, area=f.area, sv=f.sv, en=f.en,
                                   derived=True) for f in summary.derived]
        return cls(factors=factors, areas=[
            RiskAreaView(area=a.area.area, follow_up=a.area.follow_up, en=a.area.en,
                         next_follow_up=a.next_follow_up, status=a.status)
            for a in summary.areas])


class ChecklistItemView(BaseModel):
    item: str
    what: str
    owner: str
    done_at: LocalTime | None


class CaseworkerView(BaseModel):
    user_id: str
    name: str | None = None


class ChildView(BaseModel):
    child_id: str
    reference: str
    version: int
    municipality: str = Field(description="the official name (SCB); an entry stored before "
                                          "the register may hold other text")
    municipality_code: str | None = Field(
        None, description="the official four-digit municipality code (SCB), when it names one")
    stage: str
    asylum_stage: str
    adult: bool
    responsibility: str
    date_of_birth: date | None
    date_of_birth_basis: str
    missing: MissingView | None
    caseworker: CaseworkerView | None
    guardian: ContactView | None
    contacts: list[ContactView]
    special_custodian: ContactView | None
    public_counsel: ContactView | None
    placement: dict[str, str] | None
    decision: DecisionView | None
    rejection_final_at: LocalTime | None
    expulsion_lapsed: bool
    compliance_alerts: list[str]
    risk: RiskView
    checklist: list[ChecklistItemView]
    registration: dict[str, Any]
    clocks: list[ClockView]

    @classmethod
    def of(cls, file: ChildFile) -> ChildView:
        state, decision, child_id = file.state, file.state.decision, file.child_id
        return cls(
            child_id=child_id, reference=case_reference(child_id), version=file.case.version,
            municipality=state.municipality, municipality_code=code_of(state.municipality),
            stage=state.stage,
            asylum_stage=state.asylum_stage, adult=state.adult,
            responsibility=state.responsibility, date_of_birth=state.date_of_birth,
            date_of_birth_basis=state.date_of_birth_basis,
            missing=MissingView(since=state.missing.last_seen_at,
                                reported_at=state.missing.reported_at,
                                police_report_filed=state.missing.police_report_seq is not None)
            if state.missing else None,
            caseworker=CaseworkerView(user_id=state.caseworker_id,
                                      name=file.caseworker.name if file.caseworker else None)
            if state.caseworker_id else None,
            guardian=ContactView.of(state.guardian) if state.guardian else None,
            contacts=[ContactView.of(c) for c in state.contacts],
            special_custodian=ContactView.of(state.special_custodian)
            if state.special_custodian else None,
            public_counsel=ContactView.of(state.public_counsel) if state.public_counsel else None,
            placement={"type": state.placement_type, "legal_basis": state.legal_basis or ""}
            if state.placement_type else None,
            decision=DecisionView(
                outcome=decision.outcome, decided_at=decision.decided_at,
                notified_at=decision.notified_at, rejection_kind=file.rejection_kind,
                permit_type=decision.permit_type, permit_expires_on=decision.permit_expires_on,
            ) if decision else None,
            rejection_final_at=state.rejection_final_at,
            expulsion_lapsed=state.expulsion_lapsed,
            compliance_alerts=state.compliance_alerts,
            risk=RiskView.of(risk_summary(state.risk_factors, state.risk_flags, file.clocks)),
            checklist=[ChecklistItemView(item=i.item, what=ITEMS[i.item][0], owner=i.owner,
                                         done_at=i.done_at) for i in state.checklist.values()],
            registration=file.case.effective_entries[0].fields,
            clocks=[ClockView.of(c) for c in file.clocks],
        )


class NextClock(BaseModel):
    rule_id: str
    due: LocalTime
    status: str


class ChildSummary(BaseModel):
    """A child in a list: who, where in the journey, and the next clock."""

    child_id: str
    reference: str
    name: str | None
    date_of_birth: date | None
    municipality: str
    stage: str
    caseworker: CaseworkerView | None
    missing_since: LocalTime | None
    turns_18_at: LocalTime | None
    next_clock: NextClock | None

    @classmethod
    def of(cls, row: ChildRow) -> ChildSummary:
        return cls(
            child_id=row.child_id, reference=case_reference(row.child_id), name=row.card.name,
            date_of_birth=row.card.date_of_birth, municipality=row.municipality,
            stage=row.stage,
            caseworker=CaseworkerView(user_id=row.caseworker_id, name=row.caseworker_name)
            if row.caseworker_id else None,
            missing_since=row.missing_since, turns_18_at=row.turns_18_at,
            next_clock=NextClock(rule_id=row.next_rule_id, due=row.next_due,
                                 status=row.next_status or "open")
            if row.next_rule_id and row.next_due else None)


class WorklistClock(BaseModel):
    child_id: str
    reference: str
    clock_id: str
    rule_id: str
    due: LocalTime
    status: str
    owner: str
    municipality: str
    caseworker_id: str | None
    caseworker_name: str | None
    policy_version: str


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    next_offset: int | None = Field(description="the offset of the next page; null at the end")


class DeliveryView(BaseModel):
    channel: str = Field(description="email or webhook; the inbox always has it")
    status: str = Field(description="pending, held (digest), sending, delivered or failed")
    attempts: int
    error: str | None = None
    delivered_at: LocalTime | None = None


class NotificationView(BaseModel):
    notification_id: str
    child_id: str
    reference: str
    kind: str
    urgent: bool
    subject: str
    body: str
    created_at: LocalTime
    read_at: LocalTime | None
    acknowledged_at: LocalTime | None
    clock_id: str | None
    deliveries: list[DeliveryView]


class PolicePackView(BaseModel):
    """RULEBOOK section 8: one document to hand to the police at once."""

    child_id: str
    reference: str
    missing: bool
    identity: dict[str, Any]
    pack: dict[str, str]
    last_seen: dict[str, Any] | None

    @classmethod
    def of(cls, pack: PolicePack) -> PolicePackView:
        identity = {
            "given_name": pack.given_name, "family_name": pack.family_name,
            "date_of_birth": pack.date_of_birth, "date_of_birth_basis": pack.date_of_birth_basis,
            "languages": pack.languages, "interpreter_needed": pack.interpreter_needed,
            "mv_reference": pack.mv_reference, "placement": pack.placement,
        }
        seen = pack.last_seen
        last_seen = {"at": _in_zone(seen.at), "place": seen.place, "seen_by": seen.seen_by,
                     "reported_at": _in_zone(seen.reported_at)} if seen else None
        return cls(child_id=pack.child_id, reference=case_reference(pack.child_id),
                   missing=pack.missing, identity=identity, pack=pack.pack,
                   last_seen=last_seen)
