"""The signed-in user's inbox, delivery status per channel, acknowledgement, preferences."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException
from pydantic import AfterValidator, BaseModel, Field, HttpUrl

from api.auth import ServicesDep, UserDep
from api.listing import Limit, Offset, page, window
from api.schemas import DeliveryView, Line, NotificationView, Page
from domain.references import case_reference
from vaka.notify.webhook_targets import RefusedTarget, check_registration
from vaka.readside import inbox
from vaka.users import User

router = APIRouter(tags=["notifications"])


def _view(n: inbox.Notification) -> NotificationView:
    return NotificationView(
        notification_id=n.notification_id, child_id=n.child_id,
        reference=case_reference(n.child_id), kind=n.kind, urgent=n.urgent, subject=n.subject,
        body=n.body, created_at=n.created_at, read_at=n.read_at,
        acknowledged_at=n.acknowledged_at, clock_id=n.clock_id,
        deliveries=[DeliveryView(channel=d.channel, status=d.status, attempts=d.attempts,
                                 error=d.error, delivered_at=d.delivered_at)
                    for d in n.deliveries])


@router.get("/notifications", response_model=Page[NotificationView],
            summary="My notifications, newest first")
def list_inbox(user: UserDep, svc: ServicesDep, unread: bool = False, limit: Limit = 50,
               offset: Offset = 0) -> Page[NotificationView]:
    return page(inbox.inbox(svc.db, user.user_id, window(limit, offset), unread), _view)


@router.post("/notifications/{notification_id}/read", response_model=NotificationView,
             summary="Mark a notification as read")
def mark_read(notification_id: str, user: UserDep, svc: ServicesDep) -> NotificationView:
    return _view(svc.casework.mark_read(user, notification_id))


@router.post("/notifications/{notification_id}/acknowledge", response_model=NotificationView,
             summary="Take on a missed clock: its escalation stops repeating")
def acknowledge(notification_id: str, user: UserDep, svc: ServicesDep) -> NotificationView:
    return _view(svc.casework.acknowledge(user, notification_id))


MAX_URL = 2000  # as stored: an address with non-ASCII characters grows when encoded


def _storable_url(url: HttpUrl | None) -> HttpUrl | None:
    if url is not None and len(str(url)) > MAX_URL:
        raise ValueError(f"must be at most {MAX_URL} characters once encoded")
    return url


class Preferences(BaseModel):
    email: bool = Field(True, description="also by e-mail, when Vaka has a mail server")
    digest: bool = Field(False, description="non-urgent e-mail once a day; urgent never waits")
    webhook_url: Annotated[HttpUrl | None, AfterValidator(_storable_url)] = None
    webhook_secret: Line | None = Field(None, min_length=16, max_length=200,
                                        description="HMAC-SHA256 key for Vaka-Signature")


class PreferencesView(BaseModel):
    email: bool
    digest: bool
    webhook_url: str | None = None
    webhook_secret_set: bool = Field(description="a secret is kept; it is never shown")


@router.get("/me/preferences", response_model=PreferencesView, summary="My channels")
def get_preferences(user: UserDep) -> PreferencesView:
    return _preferences(user)


@router.put("/me/preferences", response_model=PreferencesView, summary="Choose my channels")
def set_preferences(body: Preferences, user: UserDep, svc: ServicesDep) -> PreferencesView:
    if body.webhook_url is not None and not body.webhook_secret and not user.webhook_secret:
        raise HTTPException(422, "a webhook needs a webhook_secret to sign with")
    if body.webhook_url is not None:
        try:
            check_registration(str(body.webhook_url), svc.settings.webhook_allow_private)
        except RefusedTarget as refused:
            raise HTTPException(422, str(refused)) from None
    updated = svc.users.set_preferences(
        user.user_id, email_enabled=body.email, digest=body.digest,
        webhook_url=str(body.webhook_url) if body.webhook_url else None,
        webhook_secret=body.webhook_secret or user.webhook_secret)
    return _preferences(updated)


def _preferences(user: User) -> PreferencesView:
    return PreferencesView(email=user.email_enabled, digest=user.digest,
                           webhook_url=user.webhook_url,
                           webhook_secret_set=bool(user.webhook_secret))
