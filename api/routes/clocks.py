"""The supervisor's worklist: clocks across the municipality, by due instant."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.auth import ServicesDep, UserDep
from api.listing import Limit, Offset, clock_row, page, window
from api.schemas import Page, WorklistClock
from domain.errors import InvalidField, InvalidFields
from domain.fields import parse_instant
from vaka.access import list_scope
from vaka.readside import worklists

router = APIRouter(prefix="/clocks", tags=["clocks"])

Status = Literal["open", "met", "cancelled", "missed"]


@router.get("", response_model=Page[WorklistClock],
            summary="Clocks across children, ordered by due instant")
def list_clocks(
    user: UserDep, svc: ServicesDep,
    status: Annotated[list[Status] | None, Query(description="repeat for several")] = None,
    due_before: str | None = Query(None, description="ISO 8601 with a UTC offset"),
    rule_id: str | None = None,
    municipality: str | None = None,
    caseworker_id: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[WorklistClock]:
    try:
        before = parse_instant("due_before", due_before) if due_before is not None else None
    except InvalidField as problem:
        raise InvalidFields([problem]) from None
    found = worklists.clocks(svc.db, list_scope(user, municipality, caseworker_id),
                             window(limit, offset), statuses=list(status or []),
                             due_before=before, rule_id=rule_id)
    return page(found, clock_row)
