"""The supervisor's overview, which keeps itself current, and the figures with charts."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from domain.errors import InvalidField
from domain.fields import parse_date
from domain.timing import local_midnight
from vaka.access import list_scope
from vaka.readside import worklists
from vaka.readside.figures import figures as compute
from vaka.readside.paging import Window
from web.context import SignedIn, renderer, services
from web.render import Page, SignedInPage

router = APIRouter(include_in_schema=False)
SOON = timedelta(hours=48)


def _overview(request: Request, page: SignedInPage) -> dict[str, Any]:
    svc = services(request)
    db = svc.db
    scope = list_scope(page.user)
    now = datetime.now(UTC)
    missed = worklists.clocks(db, scope, Window(20), statuses=["missed"], deadlines_only=True)
    missing = worklists.missing(db, scope, Window(50))
    birthdays = worklists.birthdays(db, scope, Window(20), now, now + timedelta(days=90))
    shown = [r.child_id for r in missed.items] + [r.child_id for r in missing.items] + [
        r.child_id for r in birthdays.items]
    return {
        "per_caseworker": worklists.missed_and_due_soon(db, scope, now, now + SOON),
        "missed": missed, "missing": missing, "birthdays": birthdays,
        "stages": worklists.stages(db, scope), "caseload": worklists.caseload(db, scope),
        "cards": svc.casework.cards(page.user, shown), "updated_at": now,
    }


@router.get("/oversikt")
def overview(request: Request, page: SignedIn) -> Response:
    return renderer(request).render(page, "overview.html", **_overview(request, page))


@router.get("/oversikt/innehall")
def overview_content(request: Request, page: SignedIn) -> Response:
    """The overview's content alone, fetched by the page every few seconds."""
    response = renderer(request).render(page, "_overview_content.html",
                                        **_overview(request, page))
    response.headers["Cache-Control"] = "no-store"
    return response


def _range(page: Page, start: str | None, end: str | None) -> tuple[date, date, str | None]:
    today = page.now.astimezone(page.tz).date()
    try:
        first = parse_date("from", start) if start else today.replace(month=1, day=1)
        last = parse_date("to", end) if end else today + timedelta(days=1)
    except InvalidField as problem:
        return today.replace(month=1, day=1), today + timedelta(days=1), problem.problem
    if last <= first:
        return first, first + timedelta(days=1), "the end must come after the start"
    return first, last, None


@router.get("/statistik")
def figures(request: Request, page: SignedIn,
            start: Annotated[str | None, Query(alias="fran", max_length=10)] = None,
            end: Annotated[str | None, Query(alias="till", max_length=10)] = None) -> Response:
    first, last, problem = _range(page, start, end)
    scope = list_scope(page.user)
    result = compute(services(request).db, scope.municipality, local_midnight(first, page.tz),
                     local_midnight(last, page.tz), page.tz)
    return renderer(request).render(page, "figures.html", result=result, first=first,
                                    last=last, problem=problem)


@router.get("/statistik.csv")
def figures_csv(request: Request, page: SignedIn,
                start: Annotated[str | None, Query(alias="fran", max_length=10)] = None,
                end: Annotated[str | None, Query(alias="till", max_length=10)] = None
                ) -> Response:
    first, last, _ = _range(page, start, end)
    scope = list_scope(page.user)
    result = compute(services(request).db, scope.municipality, local_midnight(first, page.tz),
                     local_midnight(last, page.tz), page.tz)
    services(request).casework.access_log.record(page.user, "export", subject="figures")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "key", "measure", "value"])
    writer.writerows(result.as_rows())
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="vaka-statistik-{first}-{last}.csv"'})
