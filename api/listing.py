"""What list endpoints share: the municipality scope, paging, and a clock row's shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query

from api.auth import scope_municipality
from api.schemas import Page, WorklistClock
from vaka.alerts import case_reference
from vaka.db import from_ts
from vaka.users import User

MAX_OFFSET = 1_000_000
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def scoped(user: User, municipality: str | None,
           caseworker_id: str | None) -> tuple[list[str], list[Any]]:
    """WHERE terms limiting rows to what the user may see, and to one caseworker."""
    scope = scope_municipality(user, municipality)
    where: list[str] = []
    params: list[Any] = []
    if scope:
        where.append("municipality = ?")
        params.append(scope)
    if caseworker_id:
        where.append("caseworker_id = ?")
        params.append(caseworker_id)
    return where, params


def page(rows: list[dict[str, Any]], limit: int, offset: int,
         shape: Callable[[dict[str, Any]], Any]) -> Page:
    """Rows fetched with LIMIT limit + 1: the extra one says whether there is more."""
    return Page(items=[shape(r) for r in rows[:limit]], limit=limit, offset=offset,
                next_offset=offset + limit if len(rows) > limit else None)


def clock_row(r: dict[str, Any]) -> WorklistClock:
    return WorklistClock(
        child_id=r["child_id"], reference=case_reference(r["child_id"]),
        clock_id=r["clock_id"], rule_id=r["rule_id"], due=from_ts(r["due"]),
        status=r["status"], owner=r["owner"], municipality=r["municipality"],
        caseworker_id=r["caseworker_id"], policy_version=r["policy_version"])
