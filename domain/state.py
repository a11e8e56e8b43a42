"""The child's current state: a pure fold over the effective history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain import facts
from domain.entries import Entry

Stage = str  # arrived | adult | closed (the asylum stages arrive with the whole journey)


@dataclass(frozen=True)
class Contact:
    role: str
    name: str
    email: str | None
    phone: str | None
    added_seq: int


@dataclass
class MissingEpisode:
    reported_seq: int
    reported_at: datetime
    last_seen_at: datetime
    police_report_seq: int | None = None


@dataclass
class CaseState:
    child_id: str
    municipality: str = ""
    date_of_birth: date | None = None
    date_of_birth_basis: str = "stated"
    stage: Stage = "arrived"
    stage_before_close: Stage | None = None
    missing: MissingEpisode | None = None
    caseworker_id: str | None = None
    guardian: Contact | None = None
    contacts: list[Contact] = field(default_factory=list)
    placement_type: str | None = None
    legal_basis: str | None = None
    responsibility: str = "social_services"
    version: int = 0

    @property
    def closed(self) -> bool:
        return self.stage == "closed"

    @property
    def is_adult(self) -> bool:
        return self.stage == "adult" or (self.closed and self.stage_before_close == "adult")

    def recipients_contacts(self) -> list[Contact]:
        people = list(self.contacts)
        if self.guardian is not None:
            people.append(self.guardian)
        return people


def evolve(state: CaseState, entry: Entry) -> CaseState:
    """Apply one effective entry. Guards ran before it was recorded; this only folds."""
    fact = entry.fact
    state.version = entry.seq
    if isinstance(fact, facts.Registered):
        state.municipality = fact.municipality
        state.date_of_birth = fact.date_of_birth
        state.date_of_birth_basis = fact.date_of_birth_basis
    elif isinstance(fact, facts.CaseworkerAssigned):
        state.caseworker_id = fact.caseworker_id
    elif isinstance(fact, facts.GuardianAppointed):
        state.guardian = Contact("god_man", fact.name, fact.email, fact.phone, entry.seq)
    elif isinstance(fact, facts.GuardianEnded):
        state.guardian = None
    elif isinstance(fact, facts.ContactAdded):
        state.contacts.append(Contact(fact.role, fact.name, fact.email, fact.phone, entry.seq))
    elif isinstance(fact, facts.Placed):
        state.placement_type = fact.placement_type
        state.legal_basis = fact.legal_basis
    elif isinstance(fact, facts.ReportedMissing):
        state.missing = MissingEpisode(entry.seq, entry.occurred_at, fact.last_seen_at)
    elif isinstance(fact, facts.PoliceReportFiled) and state.missing is not None:
        state.missing.police_report_seq = entry.seq
    elif isinstance(fact, (facts.Found, facts.ContactMade)):
        state.missing = None
    elif isinstance(fact, facts.AgeAssessed):
        if fact.outcome == "adult":
            _become_adult(state, entry)
            state.responsibility = "migration_agency"
        else:
            state.date_of_birth = fact.date_of_birth
            state.date_of_birth_basis = "assessed"
    elif isinstance(fact, facts.Turned18):
        _become_adult(state, entry)
        state.responsibility = fact.responsibility_to
    elif isinstance(fact, facts.CaseClosed):
        state.stage_before_close = state.stage
        state.stage = "closed"
    return state


def _become_adult(state: CaseState, entry: Entry) -> None:
    if not state.closed:
        state.stage = "adult"
    # The god man's task ends at 18 (RULEBOOK section 5, Turning 18).
    state.guardian = None


def fold(child_id: str, entries: list[Entry]) -> CaseState:
    state = CaseState(child_id=child_id)
    for entry in entries:
        evolve(state, entry)
    return state
