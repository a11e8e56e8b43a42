"""Children: register an arrival, record events, read the state and the history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Header, Query, Response

from api.auth import ServicesDep, UserDep
from api.listing import Limit, Offset, page, window
from api.schemas import (
    ChildSummary,
    ChildView,
    EntryView,
    Page,
    PolicePackView,
    RecordedView,
    RegisterChild,
)
from domain.errors import InvalidField, InvalidFields
from domain.fields import parse_instant

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


def _recorded(result: Any, response: Response) -> RecordedView:
    if result.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return RecordedView(child_id=str(result.child_id), version=result.version,
                        entry=EntryView.of(result.entry))


@router.get("", response_model=Page[ChildSummary],
            summary="Children of the municipality; search by case reference, name or date of "
                    "birth", description="Missing children come first, then by the next clock "
                                         "due. `q` matches a case reference (VK-1A2B3C4D), every "
                                         "word of a name (accents and case ignored), a date of "
                                         "birth (YYYY-MM-DD) or a migration agency reference. "
                                         "`mine` lists the signed-in caseworker's children.")
def list_children(user: UserDep, svc: ServicesDep,
                  q: Annotated[str | None, Query(max_length=200)] = None, mine: bool = False,
                  municipality: str | None = None, limit: Limit = 50, offset: Offset = 0
                  ) -> Page[ChildSummary]:
    found = svc.casework.find_children(user, q, window(limit, offset), municipality, mine)
    return page(found, ChildSummary.of)


@router.post("", status_code=201, response_model=RecordedView,
             summary="Register an arriving child (Registered)")
def register_child(body: RegisterChild, user: UserDep, svc: ServicesDep, response: Response,
                   idempotency_key: IdempotencyKey = None) -> RecordedView:
    fields = body.model_dump(exclude={"reason", "caseworker_id"}, exclude_none=True)
    result = svc.casework.register(user, fields, reason=body.reason,
                                   idempotency_key=idempotency_key,
                                   caseworker_id=body.caseworker_id)
    response.headers["Location"] = f"/children/{result.child_id}"
    return _recorded(result, response)


@router.post("/{child_id}/events", status_code=201, response_model=RecordedView,
             summary="Record one event on the child's case file")
def record_event(child_id: UUID, user: UserDep, svc: ServicesDep, response: Response,
                 body: Annotated[dict[str, Any], Body(examples=[EVENT_EXAMPLE])],
                 idempotency_key: IdempotencyKey = None) -> RecordedView:
    event_type, occurred_at, reason, expected_version = _envelope(body)
    fields = {k: v for k, v in body.items() if k not in ENVELOPE}
    result = svc.casework.record(
        user, child_id, event_type, fields, occurred_at=occurred_at, reason=reason,
        expected_version=expected_version, idempotency_key=idempotency_key)
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


@router.get("/{child_id}", response_model=ChildView, summary="The child's state and clocks")
def get_child(child_id: UUID, user: UserDep, svc: ServicesDep) -> ChildView:
    return ChildView.of(svc.casework.child(user, child_id))


@router.get("/{child_id}/police-pack", response_model=PolicePackView,
            summary="The police information pack, as one document")
def get_police_pack(child_id: UUID, user: UserDep, svc: ServicesDep) -> PolicePackView:
    return PolicePackView.of(svc.casework.police_pack(user, child_id))


@router.get("/{child_id}/history", response_model=list[EntryView],
            summary="The full audit trail, in the order it was recorded")
def get_history(child_id: UUID, user: UserDep, svc: ServicesDep) -> list[EntryView]:
    return [EntryView.of(e) for e in svc.casework.history(user, child_id)]
