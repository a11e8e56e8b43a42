"""The municipality's figures for a date range, as JSON or CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.auth import ServicesDep, UserDep, scope_municipality
from domain.errors import InvalidField, InvalidFields
from domain.timing import local_midnight
from vaka.figures import figures as compute

router = APIRouter(tags=["overview"])


def _instant(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidFields([InvalidField(name, "must be a date (YYYY-MM-DD) or an ISO "
                                                "8601 date-time")]) from None
    if len(value) == 10:  # a date: from 00:00 in Stockholm, where the municipality is
        parsed = local_midnight(parsed.date())
    if parsed.tzinfo is None:
        raise InvalidFields([InvalidField(name, "must carry a UTC offset")])
    return parsed


@router.get("/figures", summary="Clocks met on time by rule, time to police report, children "
            "missing and ageing out per month", response_model=None)
def figures(user: UserDep, svc: ServicesDep,
            from_: str = Query(alias="from", description="start, inclusive (YYYY-MM-DD)"),
            to: str = Query(description="end, exclusive (YYYY-MM-DD)"),
            format: Literal["json", "csv"] = "json",
            municipality: str | None = None) -> Response | dict:  # type: ignore[type-arg]
    start, end = _instant(from_, "from"), _instant(to, "to")
    if end <= start:
        raise InvalidFields([InvalidField("to", "must be after from")])
    result = compute(svc.db, scope_municipality(user, municipality), start, end)
    if format == "json":
        return result.as_json()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "key", "measure", "value"])
    writer.writerows(result.as_rows())
    name = f"vaka-figures-{start.date()}-{end.date()}.csv"
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
