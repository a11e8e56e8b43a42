"""Guards: whether a fact fits the child's current state. Reasons are for caseworkers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from domain import facts
from domain.entries import Entry
from domain.episode_guards import EPISODE_ACTS, check_episode_named, check_episode_order
from domain.errors import (
    InvalidField,
    InvalidFields,
    NotAChild,
    OccurredInFuture,
    Phrase,
    Term,
    TransitionRefused,
)
from domain.policy import Policy
from domain.return_checklist import ITEMS
from domain.risk import FACTORS
from domain.state import REJECTED, CaseState
from domain.timing import birthday, local_date, local_midnight

Guard = Callable[[CaseState, list[Entry], Any], None]


def check_not_in_future(occurred_at: datetime, now: datetime, name: str = "occurred_at") -> None:
    if occurred_at > now:
        raise OccurredInFuture("{field} lies in the future; record what has happened",
                               field=Term("field", name))


def check_fields_not_in_future(fact: Any, now: datetime) -> None:
    """No instant of a fact lies ahead, but those it may (a scheduled departure)."""
    ahead = getattr(fact, "future_fields", ())
    for name, value in vars(fact).items():
        if isinstance(value, datetime) and name not in ahead:
            check_not_in_future(value, now, name)


def check_registration(fact: facts.Registered, now: datetime, policy: Policy,
                       as_of: datetime | None = None) -> None:
    """A registration: of a child, arrived after birth and not in the future. `as_of` is
    when the child must have been a child: now, or for a correction when it arrived."""
    check_not_in_future(fact.arrived_at, now, "arrived_at")
    tz = policy.timezone
    if fact.date_of_birth > local_date(now, tz):
        raise InvalidFields([InvalidField("date_of_birth", "lies in the future")])
    if fact.date_of_birth > local_date(fact.arrived_at, tz):
        raise InvalidFields([InvalidField("arrived_at", "lies before the date of birth")])
    adult_on = local_midnight(birthday(fact.date_of_birth, policy.adult_age,
                                       policy.leap_day_birthday), tz)
    if adult_on <= (as_of or now):
        raise NotAChild("by the given date of birth this person is already {age}",
                        age=policy.adult_age)


def check_entry(state: CaseState, entries: list[Entry], event_type: str, fact: Any,
                occurred_at: datetime, now: datetime, policy: Policy,
                as_of: datetime | None = None) -> None:
    """Every rule of the domain an entry meets before it is recorded: nothing in the
    future, a registration of a child, and any other fact fitting the state."""
    check_not_in_future(occurred_at, now)
    check_fields_not_in_future(fact, now)
    if isinstance(fact, facts.Registered):
        check_registration(fact, now, policy, as_of)
    else:
        check_fits(state, entries, event_type, fact, occurred_at)


def check_fits(state: CaseState, entries: list[Entry], event_type: str, fact: Any,
               occurred_at: datetime | None = None) -> None:
    """Raise TransitionRefused when the fact does not fit the state. `entries` is the full
    history (corrections included), `state` the state it folds to."""
    if event_type == "AppealFiled" and occurred_at is not None and \
            filed_within_expired_window(entries, occurred_at) and state.asylum_stage == \
            "rejected_final":
        return  # an appeal filed in time but recorded after Vaka closed the window
    if event_type not in facts.CORRECTIONS:
        if state.closed:
            raise TransitionRefused("the case is closed; only a correction can be recorded")
        if state.deceased and event_type != "CaseClosed":
            raise TransitionRefused("the child is recorded as deceased; close the case")
        if state.asylum_stage == "departed" and event_type not in ("CaseClosed",
                                                                  "ResponsibilityTransferred"):
            raise TransitionRefused("the child has departed; the journey has ended")
    if event_type in EPISODE_ACTS:
        EPISODE_ACTS[event_type](state, entries, fact, occurred_at)
        return
    check_episode_named(entries, event_type, fact)
    guard = _GUARDS.get(event_type)
    if guard is not None:
        guard(state, entries, fact)
    check_episode_order(state, event_type, fact, occurred_at)


def filed_within_expired_window(entries: list[Entry], occurred_at: datetime) -> bool:
    """The rejection became final only because the appeal window ran out, and the appeal
    was filed before that: a late entry, not a late appeal."""
    expiry = next((e for e in reversed(entries) if e.event_type == "AppealWindowExpired"),
                  None)
    later_final = expiry is not None and any(
        e.seq > expiry.seq and e.event_type in ("DecisionFinal", "AppealDecided",
                                                "ApplicationWithdrawn") for e in entries)
    return expiry is not None and not later_final and occurred_at <= expiry.occurred_at


def _refuse(reason: str) -> Guard:
    def guard(state: CaseState, entries: list[Entry], fact: Any) -> None:
        raise TransitionRefused(reason)

    return guard


def _stage_in(stages: tuple[str, ...], what: str) -> Guard:
    def guard(state: CaseState, entries: list[Entry], fact: Any) -> None:
        if state.asylum_stage not in stages:
            raise TransitionRefused("{what}; the asylum stage is {stage}", what=Phrase(what),
                                    stage=Term("stage", state.asylum_stage))

    return guard


def _needs_missing(what: str) -> Guard:
    def guard(state: CaseState, entries: list[Entry], fact: Any) -> None:
        if state.missing is None:
            raise TransitionRefused("{what} only while the child is missing; the child is not",
                                    what=Phrase(what))

    return guard


def _reported_missing(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if state.missing is not None:
        raise TransitionRefused("the child is already reported missing")


def _guardian_ended(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if state.guardian is None:
        raise TransitionRefused("the child has no god man to end")


def _age_assessed(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if state.is_adult:
        raise TransitionRefused("the person is already treated as an adult")
    if fact.outcome == "new_date_of_birth" and fact.date_of_birth is None:
        raise InvalidFields([InvalidField("date_of_birth", "is required for a new date of birth")])
    last = max((e.occurred_at for e in entries), default=None)
    if fact.date_of_birth is not None and last is not None and \
            fact.date_of_birth > last.date():
        raise InvalidFields([InvalidField("date_of_birth", "lies in the future")])


def _decision(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if state.asylum_stage not in ("in_asylum_process", "granted"):
        raise TransitionRefused(
            "a decision needs an asylum application (AsylumApplied) or, for a renewal, "
            "a permit; the asylum stage is {stage}", stage=Term("stage", state.asylum_stage))
    applied = state.asylum_applied_at
    if state.asylum_stage == "in_asylum_process" and applied is not None and \
            fact.decided_at < applied:
        raise InvalidFields([InvalidField("decided_at", "lies before the asylum application")])
    if fact.outcome == "granted" and fact.permit_type is None:
        raise InvalidFields([InvalidField("permit_type", "is required for a grant")])
    if fact.outcome == "rejected" and (fact.permit_type or fact.permit_expires_on):
        raise InvalidFields([InvalidField("permit_type", "a rejection grants no permit")])


def _appeal_decided(state: CaseState, entries: list[Entry], fact: Any) -> None:
    _stage_in(("appealing",), "an appeal can be decided only after AppealFiled")(
        state, entries, fact)
    if fact.outcome == "granted" and fact.permit_type is None:
        raise InvalidFields([InvalidField("permit_type", "is required for a grant")])


def _special_custodian(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if state.asylum_stage != "granted":
        raise TransitionRefused("a special custodian replaces the god man after a permit")


def _transferred(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if fact.to == "municipality" and not fact.municipality:
        raise InvalidFields([InvalidField("municipality", "is required for a transfer to a "
                                                          "municipality")])


def _enforcement_ack(state: CaseState, entries: list[Entry], fact: Any) -> None:
    target = next((e for e in entries if e.seq == fact.entry), None)
    if target is None or target.event_type not in facts.ENFORCEMENT:
        raise InvalidFields([InvalidField("entry", "names no enforcement event of this case")])


def _risk_assessed(state: CaseState, entries: list[Entry], fact: Any) -> None:
    unknown = [f for f in fact.factors if f not in FACTORS]
    if unknown:
        raise InvalidFields([InvalidField("factors", "unknown factor ids: " + ", ".join(unknown)
                                          + " (expected A1.1-A1.9, A2.1-A2.4, A3.1-A3.12,"
                                          " A4.1-A4.15)")])


def _checklist(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if not state.checklist:
        raise TransitionRefused("there is no return checklist before ReturnConfirmed")
    if fact.item not in ITEMS:
        raise InvalidFields([InvalidField("item", "must be one of " + ", ".join(ITEMS))])
    if isinstance(fact, facts.ChecklistItemDone) and state.checklist[fact.item].done_seq:
        raise TransitionRefused("that checklist item is already done")


def _police_pack(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if state.missing is not None:
        raise TransitionRefused(
            "the police information pack was handed over when the child went missing; "
            "record new information as SearchActionTaken")
    if not any(v is not None for v in vars(fact).values()):
        raise InvalidFields([InvalidField("body", "give at least one field of the pack")])


def _correction(state: CaseState, entries: list[Entry], fact: Any) -> None:
    target = next((e for e in entries if e.seq == fact.entry), None)
    if target is None:
        raise InvalidFields([InvalidField("entry", "names no entry of this case")])
    if target.event_type in facts.CORRECTIONS or target.actor.role == "system":
        raise TransitionRefused("only an entry recorded by a person can be corrected")
    already = any(
        isinstance(e.fact, facts.Retracted) and e.fact.entry == target.seq for e in entries
    )
    if already:
        raise TransitionRefused("that entry is already retracted")
    if isinstance(fact, facts.Retracted) and target.event_type == "Registered":
        raise TransitionRefused("the registration cannot be retracted; correct its fields")
    # What a Corrected makes the entry read is checked as that entry: domain.recording.


def _escalation_ack(state: CaseState, entries: list[Entry], fact: Any) -> None:
    if not any(isinstance(e.fact, facts.DeadlineMissed) and e.fact.clock_id == fact.clock_id
               for e in entries):
        raise InvalidFields([InvalidField("clock_id", "names no missed clock of this case")])


_ASYLUM_OPEN = ("in_asylum_process", "appealing", "rejected")
_RETURNABLE = ("rejected_final", "return_preparation")

_GUARDS: dict[str, Guard] = {
    "Registered": _refuse("the child is already registered"),
    "ReportedMissing": _reported_missing,
    "Found": _needs_missing("Found is recorded"),
    "ContactMade": _needs_missing("ContactMade is recorded"),
    "FoundDeceased": _needs_missing("FoundDeceased is recorded"),
    "GuardianEnded": _guardian_ended,
    "SpecialCustodianAppointed": _special_custodian,
    "SpecialCustodianApplied": _special_custodian,
    "ResponsibilityTransferred": _transferred,
    "AgeAssessed": _age_assessed,
    "AsylumApplied": _stage_in(("arrived",), "an asylum application is recorded once, "
                                             "after arrival"),
    "InterviewHeld": _stage_in(_ASYLUM_OPEN, "an interview belongs to an open asylum case"),
    "StatementSubmitted": _stage_in(_ASYLUM_OPEN, "a statement goes to an open asylum case"),
    "DecisionIssued": _decision,
    "AppealFiled": _stage_in(("rejected",), "an appeal needs a rejection that is not final"),
    "AppealDecided": _appeal_decided,
    "DecisionFinal": _stage_in(("rejected",), "only a rejection that is not under appeal "
                                              "becomes final this way"),
    "ApplicationWithdrawn": _stage_in(_ASYLUM_OPEN, "only an open application can be "
                                                    "withdrawn"),
    "ReceptionInvestigated": _stage_in(REJECTED, "organised reception is investigated "
                                                 "after a rejection"),
    "ReturnConfirmed": _stage_in(("rejected_final",), "a return is confirmed once the "
                                                     "rejection is final"),
    "HandedOverToPolice": _stage_in(_RETURNABLE, "enforcement follows a final rejection"),
    "DetentionOrdered": _stage_in(_RETURNABLE, "enforcement follows a final rejection"),
    "DepartureScheduled": _stage_in(_RETURNABLE, "a departure follows a final rejection"),
    "Departed": _stage_in(_RETURNABLE, "a departure follows a final rejection"),
    "EnforcementAcknowledged": _enforcement_ack,
    "RiskAssessed": _risk_assessed,
    "ChecklistItemDone": _checklist,
    "ChecklistItemAssigned": _checklist,
    "PolicePackUpdated": _police_pack,
    "EscalationAcknowledged": _escalation_ack,
    "Retracted": _correction,
    "Corrected": _correction,
}
