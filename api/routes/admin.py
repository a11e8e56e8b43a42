"""Administration: events the followers set aside (quarantine), and asking to retry them."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path
from pydantic import BaseModel, Field

from api.auth import ServicesDep, UserDep
from api.listing import Limit, Offset
from api.schemas import LocalTime, Page
from domain.references import case_reference
from vaka.followers.quarantine import Quarantined
from vaka.users import User

router = APIRouter(prefix="/admin", tags=["admin"])

Follower = Literal["projector", "notifier", "relay", "tally"]
Status = Literal["quarantined", "retry", "resolved"]


def require_admin(user: UserDep) -> User:
    if user.role != "admin":
        raise HTTPException(403, "only an admin sees quarantined events")
    return user


AdminDep = Annotated[User, Depends(require_admin)]


class QuarantinedView(BaseModel):
    follower: str = Field(description="projector, notifier, relay or tally")
    position: int = Field(description="the event's place in the case file's log")
    child_id: str
    reference: str
    entry: int = Field(description="the entry of the child's case file")
    event_type: str | None
    error: str = Field(description="the kind of error; never its message, which may carry data")
    location: str | None = Field(description="where in Vaka's code it arose")
    status: Status
    attempts: int
    quarantined_at: LocalTime
    retry_requested_at: LocalTime | None
    resolved_at: LocalTime | None

    @classmethod
    def of(cls, item: Quarantined) -> QuarantinedView:
        return cls(follower=item.follower, position=item.position, child_id=item.child_id,
                   reference=case_reference(item.child_id), entry=item.version,
                   event_type=item.event_type, error=item.error, location=item.location,
                   status=item.status,  # type: ignore[arg-type]
                   attempts=item.attempts, quarantined_at=item.quarantined_at,
                   retry_requested_at=item.retry_requested_at, resolved_at=item.resolved_at)


@router.get("/quarantine", response_model=Page,
            summary="Events a follower could not apply and set aside, newest first")
def list_quarantined(admin: AdminDep, svc: ServicesDep, status: Status | None = None,
                     limit: Limit = 100, offset: Offset = 0) -> Page:
    items = svc.quarantine().list(status, limit + 1, offset)
    return Page(items=[QuarantinedView.of(i) for i in items[:limit]], limit=limit,
                offset=offset, next_offset=offset + limit if len(items) > limit else None)


@router.post("/quarantine/{follower}/{position}/retry", status_code=202,
             response_model=QuarantinedView,
             summary="Ask the follower to apply a quarantined event again, once")
def retry(follower: Follower, position: Annotated[int, Path(ge=1, le=2**62)], admin: AdminDep,
          svc: ServicesDep) -> QuarantinedView:
    item = svc.quarantine().request_retry(follower, position, admin.user_id)
    if item is None:
        raise HTTPException(404, "no such quarantined event")
    return QuarantinedView.of(item)
