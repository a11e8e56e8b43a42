"""The auditor's page: who read which child's data, when and why, filtered and paged, with
times in the municipality's zone; and the export as CSV, itself logged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from domain.errors import DomainError
from vaka.access import NotAllowed, check_may_audit
from vaka.auditing import Auditing, access_query, csv_lines
from vaka.i18n import N_, gettext
from vaka.readside.access_log import Access, AccessQuery
from vaka.readside.paging import Slice, Window
from web.context import SignedIn, renderer, services
from web.errors import problems_of
from web.render import SignedInPage

router = APIRouter(include_in_schema=False)
PAGE = 100

KINDS = {"child": N_("Read the child's case"), "history": N_("Read the history"),
         "police_pack": N_("Read the police information pack"),
         "search": N_("Found in a search"), "list": N_("Shown in a list"),
         "export": N_("Exported")}
SUBJECTS = {"figures": N_("the figures"), "access_log": N_("the access log")}

Text = Annotated[str, Query(max_length=100)]
Day = Annotated[str, Query(max_length=10)]


@dataclass(frozen=True)
class Row:
    at: str
    at_iso: str
    who: str
    role: str
    purpose: str
    what: str
    child_id: str | None
    reference: str | None


def _auditor(page: SignedInPage) -> None:
    try:
        check_may_audit(page.user)
    except NotAllowed:
        raise HTTPException(403, "only an auditor reads the access log") from None


def _rows(request: Request, page: SignedInPage, found: Slice[Access]) -> list[Row]:
    users = {u.user_id: u.name for u in services(request).users.list()}
    rows = []
    for e in found.items:
        local = e.at.astimezone(page.tz)
        what = gettext(page.lang, KINDS.get(e.kind, e.kind))
        if e.subject:
            what += ": " + gettext(page.lang, SUBJECTS.get(e.subject, e.subject))
        rows.append(Row(local.strftime("%Y-%m-%d %H:%M:%S"), local.isoformat(),
                        users.get(e.user_id, e.user_id), e.role, e.purpose, what,
                        e.child_id, e.reference))
    return rows


@router.get("/granskning")
def access_log(request: Request, page: SignedIn, barn: Text = "", anvandare: Text = "",
               fran: Day = "", till: Day = "",
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    _auditor(page)
    svc = services(request)
    errors: dict[str, str] = {}
    try:
        query = access_query(page.tz, barn, anvandare, fran, till)
    except DomainError as exc:
        errors, query = problems_of(exc, page.lang), AccessQuery()
    found = Auditing(svc.db).entries(page.user, query, Window(PAGE, offset)) if not errors \
        else Window(PAGE).slice([])
    return renderer(request).render(
        page, "access_log.html", status=422 if errors else 200, found=found,
        rows=_rows(request, page, found), errors=errors,
        people=sorted(svc.users.list(), key=lambda u: u.name.casefold()),
        chosen={"barn": barn, "anvandare": anvandare, "fran": fran, "till": till})


@router.get("/granskning.csv")
def access_log_csv(request: Request, page: SignedIn, barn: Text = "", anvandare: Text = "",
                   fran: Day = "", till: Day = "") -> Response:
    _auditor(page)
    query = access_query(page.tz, barn, anvandare, fran, till)
    found = Auditing(services(request).db).export(page.user, query)
    return StreamingResponse(
        csv_lines(found, page.tz), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="vaka-atkomstlogg.csv"'})
