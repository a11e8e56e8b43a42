"""The one application Vaka serves: the API and, beside it, the web pages."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from api.app import create_app as create_api
from domain.errors import ChildNotFound, DomainError
from vaka.bootstrap import Services
from vaka.readside.access_log import ReadNotLogged
from web.context import SignInRequired, any_page, signed_in
from web.pages import access_log, admin, children, events, inbox, overview, signin, staff
from web.render import Page, Renderer

HOME = {"caseworker": "/mina-barn", "supervisor": "/oversikt", "head_of_unit": "/oversikt",
        "admin": "/admin/karantan", "auditor": "/granskning"}
PAGES = (signin.router, children.router, events.router, inbox.router, overview.router,
         staff.router, admin.router, access_log.router)


def create_app(services: Services) -> FastAPI:
    app = create_api(services)
    app.state.renderer = Renderer(services.policy.timezone)
    app.mount("/static", StaticFiles(packages=[("web", "static")]), name="static")
    for router in PAGES:
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        page = any_page(request)
        if page.user is None:
            return RedirectResponse("/logga-in", status_code=303)
        return RedirectResponse(HOME.get(page.user.role, "/barn"), status_code=303)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        return RedirectResponse(f"/logga-in?next={exc.next_url}", status_code=303)

    _page_errors(app)
    return app


def _page_errors(app: FastAPI) -> None:
    """Refusals on a page are shown as a page; the API keeps its problem+json."""
    api_handler = app.exception_handlers.get(DomainError)
    http_handler = app.exception_handlers.get(HTTPException)

    def is_page(request: Request) -> bool:
        return "text/html" in request.headers.get("accept", "") and \
            not request.url.path.startswith("/docs")

    async def on_domain_error(request: Request, exc: Exception) -> Response:
        if not is_page(request) or api_handler is None:
            return await _call(api_handler, request, exc)
        status = 404 if isinstance(exc, ChildNotFound) else \
            503 if isinstance(exc, ReadNotLogged) else 409
        return _error_page(request, exc, status)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        if not is_page(request) or http_handler is None:
            return await _call(http_handler, request, exc)
        assert isinstance(exc, HTTPException)
        return _error_page(request, exc, exc.status_code)

    app.exception_handlers[DomainError] = on_domain_error
    app.exception_handlers[HTTPException] = on_http_error


async def _call(handler, request: Request, exc: Exception) -> Response:  # type: ignore[no-untyped-def]
    result = handler(request, exc)
    if hasattr(result, "__await__"):
        result = await result
    return result  # type: ignore[no-any-return]


def _error_page(request: Request, exc: Exception, status: int) -> Response:
    from vaka.i18n import gettext
    from web.errors import problems_of

    page: Page
    try:
        page = signed_in(request)
    except SignInRequired:
        page = any_page(request)
    titles = {404: "Not found", 403: "Not allowed", 409: "Not possible now",
              503: "Not available now"}
    detail = str(getattr(exc, "detail", ""))
    if isinstance(exc, DomainError):
        detail = next(iter(problems_of(exc, page.lang).values()), exc.detail)
        return request.app.state.renderer.render(
            page, "error.html", status=status,
            title=gettext(page.lang, titles.get(status, "Something went wrong")), detail=detail)
    return request.app.state.renderer.render(
        page, "error.html", status=status,
        title=gettext(page.lang, titles.get(status, "Something went wrong")),
        detail=gettext(page.lang, detail))
