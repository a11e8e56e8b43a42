"""The supervisor's worklist: clocks across the municipality, by due instant."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.auth import ServicesDep, UserDep, scope_municipality
from api.schemas import Page, WorklistClock
from vaka.alerts import case_reference
from vaka.db import from_ts, ts

router = APIRouter(prefix="/clocks", tags=["clocks"])

Status = Literal["open", "met", "cancelled", "missed"]


@router.get("", response_model=Page, summary="Clocks across children, ordered by due instant")
def list_clocks(
    user: UserDep, svc: ServicesDep,
    status: Annotated[list[Status] | None, Query(description="repeat for several")] = None,
    due_before: datetime | None = None,
    rule_id: str | None = None,
    municipality: str | None = None,
    caseworker_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page:
    scope = scope_municipality(user, municipality)
    where, params = [], []
    if scope:
        where.append("municipality = ?")
        params.append(scope)
    if status:
        where.append("status IN (" + ", ".join("?" for _ in status) + ")")
        params.extend(status)
    if due_before is not None:
        if due_before.tzinfo is None:
            from domain.errors import InvalidField, InvalidFields

            raise InvalidFields([InvalidField("due_before", "must carry a UTC offset")])
        where.append("due < ?")
        params.append(ts(due_before))
    if rule_id:
        where.append("rule_id = ?")
        params.append(rule_id)
    if caseworker_id:
        where.append("caseworker_id = ?")
        params.append(caseworker_id)
    sql = "SELECT * FROM clocks"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY due, child_id, clock_id LIMIT ? OFFSET ?"
    with svc.db.transaction(readonly=True) as tx:
        rows = tx.execute(sql, (*params, limit + 1, offset))
    items = [
        WorklistClock(
            child_id=r["child_id"], reference=case_reference(r["child_id"]),
            clock_id=r["clock_id"], rule_id=r["rule_id"], due=from_ts(r["due"]),
            status=r["status"], owner=r["owner"], municipality=r["municipality"],
            caseworker_id=r["caseworker_id"], policy_version=r["policy_version"],
        )
        for r in rows[:limit]
    ]
    return Page(items=items, limit=limit, offset=offset,
                next_offset=offset + limit if len(rows) > limit else None)
