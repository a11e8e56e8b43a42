"""Signing in and out, and choosing the language."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.context import (
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    AnyPage,
    Posted,
    new_login_token,
    renderer,
    services,
)

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of Vaka itself: never an address elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _secure(request: Request) -> bool:
    return services(request).settings.public_url.startswith("https://")


@router.get("/logga-in")
def sign_in_form(request: Request, page: AnyPage, next: str | None = None) -> Response:
    if page.user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    token = new_login_token()
    response = renderer(request).render(page, "sign_in.html", next=_safe_next(next),
                                        login_csrf=token, failed=False)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=_secure(request), max_age=3600, path="/logga-in")
    return response


@router.post("/logga-in")
def sign_in(request: Request, page: AnyPage,
            email: Annotated[str, Form(max_length=320)] = "",
            password: Annotated[str, Form(max_length=1000)] = "",
            login_csrf: Annotated[str, Form(max_length=100)] = "",
            next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    session = None
    if expected and hmac.compare_digest(expected.encode(), login_csrf.encode()):
        session = services(request).sessions.sign_in(email, password)
    if session is None:
        token = new_login_token()
        response = renderer(request).render(page, "sign_in.html", status=401,
                                            next=_safe_next(next), login_csrf=token,
                                            failed=True, email=email)
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=_secure(request), max_age=3600, path="/logga-in")
        return response
    done: Response = RedirectResponse(_safe_next(next), status_code=303)
    done.set_cookie(SESSION_COOKIE, session.token, httponly=True, samesite="lax",
                        secure=_secure(request), path="/",
                        max_age=int((session.expires_at - page.now).total_seconds()))
    done.delete_cookie(LOGIN_CSRF_COOKIE, path="/logga-in")
    return done


@router.post("/logga-ut")
def sign_out(request: Request, page: Posted) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        services(request).sessions.sign_out(token)
    response = RedirectResponse("/logga-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/sprak/{lang}")
def choose_language(request: Request, lang: str, next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, "en" if lang == "en" else "sv", samesite="lax",
                        secure=_secure(request), max_age=365 * 24 * 3600, path="/")
    return response
