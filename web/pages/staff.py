"""Staff: the municipality's people and their caseloads; when a caseworker leaves, their
children, clocks and open inbox items move to another."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from domain.errors import DomainError
from vaka.access import check_may_reassign, list_scope
from vaka.readside import worklists
from web.context import Posted, SignedIn, renderer, services
from web.errors import problems_of
from web.render import SignedInPage

router = APIRouter(include_in_schema=False)


def _staff(request: Request, page: SignedInPage, errors: dict[str, str] | None = None,
           moved: int | None = None, status: int = 200) -> Response:
    svc = services(request)
    check_may_reassign(page.user)
    scope = list_scope(page.user)
    load = {c.caseworker_id: c.children for c in worklists.caseload(svc.db, scope)}
    people = [u for u in svc.users.list()
              if scope.municipality is None or u.municipality == scope.municipality]
    return renderer(request).render(page, "staff.html", status=status, people=people,
                                    load=load, errors=errors or {}, moved=moved)


@router.get("/personal")
def staff(request: Request, page: SignedIn, flyttade: int | None = None) -> Response:
    return _staff(request, page, moved=flyttade)


@router.post("/personal/{user_id}/avaktivera")
def deactivate(request: Request, page: Posted, user_id: str,
               reassign_to: Annotated[str, Form(max_length=100)] = "") -> Response:
    try:
        done = services(request).casework.deactivate(page.user, user_id, reassign_to)
    except DomainError as exc:
        return _staff(request, page, problems_of(exc, page.lang), status=422)
    return RedirectResponse(f"/personal?flyttade={done.children}", status_code=303)
