"""Health checks: no token needed, no data shown."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health", summary="The API process is up")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health/ready", summary="The API can reach its stores")
def ready(svc: ServicesDep) -> dict[str, str]:
    with svc.db.transaction(readonly=True) as tx:
        tx.execute("SELECT 1 AS ok")
    svc.case_file.recorder.max_notification_id()
    return {"status": "ready"}
