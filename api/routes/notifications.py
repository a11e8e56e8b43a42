"""The signed-in user's inbox, delivery status per channel, acknowledgement, preferences."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, HTTPException
from pydantic import AfterValidator, BaseModel, Field, HttpUrl

from api.auth import ServicesDep, UserDep
from api.listing import Limit, Offset
from api.schemas import DeliveryView, Line, NotificationView, Page
from domain.entries import Actor
from vaka.alerts import case_reference
from vaka.db import Tx, from_ts, ts
from vaka.users import User

router = APIRouter(tags=["notifications"])

ACKNOWLEDGEABLE = ("missed", "escalation")


def _views(tx: Tx, rows: list[dict]) -> list[NotificationView]:  # type: ignore[type-arg]
    ids = [r["notification_id"] for r in rows]
    deliveries: dict[str, list[DeliveryView]] = {i: [] for i in ids}
    if ids:
        marks = ", ".join("?" for _ in ids)
        for d in tx.execute(f"SELECT * FROM deliveries WHERE notification_id IN ({marks})"
                            " ORDER BY channel", ids):
            deliveries[d["notification_id"]].append(DeliveryView(
                channel=d["channel"], status=d["status"], attempts=d["attempts"],
                error=d["error"], delivered_at=from_ts(d["delivered_at"])))
    return [NotificationView(
        notification_id=r["notification_id"], child_id=r["child_id"],
        reference=case_reference(r["child_id"]), kind=r["kind"], urgent=bool(r["urgent"]),
        subject=r["subject"], body=r["body"], created_at=from_ts(r["created_at"]),
        read_at=from_ts(r["read_at"]), acknowledged_at=from_ts(r["acknowledged_at"]),
        clock_id=r["clock_id"], deliveries=deliveries[r["notification_id"]],
    ) for r in rows]


@router.get("/notifications", response_model=Page, summary="My notifications, newest first")
def inbox(user: UserDep, svc: ServicesDep, unread: bool = False,
          limit: Limit = 50, offset: Offset = 0) -> Page:
    sql = "SELECT * FROM notifications WHERE recipient_user_id = ?"
    if unread:
        sql += " AND read_at IS NULL"
    sql += " ORDER BY created_at DESC, event_seq DESC, notification_id LIMIT ? OFFSET ?"
    with svc.db.transaction(readonly=True) as tx:
        rows = tx.execute(sql, (user.user_id, limit + 1, offset))
        items = _views(tx, rows[:limit])
    return Page(items=items, limit=limit, offset=offset,
                next_offset=offset + limit if len(rows) > limit else None)


def _mine(svc: ServicesDep, user: UserDep, notification_id: str) -> NotificationView:
    with svc.db.transaction(readonly=True) as tx:
        rows = tx.execute("SELECT * FROM notifications WHERE notification_id = ?"
                          " AND recipient_user_id = ?", (notification_id, user.user_id))
        if not rows:
            raise HTTPException(404, "no such notification in your inbox")
        return _views(tx, rows)[0]


@router.post("/notifications/{notification_id}/read", response_model=NotificationView,
             summary="Mark a notification as read")
def mark_read(notification_id: str, user: UserDep, svc: ServicesDep) -> NotificationView:
    with svc.db.transaction() as tx:
        tx.execute("UPDATE notifications SET read_at = ? WHERE notification_id = ?"
                   " AND recipient_user_id = ? AND read_at IS NULL",
                   (ts(datetime.now(UTC)), notification_id, user.user_id))
    return _mine(svc, user, notification_id)


@router.post("/notifications/{notification_id}/acknowledge", response_model=NotificationView,
             summary="Take on a missed clock: its escalation stops repeating")
def acknowledge(notification_id: str, user: UserDep, svc: ServicesDep) -> NotificationView:
    note = _mine(svc, user, notification_id)
    if note.kind not in ACKNOWLEDGEABLE or note.clock_id is None:
        raise HTTPException(409, "only a missed clock or an escalation can be acknowledged")
    svc.case_file.record(
        UUID(note.child_id), "EscalationAcknowledged", {"clock_id": note.clock_id},
        Actor(user.user_id, user.role), datetime.now(UTC),
        idempotency_key=f"acknowledge:{note.clock_id}")
    now = ts(datetime.now(UTC))
    with svc.db.transaction() as tx:
        tx.execute("UPDATE notifications SET acknowledged_at = ?, read_at = COALESCE(read_at, ?)"
                   " WHERE notification_id = ?", (now, now, notification_id))
    return _mine(svc, user, notification_id)


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
    updated = svc.users.set_preferences(
        user.user_id, email_enabled=body.email, digest=body.digest,
        webhook_url=str(body.webhook_url) if body.webhook_url else None,
        webhook_secret=body.webhook_secret or user.webhook_secret)
    return _preferences(updated)


def _preferences(user: User) -> PreferencesView:
    return PreferencesView(email=user.email_enabled, digest=user.digest,
                           webhook_url=user.webhook_url,
                           webhook_secret_set=bool(user.webhook_secret))
