"""Children: register an arrival, record events, read the state and the history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Header, HTTPException, Response

from api.auth import (
    RecorderDep,
    ServicesDep,
    UserDep,
    can_see,
    check_may_record,
    check_municipality,
)
from api.schemas import ChildView, EntryView, PolicePackView, RecordedView, RegisterChild
from domain.entries import Actor
from domain.errors import InvalidField, InvalidFields
from domain.fields import parse_instant
from domain.state import rejection_kind
from domain.text import LINE, BadText, clean_text
from vaka.alerts import case_reference

router = APIRouter(prefix="/children", tags=["children"])

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200,
           description="Retrying with the same key returns the first result, records nothing new"),
]

ENVELOPE = ("type", "occurred_at", "reason", "expected_version")

EVENT_EXAMPLE = {
    "type": "ReportedMissing", "last_seen_at": "2026-11-22T21:40:00+01:00",
    "place": "the residential home", "seen_by": "night staff",
    "occurred_at": "2026-11-23T07:10:00+01:00", "reason": None, "expected_version": None,
}


def _actor(user: Any) -> Actor:
    return Actor(user.user_id, user.role)


def _recorded(result: Any, response: Response) -> RecordedView:
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return RecordedView(child_id=str(result.child_id), version=result.version,
                        entry=EntryView.of(result.entry))


@router.post("", status_code=201, response_model=RecordedView,
             summary="Register an arriving child (Registered)")
def register_child(body: RegisterChild, user: RecorderDep, svc: ServicesDep, response: Response,
                   idempotency_key: IdempotencyKey = None) -> RecordedView:
    fields = body.model_dump(exclude={"reason"}, exclude_none=True)
    result = svc.case_file.register(
        fields, _actor(user), datetime.now(UTC), reason=body.reason,
        idempotency_key=idempotency_key,
        authorize=lambda fact: check_municipality_write(user, fact.municipality))
    response.headers["Location"] = f"/children/{result.child_id}"
    return _recorded(result, response)


def check_municipality_write(user: Any, municipality: str) -> None:
    if user.municipality != municipality:
        raise HTTPException(403, "you can register children only in your own municipality")


@router.post("/{child_id}/events", status_code=201, response_model=RecordedView,
             summary="Record one event on the child's case file")
def record_event(child_id: UUID, user: UserDep, svc: ServicesDep, response: Response,
                 body: Annotated[dict[str, Any], Body(examples=[EVENT_EXAMPLE])],
                 idempotency_key: IdempotencyKey = None) -> RecordedView:
    event_type, occurred_at, reason, expected_version = _envelope(body)
    check_may_record(user, event_type)
    fields = {k: v for k, v in body.items() if k not in ENVELOPE}
    if event_type == "CaseworkerAssigned":
        _check_caseworker(svc, fields.get("caseworker_id"), user)
    result = svc.case_file.record(
        child_id, event_type, fields, _actor(user), datetime.now(UTC),
        occurred_at=occurred_at, reason=reason, expected_version=expected_version,
        idempotency_key=idempotency_key, authorize=can_see(user),
    )
    return _recorded(result, response)


def _envelope(body: dict[str, Any]) -> tuple[str, datetime | None, str | None, int | None]:
    problems = []
    event_type = body.get("type")
    if not isinstance(event_type, str) or not event_type:
        problems.append(InvalidField("type", "is required: the event type, e.g. ReportedMissing"))
        event_type = ""
    occurred_at = None
    if body.get("occurred_at") is not None:
        try:
            occurred_at = parse_instant("occurred_at", body["occurred_at"])
        except InvalidField as problem:
            problems.append(problem)
    reason = body.get("reason")  # held to the text rule by the case file
    expected = body.get("expected_version")
    if expected is not None and (isinstance(expected, bool) or not isinstance(expected, int)):
        problems.append(InvalidField("expected_version", "must be an integer"))
    if problems:
        raise InvalidFields(problems)
    return str(event_type), occurred_at, reason, expected


def _check_caseworker(svc: Any, user_id: Any, assigner: Any) -> None:
    try:
        clean_text(user_id, LINE)
    except (BadText, TypeError, AttributeError):
        return  # the domain reports the missing or malformed field
    user = svc.users.get(user_id)
    if user is None or user.role != "caseworker" or not user.active or \
            user.municipality != assigner.municipality:
        raise InvalidFields([InvalidField(
            "caseworker_id", "names no active caseworker of your municipality")])


@router.get("/{child_id}", response_model=ChildView, summary="The child's state and clocks")
def get_child(child_id: UUID, user: UserDep, svc: ServicesDep) -> ChildView:
    case = svc.case_file.get_case(child_id)
    state = case.state
    check_municipality(user, state.municipality)
    caseworker = svc.users.get(state.caseworker_id) if state.caseworker_id else None
    registration = case.effective_entries[0].fields
    return ChildView.of(str(case.id), case.version, state, registration,
                        svc.case_file.clocks(case), caseworker.name if caseworker else None,
                        rejection_kind(state, svc.policy.rejection_kind_months))


@router.get("/{child_id}/police-pack", response_model=PolicePackView,
            summary="The police information pack, as one document")
def get_police_pack(child_id: UUID, user: UserDep, svc: ServicesDep) -> PolicePackView:
    case = svc.case_file.get_case(child_id)
    state = case.state
    check_municipality(user, state.municipality)
    registration = case.effective_entries[0].fact
    identity = {
        "given_name": registration.given_name, "family_name": registration.family_name,
        "date_of_birth": state.date_of_birth, "date_of_birth_basis": state.date_of_birth_basis,
        "languages": registration.languages, "interpreter_needed": registration.interpreter_needed,
        "mv_reference": registration.mv_reference, "placement": state.placement_type,
    }
    last_seen = None
    if state.missing is not None:
        last_seen = {"at": state.missing.last_seen_at, "place": state.missing.place,
                     "seen_by": state.missing.seen_by, "reported_at": state.missing.reported_at}
    return PolicePackView(child_id=str(case.id), reference=case_reference(str(case.id)),
                          missing=state.missing is not None, identity=identity,
                          pack=dict(state.police_pack), last_seen=last_seen)


@router.get("/{child_id}/history", response_model=list[EntryView],
            summary="The full audit trail, in the order it was recorded")
def get_history(child_id: UUID, user: UserDep, svc: ServicesDep) -> list[EntryView]:
    case = svc.case_file.get_case(child_id)
    check_municipality(user, case.state.municipality)
    return [EntryView.of(e) for e in case.entries]
