"""The signed-in user's inbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.auth import ServicesDep, UserDep
from api.schemas import NotificationView, Page
from vaka.alerts import case_reference
from vaka.db import from_ts, ts

router = APIRouter(prefix="/notifications", tags=["notifications"])


def _view(row: dict) -> NotificationView:  # type: ignore[type-arg]
    return NotificationView(
        notification_id=row["notification_id"], child_id=row["child_id"],
        reference=case_reference(row["child_id"]), kind=row["kind"], urgent=bool(row["urgent"]),
        subject=row["subject"], body=row["body"], created_at=from_ts(row["created_at"]),
        read_at=from_ts(row["read_at"]), email_status=row["email_status"],
    )


@router.get("", response_model=Page, summary="My notifications, newest first")
def inbox(user: UserDep, svc: ServicesDep, unread: bool = False,
          limit: Annotated[int, Query(ge=1, le=500)] = 50,
          offset: Annotated[int, Query(ge=0)] = 0) -> Page:
    sql = "SELECT * FROM notifications WHERE recipient_user_id = ?"
    if unread:
        sql += " AND read_at IS NULL"
    sql += " ORDER BY created_at DESC, event_seq DESC, notification_id LIMIT ? OFFSET ?"
    with svc.db.transaction(readonly=True) as tx:
        rows = tx.execute(sql, (user.user_id, limit + 1, offset))
    return Page(items=[_view(r) for r in rows[:limit]], limit=limit, offset=offset,
                next_offset=offset + limit if len(rows) > limit else None)


@router.post("/{notification_id}/read", response_model=NotificationView,
             summary="Mark a notification as read")
def mark_read(notification_id: str, user: UserDep, svc: ServicesDep) -> NotificationView:
    with svc.db.transaction() as tx:
        tx.execute(
            "UPDATE notifications SET read_at = ? WHERE notification_id = ?"
            " AND recipient_user_id = ? AND read_at IS NULL",
            (ts(datetime.now(UTC)), notification_id, user.user_id))
        row = tx.one("SELECT * FROM notifications WHERE notification_id = ?"
                     " AND recipient_user_id = ?", (notification_id, user.user_id))
    if row is None:
        raise HTTPException(404, "no such notification in your inbox")
    return _view(row)
