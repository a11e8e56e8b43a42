"""Every request gets an id (the caller's X-Request-ID when it is a plain token, else a
new one), returned in the response and present in every log line written while it runs;
one access line per request; and a trace span when tracing is on (vaka.observe.tracing).

What is logged and traced of a request is its method, its route template (never the path
with its values, nor the query string, which can hold a name searched for), the status
and the time it took.
"""

from __future__ import annotations

import logging
import time

from fastapi import FastAPI, Request
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.responses import Response

from vaka.observe.logs import new_request_id, request_id

HEADER = "X-Request-ID"
log = logging.getLogger("vaka.access")


def route_of(request: Request) -> str:
    """The template of the route that served the request, e.g. /children/{child_id}
    (known once routing has run); "other" for static files and paths that matched none."""
    return str(getattr(request.scope.get("route"), "path", None) or "other")


def install(app: FastAPI) -> None:
    tracer = trace.get_tracer("vaka.api")

    @app.middleware("http")
    async def _observed(request: Request, call_next):  # type: ignore[no-untyped-def]
        rid = new_request_id(request.headers.get(HEADER))
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            with tracer.start_as_current_span(
                    request.method, kind=SpanKind.SERVER,
                    context=propagate.extract(request.headers),
                    attributes={"http.request.method": request.method,
                                "vaka.request_id": rid}) as span:
                response: Response = await call_next(request)
                route = route_of(request)
                span.update_name(f"{request.method} {route}")
                span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", response.status_code)
                if response.status_code >= 500:
                    span.set_status(Status(StatusCode.ERROR))
            response.headers[HEADER] = rid
            log.info("%s %s %s %.1fms", request.method, route, response.status_code,
                     (time.perf_counter() - started) * 1000)
            return response
        finally:
            request_id.reset(token)
