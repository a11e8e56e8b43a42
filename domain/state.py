"""The child's current state: a pure fold over the effective history.

One main stage at a time (RULEBOOK section 4), with overlays: missing, and adulthood.
The asylum stage is kept beneath adulthood: a rejected child who turns 18 is still
rejected, and a child who goes missing keeps the stage beneath.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain import facts
from domain.entries import Entry, chronological
from domain.return_checklist import ITEMS
from domain.timing import add_months

ASYLUM_STAGES = ("arrived", "in_asylum_process", "granted", "rejected", "appealing",
                 "rejected_final", "return_preparation", "departed")
REJECTED = ("rejected", "appealing", "rejected_final", "return_preparation")


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
    place: str
    seen_by: str
    police_report_seq: int | None = None
    ended_seq: int | None = None
    ended_at: datetime | None = None


@dataclass
class Decision:
    seq: int
    outcome: str
    decided_at: datetime
    notified_at: datetime
    permit_type: str | None = None
    permit_expires_on: date | None = None


@dataclass(frozen=True)
class Transfer:
    """Responsibility moved: the history shows both sides."""

    seq: int
    at: datetime
    to: str
    from_municipality: str
    to_municipality: str


@dataclass
class ChecklistItem:
    item: str
    owner: str
    done_seq: int | None = None
    done_at: datetime | None = None


@dataclass
class CaseState:
    child_id: str
    municipality: str = ""
    date_of_birth: date | None = None
    date_of_birth_basis: str = "stated"
    previous_date_of_birth: date | None = None
    asylum_stage: str = "arrived"
    adult: bool = False
    adult_at: datetime | None = None
    closed: bool = False
    deceased: bool = False
    missing: MissingEpisode | None = None
    episodes: list[MissingEpisode] = field(default_factory=list)  # every disappearance
    caseworker_id: str | None = None
    guardian: Contact | None = None
    special_custodian: Contact | None = None
    public_counsel: Contact | None = None
    contacts: list[Contact] = field(default_factory=list)
    placement_type: str | None = None
    legal_basis: str | None = None
    placement_changes: list[datetime] = field(default_factory=list)
    responsibility: str = "social_services"
    asylum_applied_at: datetime | None = None
    interview_held: bool = False
    statement_submitted: bool = False
    decision: Decision | None = None
    decision_episode: int | None = None  # the latest DecisionIssued or AppealDecided entry
    rejection_final_at: datetime | None = None
    expulsion_lapsed: bool = False
    reception_found: bool | None = None
    active_treatment: bool = False
    risk_factors: list[str] = field(default_factory=list)  # ticked at the latest assessment
    previous_risk_factors: list[str] = field(default_factory=list)  # at the one before
    risk_flags: dict[str, int] = field(default_factory=dict)  # derived factor -> seq raised
    checklist: dict[str, ChecklistItem] = field(default_factory=dict)
    police_pack: dict[str, str] = field(default_factory=dict)
    special_custodian_applied: bool = False
    handover_to: str | None = None  # found in or moved to this municipality: proposed
    transfers: list[Transfer] = field(default_factory=list)
    version: int = 0

    @property
    def stage(self) -> str:
        if self.closed:
            return "closed"
        if self.asylum_stage == "departed":
            return "departed"
        if self.adult:
            return "adult"
        return self.asylum_stage

    @property
    def ended(self) -> bool:
        return self.closed or self.asylum_stage == "departed" or self.deceased

    @property
    def is_adult(self) -> bool:
        return self.adult

    @property
    def rejected(self) -> bool:
        return self.asylum_stage in REJECTED

    @property
    def lvu_placed(self) -> bool:
        return self.legal_basis == "LVU"

    @property
    def compliance_alerts(self) -> list[str]:
        """Rejection of an LVU-placed child with no statement recorded (004 L881-887)."""
        if (self.decision and self.decision.outcome == "rejected" and self.lvu_placed
                and not self.statement_submitted):
            return ["lvu_statement_missing"]
        return []

    def episode(self, seq: int | None) -> MissingEpisode | None:
        return next((e for e in self.episodes if e.reported_seq == seq), None)

    @property
    def last_episode(self) -> MissingEpisode | None:
        return self.episodes[-1] if self.episodes else None

    def recipients_contacts(self) -> list[Contact]:
        people = list(self.contacts)
        for person in (self.guardian, self.special_custodian, self.public_counsel):
            if person is not None:
                people.append(person)
        return people


def responsibility_at_18(state: CaseState) -> str:
    """At 18 an asylum-seeking young person becomes the migration agency's; with a permit,
    social services keep assessing continued support (RULEBOOK section 5)."""
    return "social_services" if state.asylum_stage == "granted" else "migration_agency"


def rejection_kind(state: CaseState, months: int) -> str | None:
    """Derived, not typed: avvisning when the rejection came within `months` of the
    application (the three-month rule), else utvisning."""
    decision = state.decision
    if decision is None or decision.outcome != "rejected":
        return None
    if state.asylum_applied_at is None:
        return "utvisning"
    within = decision.decided_at < add_months(state.asylum_applied_at, months)
    return "avvisning" if within else "utvisning"


def evolve(state: CaseState, entry: Entry) -> CaseState:
    """Apply one effective entry. Guards ran before it was recorded; this only folds."""
    fact = entry.fact
    state.version = entry.seq
    handler = _HANDLERS.get(type(fact))
    if handler is not None:
        handler(state, entry, fact)
    return state


def _registered(state: CaseState, entry: Entry, fact: facts.Registered) -> None:
    state.municipality = fact.municipality
    state.date_of_birth = fact.date_of_birth
    state.date_of_birth_basis = fact.date_of_birth_basis


def _contact(role: str, entry: Entry, fact) -> Contact:  # type: ignore[no-untyped-def]
    return Contact(role, fact.name, fact.email, fact.phone, entry.seq)


def _placed(state: CaseState, entry: Entry, fact) -> None:  # type: ignore[no-untyped-def]
    state.placement_type = fact.placement_type
    state.legal_basis = fact.legal_basis
    if isinstance(fact, facts.PlacementChanged):
        state.placement_changes.append(entry.occurred_at)
        _propose_handover(state, fact.municipality)


def _propose_handover(state: CaseState, municipality: str | None) -> None:
    if municipality and municipality != state.municipality:
        state.handover_to = municipality


def _decision(state: CaseState, entry: Entry, fact: facts.DecisionIssued) -> None:
    state.decision = Decision(entry.seq, fact.outcome, fact.decided_at,
                              fact.notified_at or entry.occurred_at, fact.permit_type,
                              fact.permit_expires_on)
    state.asylum_stage = "granted" if fact.outcome == "granted" else "rejected"
    state.rejection_final_at = None
    state.decision_episode = entry.seq


def _appeal_decided(state: CaseState, entry: Entry, fact: facts.AppealDecided) -> None:
    state.decision_episode = entry.seq
    if fact.outcome == "granted":
        state.asylum_stage = "granted"
        if state.decision is not None:
            state.decision = Decision(entry.seq, "granted", entry.occurred_at, entry.occurred_at,
                                      fact.permit_type, fact.permit_expires_on)
    else:
        _final(state, entry)


def _final(state: CaseState, entry: Entry, *_: object) -> None:
    if state.asylum_stage in ("rejected", "appealing", "in_asylum_process"):
        state.asylum_stage = "rejected_final"
        state.rejection_final_at = entry.occurred_at


def _window_closed(state: CaseState, entry: Entry, fact: object) -> None:
    if state.asylum_stage == "rejected":  # an appeal filed in time is not ended by it
        _final(state, entry)


def _missing(state: CaseState, entry: Entry, fact: facts.ReportedMissing) -> None:
    state.missing = MissingEpisode(entry.seq, entry.occurred_at, fact.last_seen_at, fact.place,
                                   fact.seen_by)
    state.episodes.append(state.missing)


def act_episode(state: CaseState, fact: object) -> MissingEpisode | None:
    """The disappearance an act answers: the one it names, else the latest one begun
    when it happened (the history folds in the order things happened)."""
    named = getattr(fact, "episode", None)
    if named is not None:
        return state.episode(named)
    return state.last_episode


def _police_report(state: CaseState, entry: Entry, fact: facts.PoliceReportFiled) -> None:
    episode = act_episode(state, fact)
    if episode is not None and episode.police_report_seq is None:
        episode.police_report_seq = entry.seq


def _ended(deceased: bool = False):  # type: ignore[no-untyped-def]
    def handler(state: CaseState, entry: Entry, fact: object) -> None:
        if state.missing is not None:
            state.missing.ended_seq, state.missing.ended_at = entry.seq, entry.occurred_at
        state.missing = None
        state.deceased = state.deceased or deceased
        if isinstance(fact, facts.Found):
            _propose_handover(state, fact.municipality)

    return handler


def _become_adult(state: CaseState, entry: Entry, fact: object) -> None:
    state.adult = True
    state.adult_at = entry.occurred_at
    state.guardian = None  # the god man's task ends at 18 (RULEBOOK section 5)
    if isinstance(fact, facts.Turned18):
        state.responsibility = fact.responsibility_to
    else:
        state.responsibility = "migration_agency"


def _age_assessed(state: CaseState, entry: Entry, fact: facts.AgeAssessed) -> None:
    if fact.outcome == "adult":
        _become_adult(state, entry, fact)
    else:
        state.previous_date_of_birth = state.date_of_birth
        state.date_of_birth = fact.date_of_birth
        state.date_of_birth_basis = "assessed"


def _return_confirmed(state: CaseState, entry: Entry, fact: object) -> None:
    state.asylum_stage = "return_preparation"
    for item, (_what, owner) in ITEMS.items():
        state.checklist.setdefault(item, ChecklistItem(item, owner))


def _checklist_done(state: CaseState, entry: Entry, fact: facts.ChecklistItemDone) -> None:
    item = state.checklist.get(fact.item)
    if item is not None:
        item.done_seq, item.done_at = entry.seq, entry.occurred_at


def _checklist_assigned(state: CaseState, entry: Entry, fact: facts.ChecklistItemAssigned) -> None:
    item = state.checklist.get(fact.item)
    if item is not None:
        item.owner = fact.owner


def _police_pack(state: CaseState, entry: Entry, fact: facts.PolicePackUpdated) -> None:
    state.police_pack.update({k: v for k, v in vars(fact).items() if v is not None})


def _special_custodian(state: CaseState, entry: Entry, fact: facts.SpecialCustodianAppointed
                       ) -> None:
    state.special_custodian = _contact("special_custodian", entry, fact)
    state.guardian = None  # the special custodian replaces the god man after a permit


def _asylum_applied(state: CaseState, entry: Entry, fact: object) -> None:
    state.asylum_stage = "in_asylum_process"
    state.asylum_applied_at = entry.occurred_at


def _transferred(state: CaseState, entry: Entry, fact: facts.ResponsibilityTransferred) -> None:
    state.responsibility = fact.to
    before = state.municipality
    if fact.municipality:
        state.municipality = fact.municipality
        state.handover_to = None
    if state.municipality != before:
        state.caseworker_id = None  # the receiving municipality assigns its own caseworker
    state.transfers.append(Transfer(entry.seq, entry.occurred_at, fact.to, before,
                                    state.municipality))


def _risk_assessed(state: CaseState, entry: Entry, fact: facts.RiskAssessed) -> None:
    state.previous_risk_factors = state.risk_factors
    state.risk_factors = list(fact.factors)


def _set(**values: object):  # type: ignore[no-untyped-def]
    def handler(state: CaseState, entry: Entry, fact: object) -> None:
        for name, value in values.items():
            setattr(state, name, value)

    return handler


_HANDLERS = {
    facts.Registered: _registered,
    facts.MunicipalityAssigned: lambda s, e, f: setattr(s, "municipality", f.municipality),
    facts.CaseworkerAssigned: lambda s, e, f: setattr(s, "caseworker_id", f.caseworker_id),
    facts.GuardianAppointed: lambda s, e, f: setattr(s, "guardian", _contact("god_man", e, f)),
    facts.GuardianEnded: _set(guardian=None),
    facts.SpecialCustodianAppointed: _special_custodian,
    facts.SpecialCustodianApplied: _set(special_custodian_applied=True),
    facts.PublicCounselAppointed: lambda s, e, f: setattr(
        s, "public_counsel", _contact("public_counsel", e, f)),
    facts.ContactAdded: lambda s, e, f: s.contacts.append(_contact(f.role, e, f)),
    facts.Placed: _placed,
    facts.PlacementChanged: _placed,
    facts.AsylumApplied: _asylum_applied,
    facts.InterviewHeld: _set(interview_held=True),
    facts.StatementSubmitted: _set(statement_submitted=True),
    facts.DecisionIssued: _decision,
    facts.AppealFiled: _set(asylum_stage="appealing", rejection_final_at=None),
    facts.AppealDecided: _appeal_decided,
    facts.DecisionFinal: _final,
    facts.AppealWindowExpired: _window_closed,
    facts.ApplicationWithdrawn: _final,
    facts.ReceptionInvestigated: lambda s, e, f: setattr(
        s, "reception_found", f.organised_reception_found),
    facts.ReturnConfirmed: _return_confirmed,
    facts.Departed: _set(asylum_stage="departed"),
    facts.ExpulsionLapsed: _set(expulsion_lapsed=True),
    facts.ReportedMissing: _missing,
    facts.PoliceReportFiled: _police_report,
    facts.Found: _ended(),
    facts.ContactMade: _ended(),
    facts.FoundDeceased: _ended(deceased=True),
    facts.AgeAssessed: _age_assessed,
    facts.Turned18: _become_adult,
    facts.HealthTreatmentNoted: lambda s, e, f: setattr(s, "active_treatment", f.active),
    facts.RiskAssessed: _risk_assessed,
    facts.RiskFlagRaised: lambda s, e, f: s.risk_flags.setdefault(f.factor, e.seq),
    facts.ChecklistItemDone: _checklist_done,
    facts.ChecklistItemAssigned: _checklist_assigned,
    facts.PolicePackUpdated: _police_pack,
    facts.ResponsibilityTransferred: _transferred,
    facts.CaseClosed: _set(closed=True),
}


def fold(child_id: str, entries: list[Entry]) -> CaseState:
    """The state the effective history folds to, in the order things happened."""
    state = CaseState(child_id=child_id)
    for entry in chronological(entries):
        evolve(state, entry)
    state.version = max((e.seq for e in entries), default=0)
    return state
