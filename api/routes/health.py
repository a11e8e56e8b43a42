"""Health checks: no token needed, no data shown."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.auth import ServicesDep
from vaka.runtime.readiness import Readiness

router = APIRouter(tags=["health"])


@router.get("/health", summary="The API process is up")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health/live", summary="The API process is up (liveness: nothing else tried)")
def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health/ready", summary="Each dependency's state; 503 when a required one is down",
            responses={503: {"description": "A required dependency (the database) is down"}})
async def ready(request: Request, svc: ServicesDep) -> JSONResponse:
    """`database` (required: the case file and read models, with each follower's position
    and lag behind the last event), `temporal` and, when configured, `smtp`. Status
    `ready`, `degraded` (an optional dependency is down: entries are still recorded) or
    `unavailable` (503)."""
    readiness = getattr(request.app.state, "readiness", None)
    if readiness is None:  # one per app: it keeps its Temporal client between probes
        readiness = request.app.state.readiness = Readiness(svc)
    is_ready, report = await readiness.report()
    body: dict[str, Any] = report
    return JSONResponse(body, status_code=200 if is_ready else 503)
