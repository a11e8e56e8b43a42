"""The supervisor's views: where every child stands and what is slipping. Answered from
the read models' indexes, filtered by municipality and caseworker, paged and ordered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from api.auth import ServicesDep, UserDep
from api.listing import Limit, Offset, clock_row, page, scoped
from api.schemas import Page
from vaka.alerts import case_reference
from vaka.db import from_ts, ts

router = APIRouter(prefix="/overview", tags=["overview"])

WithinHours = Annotated[int, Query(ge=1, le=24 * 90, description="due-soon horizon")]


@router.get("/clocks", response_model=Page,
            summary="Missed or due-soon deadlines, most urgent first")
def clocks(user: UserDep, svc: ServicesDep, view: Literal["missed", "due_soon"] = "missed",
           within_hours: WithinHours = 48, municipality: str | None = None,
           caseworker_id: str | None = None, limit: Limit = 100, offset: Offset = 0) -> Page:
    where, params = scoped(user, municipality, caseworker_id)
    where.append("kind = 'deadline'")
    if view == "missed":
        where.append("status = 'missed'")
    else:
        now = datetime.now(UTC)
        where += ["status = 'open'", "due < ?"]
        params.append(ts(now + timedelta(hours=within_hours)))
    sql = ("SELECT * FROM clocks WHERE " + " AND ".join(where)
           + " ORDER BY due, child_id, clock_id LIMIT ? OFFSET ?")
    with svc.db.transaction(readonly=True) as tx:
        rows = tx.execute(sql, (*params, limit + 1, offset))
    return page(rows, limit, offset, clock_row)


@router.get("/clocks/summary", summary="Missed and due-soon deadlines per caseworker, and total")
def clocks_summary(user: UserDep, svc: ServicesDep, within_hours: WithinHours = 48,
                   municipality: str | None = None,
                   caseworker_id: str | None = None) -> dict[str, Any]:
    where, params = scoped(user, municipality, caseworker_id)
    where += ["kind = 'deadline'", "status IN ('missed', 'open')"]
    soon = ts(datetime.now(UTC) + timedelta(hours=within_hours))
    sql = ("SELECT caseworker_id, SUM(CASE WHEN status = 'missed' THEN 1 ELSE 0 END) AS missed,"
           " SUM(CASE WHEN status = 'open' AND due < ? THEN 1 ELSE 0 END) AS due_soon"
           " FROM clocks WHERE " + " AND ".join(where)
           + " GROUP BY caseworker_id ORDER BY missed DESC, due_soon DESC, caseworker_id")
    with svc.db.transaction(readonly=True) as tx:
        rows = tx.execute(sql, (soon, *params))
    per = [{"caseworker_id": r["caseworker_id"], "missed": int(r["missed"] or 0),
            "due_soon": int(r["due_soon"] or 0)} for r in rows]
    return {"per_caseworker": per,
            "total": {"missed": sum(p["missed"] for p in per),
                      "due_soon": sum(p["due_soon"] for p in per)}}


@router.get("/missing", response_model=Page, summary="Missing children, longest missing first")
def missing(user: UserDep, svc: ServicesDep, municipality: str | None = None,
            caseworker_id: str | None = None, limit: Limit = 100, offset: Offset = 0) -> Page:
    where, params = scoped(user, municipality, caseworker_id)
    where.append("missing_since IS NOT NULL")
    sql = ("SELECT * FROM children WHERE " + " AND ".join(where)
           + " ORDER BY missing_since, child_id LIMIT ? OFFSET ?")
    with svc.db.transaction(readonly=True) as tx:
        rows = tx.execute(sql, (*params, limit + 1, offset))
    now = datetime.now(UTC)

    def shape(r: dict) -> dict[str, Any]:  # type: ignore[type-arg]
        since = from_ts(r["missing_since"])
        return {"child_id": r["child_id"], "reference": case_reference(r["child_id"]),
                "last_seen_at": since, "caseworker_id": r["caseworker_id"],
                "hours_since_last_seen": round((now - since).total_seconds() / 3600, 1),
                "police_report_filed": bool(r["police_report_filed"])}

    return page(rows, limit, offset, shape)


@router.get("/birthdays", response_model=Page, summary="18th birthdays ahead, soonest first")
def birthdays(user: UserDep, svc: ServicesDep,
              days: Annotated[int, Query(ge=1, le=366)] = 90, municipality: str | None = None,
              caseworker_id: str | None = None, limit: Limit = 100, offset: Offset = 0) -> Page:
    where, params = scoped(user, municipality, caseworker_id)
    now = datetime.now(UTC)
    where += ["turns_18_at >= ?", "turns_18_at < ?"]
    params += [ts(now), ts(now + timedelta(days=days))]
    sql = ("SELECT * FROM children WHERE " + " AND ".join(where)
           + " ORDER BY turns_18_at, child_id LIMIT ? OFFSET ?")
    with svc.db.transaction(readonly=True) as tx:
        rows = tx.execute(sql, (*params, limit + 1, offset))
    return page(rows, limit, offset, lambda r: {
        "child_id": r["child_id"], "reference": case_reference(r["child_id"]),
        "turns_18_at": from_ts(r["turns_18_at"]), "stage": r["stage"],
        "caseworker_id": r["caseworker_id"]})


@router.get("/stages", summary="Children by stage")
def stages(user: UserDep, svc: ServicesDep, municipality: str | None = None,
           caseworker_id: str | None = None) -> list[dict[str, Any]]:
    where, params = scoped(user, municipality, caseworker_id)
    sql = ("SELECT stage, COUNT(*) AS children FROM children"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " GROUP BY stage ORDER BY stage")
    with svc.db.transaction(readonly=True) as tx:
        return [{"stage": r["stage"], "children": int(r["children"])}
                for r in tx.execute(sql, params)]


@router.get("/caseload", summary="Open cases per caseworker")
def caseload(user: UserDep, svc: ServicesDep, municipality: str | None = None,
             caseworker_id: str | None = None) -> list[dict[str, Any]]:
    where, params = scoped(user, municipality, caseworker_id)
    where.append("stage NOT IN ('closed', 'departed')")
    sql = ("SELECT caseworker_id, COUNT(*) AS children FROM children WHERE "
           + " AND ".join(where) + " GROUP BY caseworker_id ORDER BY children DESC, caseworker_id")
    with svc.db.transaction(readonly=True) as tx:
        return [{"caseworker_id": r["caseworker_id"], "children": int(r["children"])}
                for r in tx.execute(sql, params)]
