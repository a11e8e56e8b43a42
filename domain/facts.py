"""The facts a case file records: one frozen dataclass per event type.

Names and fields are permanent contracts (ARCHITECTURE house rule 2): add optional fields,
never rename. The envelope (occurred_at, actor, reason, idempotency) lives in `entries`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from domain.errors import UnknownEventType
from domain.fields import parse_fields

DateOfBirthBasis = Literal["stated", "assessed"]
ContactRole = Literal[
    "god_man", "school", "placement", "migration_agency", "public_counsel",
    "health", "police", "special_custodian", "other",
]
PlacementType = Literal["hvb", "stodboende", "familjehem", "natverkshem", "jourhem"]
LegalBasis = Literal["SoL", "LVU"]
TalkKind = Literal["information", "check_in", "after_rejection", "farewell", "debrief", "adulthood"]


@dataclass(frozen=True)
class Registered:
    arrived_at: datetime
    date_of_birth: date
    date_of_birth_basis: DateOfBirthBasis
    municipality: str
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


@dataclass(frozen=True)
class SearchActionTaken:
    action: str
    taken_by: str


@dataclass(frozen=True)
class Found:
    location: Literal["sweden", "abroad"]
    place: str | None = None


@dataclass(frozen=True)
class ContactMade:
    channel: str | None = None


@dataclass(frozen=True)
class TalkHeld:
    kind: TalkKind
    child_response: Literal["accepted", "declined"] = "accepted"
    guardian_present: bool = False


@dataclass(frozen=True)
class RiskAssessed:
    factors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AgeAssessed:
    outcome: Literal["new_date_of_birth", "adult"]
    date_of_birth: date | None = None


@dataclass(frozen=True)
class CaseClosed:
    closure: Literal["permit_handover", "returned", "adult", "moved", "deceased", "other"]


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


CASEWORKER_FACTS: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Registered, CaseworkerAssigned, GuardianAppointed, GuardianEnded, ContactAdded,
        Placed, ReportedMissing, PoliceReportFiled, SearchActionTaken, Found, ContactMade,
        TalkHeld, RiskAssessed, AgeAssessed, CaseClosed, Retracted, Corrected,
    )
}
SYSTEM_FACTS: dict[str, type] = {
    cls.__name__: cls for cls in (DeadlineReminded, DeadlineMissed, Turned18)
}
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
            f"unknown event type {event_type!r}; known: {', '.join(sorted(CASEWORKER_FACTS))}"
        ) from None


def parse_fact(event_type: str, data: dict[str, Any], *, system: bool = False) -> Any:
    return parse_fields(fact_class(event_type, system=system), data)
