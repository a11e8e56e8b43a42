"""The inbox: my notifications, newest first; mark read, and take on a missed clock."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from domain.errors import DomainError
from vaka.readside import inbox as inbox_rows
from vaka.readside.paging import Window
from web.context import Posted, SignedIn, renderer, services
from web.errors import problems_of

router = APIRouter(include_in_schema=False)


@router.get("/inkorg")
def inbox(request: Request, page: SignedIn, unread: bool = False,
          offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
          error: str | None = None) -> Response:
    found = inbox_rows.inbox(services(request).db, page.user.user_id,
                             Window(50, offset), unread)
    return renderer(request).render(page, "inbox.html", found=found, unread=unread,
                                    error=error)


@router.post("/inkorg/{notification_id}/last")
def mark_read(request: Request, page: Posted, notification_id: str) -> Response:
    services(request).casework.mark_read(page.user, notification_id)
    return RedirectResponse("/inkorg", status_code=303)


@router.post("/inkorg/{notification_id}/kvittera")
def acknowledge(request: Request, page: Posted, notification_id: str) -> Response:
    try:
        services(request).casework.acknowledge(page.user, notification_id)
    except DomainError as exc:
        message = next(iter(problems_of(exc, page.lang).values()))
        return renderer(request).render(page, "error.html", status=409,
                                        title=message, detail="")
    return RedirectResponse("/inkorg", status_code=303)
