"""Who is looking: the session cookie, the language, and the CSRF check of every form."""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Form, HTTPException, Request

from vaka.bootstrap import Services
from vaka.i18n import language
from vaka.sessions import SESSION_COOKIE, Session
from web.render import Page, Renderer, SignedInPage

LANG_COOKIE = "vaka_lang"
LOGIN_CSRF_COOKIE = "vaka_login_csrf"


class SignInRequired(Exception):
    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def renderer(request: Request) -> Renderer:
    return request.app.state.renderer  # type: ignore[no-any-return]


def _session(request: Request) -> Session | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 100:
        return None
    return services(request).sessions.find(token)


def page_of(request: Request, session: Session | None) -> Page:
    svc = services(request)
    return Page(request, session.user if session else None,
                language(request.cookies.get(LANG_COOKIE)),
                session.csrf if session else None, svc.policy.timezone, datetime.now(UTC))


def any_page(request: Request) -> Page:
    """A page anyone may see (sign-in); knows the user if there is one."""
    return page_of(request, _session(request))


def signed_in(request: Request) -> SignedInPage:
    session = _session(request)
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(quote(target, safe="/?=&-"))
    return SignedInPage(request, session.user, language(request.cookies.get(LANG_COOKIE)),
                        session.csrf, services(request).policy.timezone, datetime.now(UTC))


AnyPage = Annotated[Page, Depends(any_page)]
SignedIn = Annotated[SignedInPage, Depends(signed_in)]


def checked(page: SignedIn, csrf: Annotated[str, Form(max_length=200)] = "") -> SignedInPage:
    """A form post of a signed-in user, with the CSRF token of their session."""
    if not page.csrf or not hmac.compare_digest(csrf.encode(), page.csrf.encode()):
        raise HTTPException(403, "the form has expired or did not come from Vaka; reload it")
    return page


Posted = Annotated[SignedInPage, Depends(checked)]


def new_login_token() -> str:
    return secrets.token_urlsafe(24)
