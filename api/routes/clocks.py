"""The supervisor's worklist: clocks across the municipality, by due instant."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.auth import ServicesDep, UserDep
from api.listing import Limit, Offset, clock_row, page, scoped
from api.schemas import Page
from domain.fields import parse_instant
from vaka.db import ts

router = APIRouter(prefix="/clocks", tags=["clocks"])

Status = Literal["open", "met", "cancelled", "missed"]


@router.get("", response_model=Page, summary="Clocks across children, ordered by due instant")
def list_clocks(
    user: UserDep, svc: ServicesDep,
    status: Annotated[list[Status] | None, Query(description="repeat for several")] = None,
    due_before: str | None = Query(None, description="ISO 8601 with a UTC offset"),
    rule_id: str | None = None,
    municipality: str | None = None,
    caseworker_id: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page:
    where, params = scoped(user, municipality, caseworker_id)
    if status:
        where.append("status IN (" + ", ".join("?" for _ in status) + ")")
        params.extend(status)
    if due_before is not None:
        where.append("due < ?")
        params.append(ts(parse_instant("due_before", due_before)))
    if rule_id:
        where.append("rule_id = ?")
        params.append(rule_id)
    sql = "SELECT * FROM clocks"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY due, child_id, clock_id LIMIT ? OFFSET ?"
    with svc.db.transaction(readonly=True) as tx:
        rows = tx.execute(sql, (*params, limit + 1, offset))
    return page(rows, limit, offset, clock_row)
