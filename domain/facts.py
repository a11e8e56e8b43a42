"""The facts a case file records: one frozen dataclass per event type.

Names and fields are permanent contracts (ARCHITECTURE house rule 2): add optional fields,
never rename. The envelope (occurred_at, actor, reason, idempotency) lives in `entries`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal

from domain import municipalities
from domain.errors import UnknownEventType
from domain.fields import Register, Text, parse_fields
from domain.text import safe_label

DateOfBirthBasis = Literal["stated", "assessed"]
ContactRole = Literal[
    "god_man", "school", "placement", "migration_agency", "public_counsel",
    "health", "police", "special_custodian", "other",
]
PlacementType = Literal["hvb", "stodboende", "familjehem", "natverkshem", "jourhem"]
LegalBasis = Literal["SoL", "LVU"]
TalkKind = Literal["information", "check_in", "after_rejection", "farewell", "debrief", "adulthood"]
Outcome = Literal["granted", "rejected"]
PermitType = Literal["permanent", "temporary"]
FollowUpArea = Literal["B1", "B2", "B3", "B4", "placement", "network"]
# One of Sweden's municipalities (domain.municipalities), stored by its official name.
MunicipalityName = Annotated[str, Register(municipalities.official_name,
                                           municipalities.stored_name)]


@dataclass(frozen=True)
class Registered:
    arrived_at: datetime
    date_of_birth: date
    date_of_birth_basis: DateOfBirthBasis
    municipality: MunicipalityName
    given_name: str | None = None
    family_name: str | None = None
    mv_reference: str | None = None
    languages: list[str] = field(default_factory=list)
    interpreter_needed: bool = False


@dataclass(frozen=True)
class CaseworkerAssigned:
    caseworker_id: str


@dataclass(frozen=True)
class GuardianAppointed:
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class GuardianEnded:
    pass


@dataclass(frozen=True)
class ContactAdded:
    role: ContactRole
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Placed:
    placement_type: PlacementType
    legal_basis: LegalBasis
    place: str | None = None


@dataclass(frozen=True)
class ReportedMissing:
    last_seen_at: datetime
    place: str
    seen_by: str


@dataclass(frozen=True)
class PoliceReportFiled:
    police_reference: str | None = None
    episode: int | None = None  # the ReportedMissing it answers; by default the one at the time


@dataclass(frozen=True)
class SearchActionTaken:
    action: Text
    taken_by: str
    episode: int | None = None  # the ReportedMissing it answers; by default the one at the time


@dataclass(frozen=True)
class Found:
    location: Literal["sweden", "abroad"]
    place: str | None = None
    # found in another municipality: a hand-over is proposed
    municipality: MunicipalityName | None = None
    suspected_exploitation: bool = False  # possible victimisation or crime: raises the A4 flag


@dataclass(frozen=True)
class ContactMade:
    channel: str | None = None


@dataclass(frozen=True)
class TalkHeld:
    kind: TalkKind
    topics: list[str] = field(default_factory=list)
    child_response: Literal["accepted", "declined"] = "accepted"
    guardian_present: bool = False
    episode: int | None = None  # the episode's opening entry; by default the one at the time
    suspected_exploitation: bool = False  # said in a debrief: raises the A4 flag


@dataclass(frozen=True)
class RiskAssessed:
    """The ticked factors of the checklist, by id (A1.1 ... A4.15, domain.risk)."""

    factors: list[str] = field(default_factory=list)
    episode: int | None = None  # a re-assessment after an earlier disappearance (its entry)


@dataclass(frozen=True)
class AgeAssessed:
    outcome: Literal["new_date_of_birth", "adult"]
    date_of_birth: date | None = None


@dataclass(frozen=True)
class CaseClosed:
    closure: Literal["permit_handover", "returned", "adult", "moved", "deceased", "other"]


@dataclass(frozen=True)
class MunicipalityAssigned:
    municipality: MunicipalityName


@dataclass(frozen=True)
class PublicCounselAppointed:
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class SpecialCustodianAppointed:
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class SpecialCustodianApplied:
    """Social services applied to the district court for a special custodian (002 L189)."""


@dataclass(frozen=True)
class PlacementChanged:
    placement_type: PlacementType
    legal_basis: LegalBasis
    place: str | None = None
    # a move to another municipality: a hand-over is proposed
    municipality: MunicipalityName | None = None


@dataclass(frozen=True)
class PlacementReviewed:
    outcome: Text | None = None


@dataclass(frozen=True)
class AsylumApplied:
    pass


@dataclass(frozen=True)
class InterviewHeld:
    pass


@dataclass(frozen=True)
class StatementSubmitted:
    pass


@dataclass(frozen=True)
class DecisionIssued:
    """A decision of the migration agency. The rejection kind (avvisning/utvisning) is
    derived from the three-month rule, not typed."""

    outcome: Outcome
    decided_at: datetime
    notified_at: datetime | None = None
    permit_type: PermitType | None = None
    permit_expires_on: date | None = None


@dataclass(frozen=True)
class AppealFiled:
    pass


@dataclass(frozen=True)
class AppealDecided:
    outcome: Outcome
    permit_type: PermitType | None = None
    permit_expires_on: date | None = None


@dataclass(frozen=True)
class DecisionFinal:
    pass


@dataclass(frozen=True)
class ApplicationWithdrawn:
    pass


@dataclass(frozen=True)
class ReceptionInvestigated:
    organised_reception_found: bool


@dataclass(frozen=True)
class ReturnConfirmed:
    pass


@dataclass(frozen=True)
class HandedOverToPolice:
    pass


@dataclass(frozen=True)
class DetentionOrdered:
    pass


@dataclass(frozen=True)
class DepartureScheduled:
    departure_at: datetime | None = None
    future_fields = ("departure_at",)  # a schedule may lie ahead


@dataclass(frozen=True)
class Departed:
    pass


@dataclass(frozen=True)
class EnforcementAcknowledged:
    """The caseworker has seen an enforcement event (names its entry)."""

    entry: int


@dataclass(frozen=True)
class FoundDeceased:
    place: str | None = None


@dataclass(frozen=True)
class FollowUpHeld:
    area: FollowUpArea
    attendees: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SipMeetingHeld:
    topic: Literal["decision", "adulthood", "other"] = "other"
    episode: int | None = None  # the decision it follows; by default the one at the time


@dataclass(frozen=True)
class CrisisPlanEstablished:
    pass


@dataclass(frozen=True)
class HealthExamOffered:
    pass


@dataclass(frozen=True)
class HealthTreatmentNoted:
    """An ongoing treatment: enforcement events then raise a health alert (004 F18)."""

    active: bool


@dataclass(frozen=True)
class SchoolEnrolled:
    school: str | None = None


@dataclass(frozen=True)
class ChecklistItemDone:
    item: str


@dataclass(frozen=True)
class ChecklistItemAssigned:
    item: str
    owner: str


@dataclass(frozen=True)
class PolicePackUpdated:
    """RULEBOOK section 8: kept current while the child is present. Fields not given keep
    their earlier value."""

    identity_and_contact: Text | None = None
    language_and_interpreter: Text | None = None
    description: Text | None = None
    health: Text | None = None
    interests: Text | None = None
    social_circle: Text | None = None
    stays: Text | None = None
    criminal_circles: Text | None = None
    crime_suspicion: Text | None = None


@dataclass(frozen=True)
class EscalationAcknowledged:
    """A person has taken on a missed clock: its escalation stops repeating."""

    clock_id: str


@dataclass(frozen=True)
class ResponsibilityTransferred:
    to: Literal["migration_agency", "municipality"]
    municipality: MunicipalityName | None = None


@dataclass(frozen=True)
class Retracted:
    """Withdraws an earlier entry as recorded in error; `reason` is required."""

    entry: int


@dataclass(frozen=True)
class Corrected:
    """Replaces some fields of an earlier entry; `reason` is required."""

    entry: int
    fields: dict[str, Any] = field(default_factory=dict)


# ---- recorded by Vaka itself (actor "system") ----


@dataclass(frozen=True)
class DeadlineReminded:
    clock_id: str
    rule_id: str
    due: datetime


@dataclass(frozen=True)
class DeadlineMissed:
    clock_id: str
    rule_id: str
    due: datetime


@dataclass(frozen=True)
class Turned18:
    responsibility_to: Literal["migration_agency", "social_services"]
    clock_id: str | None = None


@dataclass(frozen=True)
class AppealWindowExpired:
    clock_id: str


@dataclass(frozen=True)
class DepartureWindowExpired:
    clock_id: str


@dataclass(frozen=True)
class ExpulsionLapsed:
    clock_id: str


@dataclass(frozen=True)
class Escalated:
    """A missed clock still not done after its grace period: told to the head of unit."""

    clock_id: str  # the escalation clock
    subject: str  # the missed clock
    rule_id: str
    due: datetime
    level: str = "head_of_unit"


@dataclass(frozen=True)
class RiskFlagRaised:
    factor: str
    clock_id: str


@dataclass(frozen=True)
class ConclusionWithdrawn:
    """One of Vaka's own conclusions (names its entry) no longer follows from the case
    file: its ground was corrected or retracted, or an earlier act was entered late."""

    entry: int
    conclusion: str


CASEWORKER_FACTS: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Registered, MunicipalityAssigned, CaseworkerAssigned, GuardianAppointed, GuardianEnded,
        PublicCounselAppointed, SpecialCustodianAppointed, SpecialCustodianApplied, ContactAdded,
        Placed, PlacementChanged, PlacementReviewed,
        AsylumApplied, AgeAssessed, InterviewHeld, StatementSubmitted, DecisionIssued,
        AppealFiled, AppealDecided, DecisionFinal, ApplicationWithdrawn,
        ReceptionInvestigated, ReturnConfirmed, HandedOverToPolice, DetentionOrdered,
        DepartureScheduled, Departed, EnforcementAcknowledged,
        ReportedMissing, PoliceReportFiled, SearchActionTaken, ContactMade, Found, FoundDeceased,
        RiskAssessed, FollowUpHeld, TalkHeld, SipMeetingHeld, CrisisPlanEstablished,
        HealthExamOffered, HealthTreatmentNoted, SchoolEnrolled, ChecklistItemDone,
        ChecklistItemAssigned, PolicePackUpdated,
        EscalationAcknowledged, ResponsibilityTransferred, CaseClosed, Retracted, Corrected,
    )
}
SYSTEM_FACTS: dict[str, type] = {
    cls.__name__: cls
    for cls in (DeadlineReminded, DeadlineMissed, Turned18, AppealWindowExpired,
                DepartureWindowExpired, ExpulsionLapsed, RiskFlagRaised, Escalated,
                ConclusionWithdrawn)
}
ENFORCEMENT = ("HandedOverToPolice", "DetentionOrdered", "DepartureScheduled")
ALL_FACTS: dict[str, type] = {**CASEWORKER_FACTS, **SYSTEM_FACTS}
CORRECTIONS = ("Retracted", "Corrected")


def fact_class(event_type: str, *, system: bool = False) -> type:
    table = ALL_FACTS if system else CASEWORKER_FACTS
    try:
        return table[event_type]
    except KeyError:
        if event_type in SYSTEM_FACTS:
            raise UnknownEventType(
                f"{event_type} is recorded by Vaka itself, not by hand"
            ) from None
        raise UnknownEventType(
            f"unknown event type {safe_label(event_type)!r}; known: "
            f"{', '.join(sorted(CASEWORKER_FACTS))}"
        ) from None


def parse_fact(event_type: str, data: dict[str, Any], *, system: bool = False,
               strict: bool = True) -> Any:
    """A typed fact from JSON-shaped fields: `strict` for input, lenient for what is stored."""
    return parse_fields(fact_class(event_type, system=system), data, strict=strict)
