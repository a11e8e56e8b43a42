"""GET /metrics: Vaka's figures for Prometheus (vaka.observe.metrics).

Served to loopback callers that no proxy stands in front of, and otherwise only with the
bearer token of VAKA_METRICS_TOKEN or of an admin: the figures are no one's personal
data, but how many children are missing in a municipality is not for the internet.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api import problems
from vaka.bootstrap import Services
from vaka.observe.figures import read_figures
from vaka.observe.metrics import CONTENT_TYPE, Reading, exposition

router = APIRouter(tags=["operations"])
_PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def _loopback(request: Request) -> bool:
    if request.client is None or any(h in request.headers for h in _PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


def _token_allowed(services: Services, token: str) -> bool:
    wanted = services.settings.metrics_token
    if wanted and hmac.compare_digest(token.encode(), wanted.encode()):
        return True
    user = services.users.by_token(token)
    return user is not None and user.active and user.role == "admin"


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    services: Services = request.app.state.services
    if not _loopback(request):
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            refused = problems.problem(401, "Token required", "metrics are served to "
                                       "loopback, or with the metrics token or an admin's")
            refused.headers["WWW-Authenticate"] = "Bearer"
            return refused
        if not await run_in_threadpool(_token_allowed, services, token.strip()):
            return problems.problem(403, "Forbidden", "this token may not read the metrics")
    figures = await run_in_threadpool(read_figures, services.db, services.case_file)
    running = await request.app.state.journeys.running()
    body = await run_in_threadpool(exposition, Reading(figures, running))
    return Response(body, media_type=CONTENT_TYPE)
