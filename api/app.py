"""The FastAPI application factory. Nothing is built at import time."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from api import edge, openapi, problems, requests
from api.headers import SecurityHeaders
from api.limits import Limits
from api.routes import (
    access_log,
    admin,
    children,
    clocks,
    figures,
    health,
    metrics,
    notifications,
    overview,
    reference,
    users,
)
from api.schemas import answer_zone
from vaka import installed_version
from vaka.bootstrap import Services
from vaka.observe.journeys import JourneyCount
from vaka.runtime.temporal import connect

log = logging.getLogger("vaka.api")


def _docs(app: FastAPI) -> None:
    """Swagger UI from Vaka itself (the assets come with the fastapi-offline package), so
    the docs work on a network that reaches nothing outside."""
    import fastapi_offline
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title="Vaka API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png")


def create_app(services: Services) -> FastAPI:
    app = FastAPI(
        title="Vaka",
        version=installed_version(),
        description="Keeps watch over unaccompanied children's journeys: the case file, "
        "its clocks and who must be told. Every endpoint but /health needs a bearer token.",
        docs_url=None, redoc_url=None,
    )
    _docs(app)
    app.state.services = services
    problems.install(app)

    @app.middleware("http")
    async def _unexpected(request: Request, call_next):  # type: ignore[no-untyped-def]
        # Caught here, not re-raised: the server would log the message and traceback,
        # which could carry a child's data. Only the kind of error is logged.
        try:
            return await call_next(request)
        except Exception as exc:
            log.error("unexpected %s on %s %s", type(exc).__name__, request.method,
                      request.url.path)
            return problems.problem(500, "Internal error", "something went wrong on our side; "
                                    "nothing was recorded unless the history shows it")

    app.middleware("http")(edge.check_text)

    @app.middleware("http")
    async def _local_times(request: Request, call_next):  # type: ignore[no-untyped-def]
        answer_zone.set(services.policy.timezone)
        return await call_next(request)

    # Outside the routes' layers: the limits that come before any body is read, then
    # security headers on every answer, refusals included.
    app.add_middleware(Limits, services=services)
    app.add_middleware(SecurityHeaders)
    # Last added, so outermost: the request id is set before anything else runs or logs.
    requests.install(app)
    app.state.journeys = JourneyCount(lambda: connect(services.settings, wait=False))

    openapi.install(app)
    for router in (admin.router, health.router, children.router, clocks.router,
                   notifications.router, reference.router, users.router, overview.router,
                   figures.router, access_log.router, metrics.router):
        app.include_router(router)
    return app
