"""Administration: events the followers set aside, and asking for a retry."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from web.context import Posted, SignedIn, renderer, services
from web.render import Page

router = APIRouter(include_in_schema=False)
FOLLOWERS = ("projector", "notifier", "relay")


def _admin(page: Page) -> None:
    if page.user is None or page.user.role != "admin":
        raise HTTPException(403, "only an admin sees quarantined events")


@router.get("/admin/karantan")
def quarantine(request: Request, page: SignedIn) -> Response:
    _admin(page)
    items = services(request).quarantine().list(limit=200)
    return renderer(request).render(page, "quarantine.html", items=items)


@router.post("/admin/karantan/{follower}/{position}/forsok-igen")
def retry(request: Request, page: Posted, follower: str, position: int) -> Response:
    _admin(page)
    if follower not in FOLLOWERS:
        raise HTTPException(404, "no such follower")
    services(request).quarantine().request_retry(follower, position, page.user.user_id)
    return RedirectResponse("/admin/karantan", status_code=303)
