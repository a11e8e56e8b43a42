"""Staff: the municipality's people and their caseloads. Whoever may (vaka.access)
deactivates someone here: a caseworker's children, clocks and open inbox items move to
another, the last head of unit leaves a successor. A deactivated person can be reactivated."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from domain.errors import DomainError, InvalidField, InvalidFields
from vaka.access import NotAllowed, check_may_manage_staff, list_scope, may_manage
from vaka.readside import worklists
from web.context import Posted, SignedIn, renderer, services
from web.errors import problems_of
from web.render import SignedInPage

router = APIRouter(include_in_schema=False)


def _staff(request: Request, page: SignedInPage, errors: dict[str, str] | None = None,
           moved: int | None = None, reactivated: bool = False, status: int = 200) -> Response:
    svc = services(request)
    check_may_manage_staff(page.user)
    scope = list_scope(page.user)
    load = {c.caseworker_id: c.children for c in worklists.caseload(svc.db, scope)}
    people = [u for u in svc.users.list()
              if scope.municipality is None or u.municipality == scope.municipality]
    manageable = {u.user_id for u in people if may_manage(page.user, u)}
    return renderer(request).render(page, "staff.html", status=status, people=people,
                                    load=load, errors=errors or {}, moved=moved,
                                    reactivated=reactivated, manageable=manageable)


@router.get("/personal")
def staff(request: Request, page: SignedIn, flyttade: int | None = None,
          aktiverad: bool = False) -> Response:
    return _staff(request, page, moved=flyttade, reactivated=aktiverad)


@router.post("/personal/{user_id}/avaktivera")
def deactivate(request: Request, page: Posted, user_id: str,
               reassign_to: Annotated[str, Form(max_length=100)] = "",
               successor: Annotated[str, Form(max_length=100)] = "") -> Response:
    try:
        done = services(request).casework.deactivate(page.user, user_id, reassign_to or None,
                                                     successor or None)
    except DomainError as exc:
        return _staff(request, page, problems_of(exc, page.lang), status=_status(exc))
    return RedirectResponse(f"/personal?flyttade={done.children}", status_code=303)


@router.post("/personal/{user_id}/aktivera")
def reactivate(request: Request, page: Posted, user_id: str) -> Response:
    try:
        services(request).casework.reactivate(page.user, user_id)
    except DomainError as exc:
        return _staff(request, page, problems_of(exc, page.lang), status=_status(exc))
    return RedirectResponse("/personal?aktiverad=1", status_code=303)


def _status(exc: DomainError) -> int:
    """Refused for who you are, for the fields given, or for how things stand."""
    if isinstance(exc, NotAllowed):
        return 403
    return 422 if isinstance(exc, (InvalidField, InvalidFields)) else 409
