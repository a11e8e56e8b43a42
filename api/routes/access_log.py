"""The access log, for auditors: who read which child's data, when and why; and its export
as CSV, which is itself logged."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from api.auth import ServicesDep, UserDep
from api.listing import Limit, Offset, page, window
from api.schemas import LocalTime, Page
from vaka.auditing import Auditing, access_query, csv_lines
from vaka.readside.access_log import Access, AccessQuery

router = APIRouter(prefix="/access-log", tags=["access log"])


class AccessEntry(BaseModel):
    """One read of a child's personal data. Ids and references only."""

    at: LocalTime
    user_id: str
    role: str
    purpose: str = Field(description="the purpose of the reader's role, e.g. granskning")
    kind: str = Field(description="child, history, police_pack, search, list or export")
    child_id: str | None
    reference: str | None
    subject: str | None = Field(description="what an export held: figures or access_log")

    @classmethod
    def of(cls, entry: Access) -> AccessEntry:
        return cls(at=entry.at, user_id=entry.user_id, role=entry.role, purpose=entry.purpose,
                   kind=entry.kind, child_id=entry.child_id, reference=entry.reference,
                   subject=entry.subject)


def _filter(svc: ServicesDep,
            child: Annotated[str | None, Query(max_length=100, description=(
                "a case reference (VK-1A2B3C4D) or a child id"))] = None,
            user_id: Annotated[str | None, Query(max_length=100)] = None,
            from_: Annotated[str | None, Query(alias="from", max_length=10, description=(
                "first day, included (YYYY-MM-DD, the municipality's time zone)"))] = None,
            to: Annotated[str | None, Query(max_length=10, description=(
                "last day, included (YYYY-MM-DD)"))] = None) -> AccessQuery:
    return access_query(svc.policy.timezone, child, user_id, from_, to)


Filter = Annotated[AccessQuery, Depends(_filter)]


@router.get("", response_model=Page[AccessEntry],
            summary="Reads of children's personal data, newest first (auditors only)")
def entries(user: UserDep, svc: ServicesDep, query: Filter, limit: Limit = 100,
            offset: Offset = 0) -> Page[AccessEntry]:
    return page(Auditing(svc.db).entries(user, query, window(limit, offset)), AccessEntry.of)


@router.get("/export", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}}},
            summary="The access log as CSV (auditors only); the export is itself logged")
def export(user: UserDep, svc: ServicesDep, query: Filter) -> StreamingResponse:
    found = Auditing(svc.db).export(user, query)
    return StreamingResponse(
        csv_lines(found, svc.policy.timezone), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="vaka-access-log.csv"'})
