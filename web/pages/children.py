"""The caseworker's pages: my children, finding a child, registering one, the child's page
and the police information pack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from domain.entries import effective
from domain.errors import DomainError
from domain.risk import risk_summary
from domain.schema import event_spec
from vaka.readside.paging import Window
from web.context import Posted, SignedIn, renderer, services
from web.errors import problems_of
from web.forms import FormProblems, fields_of, read
from web.render import SignedInPage
from web.timeline import timeline

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/mina-barn")
def my_children(request: Request, page: SignedIn, offset: Annotated[int, Query(ge=0)] = 0
                ) -> Response:
    found = services(request).casework.find_children(page.user, None, Window(PAGE, offset),
                                                     mine=True)
    return renderer(request).render(page, "my_children.html", found=found)


@router.get("/barn")
def find_child(request: Request, page: SignedIn,
               q: Annotated[str, Query(max_length=200)] = "",
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    found = services(request).casework.find_children(page.user, q, Window(PAGE, offset))
    return renderer(request).render(page, "find_child.html", found=found, q=q)


def _caseworkers(request: Request, municipality: str | None) -> list[tuple[str, str]]:
    users = services(request).users.with_role(municipality or "", "caseworker")
    return [(u.user_id, u.name) for u in users]


@router.get("/barn/ny")
def register_form(request: Request, page: SignedIn) -> Response:
    return _register_page(request, page, {"arrived_at": page.now, "date_of_birth_basis":
                                          "stated"}, {})


def _register_page(request: Request, page: SignedInPage, values: dict[str, Any],
                   errors: dict[str, str], status: int = 200) -> Response:
    spec = event_spec("Registered")
    form = [f for f in fields_of(spec, values, errors) if f.name != "municipality"]
    return renderer(request).render(
        page, "register.html", status=status, form=form, errors=errors,
        caseworkers=_caseworkers(request, page.user.municipality),
        chosen=values.get("caseworker_id") or page.user.user_id)


@router.post("/barn/ny")
async def register(request: Request, page: Posted) -> Response:
    svc = services(request)
    form = await request.form()
    spec = event_spec("Registered")
    try:
        fields = read(spec, {**form, "municipality": page.user.municipality}, page.tz)
        chosen = str(form.get("caseworker_id") or "") or None
        result = svc.casework.register(
            page.user, fields, idempotency_key=str(form.get("idempotency_key") or "") or None,
            caseworker_id=chosen)
    except (DomainError, FormProblems) as exc:
        values = {k: v for k, v in form.items() if k != "csrf"}
        return _register_page(request, page, values, problems_of(exc, page.lang), 422)
    return RedirectResponse(f"/barn/{result.child_id}?registrerad=1", status_code=303)


@router.get("/barn/{child_id}")
def child_page(request: Request, page: SignedIn, child_id: UUID,
               registrerad: str | None = None) -> Response:
    svc = services(request)
    file = svc.casework.child(page.user, child_id)
    entries = file.case.entries
    ids = {e.actor.user_id for e in entries} | {
        e.fact.caseworker_id for e in entries if e.event_type == "CaseworkerAssigned"}
    people = {uid: (u.name if (u := svc.users.get(uid)) else None) for uid in ids}
    state = file.state
    return renderer(request).render(
        page, "child.html", file=file, state=state,
        registration=effective(entries)[0].fact,
        clocks=sorted(file.clocks, key=lambda c: (c.status not in ("missed", "open"), c.due)),
        risk=risk_summary(state.risk_factors, state.risk_flags, file.clocks),
        timeline=timeline(entries, people), people=people, registered=registrerad is not None,
        hours_missing=_hours_since(state.missing.last_seen_at) if state.missing else None)


def _hours_since(instant: datetime) -> int:
    return int((datetime.now(UTC) - instant) / timedelta(hours=1))


@router.get("/barn/{child_id}/polisinformation")
def police_pack(request: Request, page: SignedIn, child_id: UUID) -> Response:
    svc = services(request)
    pack = svc.casework.police_pack(page.user, child_id)
    return renderer(request).render(page, "police_pack.html", pack=pack,
                                    pack_fields=[f.name for f in
                                                 event_spec("PolicePackUpdated").fields],
                                    hours_missing=_hours_since(pack.last_seen.at)
                                    if pack.last_seen else None)


