"""The supervisor's views: where every child stands and what is slipping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.auth import ServicesDep, UserDep
from api.listing import Limit, Offset, clock_row, page, window
from api.schemas import LocalTime, Page, WorklistClock
from domain.references import case_reference
from vaka.access import list_scope
from vaka.readside import worklists

router = APIRouter(prefix="/overview", tags=["overview"])

WithinHours = Annotated[int, Query(ge=1, le=24 * 90, description="due-soon horizon")]


class CaseworkerClocks(BaseModel):
    caseworker_id: str | None
    caseworker_name: str | None
    missed: int
    due_soon: int


class ClocksTotal(BaseModel):
    missed: int
    due_soon: int


class ClocksSummary(BaseModel):
    per_caseworker: list[CaseworkerClocks]
    total: ClocksTotal


class MissingChild(BaseModel):
    child_id: str
    reference: str
    last_seen_at: LocalTime
    hours_since_last_seen: float
    caseworker_id: str | None
    caseworker_name: str | None
    police_report_filed: bool


class Birthday(BaseModel):
    child_id: str
    reference: str
    turns_18_at: LocalTime
    stage: str
    caseworker_id: str | None
    caseworker_name: str | None


class StageCount(BaseModel):
    stage: str
    children: int


class Caseload(BaseModel):
    caseworker_id: str | None
    caseworker_name: str | None
    children: int


@router.get("/clocks", response_model=Page[WorklistClock],
            summary="Missed or due-soon deadlines, most urgent first")
def clocks(user: UserDep, svc: ServicesDep, view: Literal["missed", "due_soon"] = "missed",
           within_hours: WithinHours = 48, municipality: str | None = None,
           caseworker_id: str | None = None, limit: Limit = 100, offset: Offset = 0
           ) -> Page[WorklistClock]:
    scope = list_scope(user, municipality, caseworker_id)
    if view == "missed":
        found = worklists.clocks(svc.db, scope, window(limit, offset), statuses=["missed"],
                                 deadlines_only=True)
    else:
        soon = datetime.now(UTC) + timedelta(hours=within_hours)
        found = worklists.clocks(svc.db, scope, window(limit, offset), statuses=["open"],
                                 due_before=soon, deadlines_only=True)
    return page(found, clock_row)


@router.get("/clocks/summary", response_model=ClocksSummary,
            summary="Missed and due-soon deadlines per caseworker, and total")
def clocks_summary(user: UserDep, svc: ServicesDep, within_hours: WithinHours = 48,
                   municipality: str | None = None,
                   caseworker_id: str | None = None) -> ClocksSummary:
    now = datetime.now(UTC)
    rows = worklists.missed_and_due_soon(svc.db, list_scope(user, municipality, caseworker_id),
                                         now, now + timedelta(hours=within_hours))
    per = [CaseworkerClocks(caseworker_id=r.caseworker_id, caseworker_name=r.caseworker_name,
                            missed=r.missed, due_soon=r.due_soon) for r in rows]
    return ClocksSummary(per_caseworker=per, total=ClocksTotal(
        missed=sum(p.missed for p in per), due_soon=sum(p.due_soon for p in per)))


@router.get("/missing", response_model=Page[MissingChild],
            summary="Missing children, longest missing first")
def missing(user: UserDep, svc: ServicesDep, municipality: str | None = None,
            caseworker_id: str | None = None, limit: Limit = 100, offset: Offset = 0
            ) -> Page[MissingChild]:
    now = datetime.now(UTC)
    found = worklists.missing(svc.db, list_scope(user, municipality, caseworker_id),
                              window(limit, offset))
    return page(found, lambda r: MissingChild(
        child_id=r.child_id, reference=case_reference(r.child_id), last_seen_at=r.last_seen_at,
        hours_since_last_seen=round((now - r.last_seen_at).total_seconds() / 3600, 1),
        caseworker_id=r.caseworker_id, caseworker_name=r.caseworker_name,
        police_report_filed=r.police_report_filed))


@router.get("/birthdays", response_model=Page[Birthday],
            summary="18th birthdays ahead, soonest first")
def birthdays(user: UserDep, svc: ServicesDep,
              days: Annotated[int, Query(ge=1, le=366)] = 90, municipality: str | None = None,
              caseworker_id: str | None = None, limit: Limit = 100, offset: Offset = 0
              ) -> Page[Birthday]:
    now = datetime.now(UTC)
    found = worklists.birthdays(svc.db, list_scope(user, municipality, caseworker_id),
                                window(limit, offset), now, now + timedelta(days=days))
    return page(found, lambda r: Birthday(
        child_id=r.child_id, reference=case_reference(r.child_id), turns_18_at=r.turns_18_at,
        stage=r.stage, caseworker_id=r.caseworker_id, caseworker_name=r.caseworker_name))


@router.get("/stages", response_model=list[StageCount], summary="Children by stage")
def stages(user: UserDep, svc: ServicesDep, municipality: str | None = None,
           caseworker_id: str | None = None) -> list[StageCount]:
    return [StageCount(stage=stage, children=n) for stage, n in
            worklists.stages(svc.db, list_scope(user, municipality, caseworker_id))]


@router.get("/caseload", response_model=list[Caseload], summary="Open cases per caseworker")
def caseload(user: UserDep, svc: ServicesDep, municipality: str | None = None,
             caseworker_id: str | None = None) -> list[Caseload]:
    return [Caseload(caseworker_id=r.caseworker_id, caseworker_name=r.caseworker_name,
                     children=r.children)
            for r in worklists.caseload(svc.db, list_scope(user, municipality, caseworker_id))]
