"""The municipality's figures for a date range, as JSON or CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.auth import ServicesDep, UserDep
from domain.errors import InvalidField, InvalidFields
from domain.fields import parse_date, parse_instant
from domain.timing import local_midnight
from vaka.access import list_scope
from vaka.readside.figures import figures as compute

router = APIRouter(tags=["overview"])


def _instant(value: str, name: str, tz: ZoneInfo) -> datetime:
    """A date means 00:00 in the policy's time zone, where the municipality is."""
    if len(value) == 10:
        return local_midnight(parse_date(name, value), tz)
    return parse_instant(name, value)


@router.get("/figures", summary="Clocks met on time by rule, time to police report, children "
            "missing and ageing out per month", response_model=None)
def figures(user: UserDep, svc: ServicesDep,
            from_: str = Query(alias="from", description="start, inclusive (YYYY-MM-DD)"),
            to: str = Query(description="end, exclusive (YYYY-MM-DD)"),
            format: Literal["json", "csv"] = "json",
            municipality: str | None = None) -> Response | dict:  # type: ignore[type-arg]
    tz = svc.policy.timezone
    try:
        start, end = _instant(from_, "from", tz), _instant(to, "to", tz)
    except InvalidField as problem:
        raise InvalidFields([problem]) from None
    if end <= start:
        raise InvalidFields([InvalidField("to", "must be after from")])
    scope = list_scope(user, municipality)
    result = compute(svc.db, scope.municipality, start, end, tz)
    if format == "json":
        return result.as_json()
    svc.casework.access_log.record(user, "export", subject="figures")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "key", "measure", "value"])
    writer.writerows(result.as_rows())
    name = f"vaka-figures-{start.date()}-{end.date()}.csv"
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
