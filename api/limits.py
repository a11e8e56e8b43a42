"""Limits before work: what a request must pass before Vaka reads or parses its body.

In this order, each before any body is read:
1. a declared body larger than the limit is refused (413) from its headers alone;
2. a write (POST, PUT, PATCH, DELETE) must come from someone Vaka knows: a live bearer
   token or a live web session (the sign-in form excepted), else 401 (a page: to sign-in);
3. each person's writes are rate limited (429 with Retry-After);
4. the body is then read, at most the limit and no more, and handed on whole. A body sent
   without a declared length (chunked) that grows past the limit is refused (413).

Written as plain ASGI, outside every other layer, so that nothing reads the body first:
FastAPI parses a body before it resolves the route's dependencies, the token included.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import RedirectResponse, Response

from api.problems import problem
from vaka.bootstrap import Services
from vaka.sessions import SESSION_COOKIE

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Writes anyone may send: signing in.
PUBLIC_WRITES = frozenset({"/logga-in"})


@dataclass
class Bucket:
    """A token bucket: `capacity` writes at once, refilled at `rate` writes a second."""

    capacity: float
    rate: float
    tokens: float = 0.0
    at: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.capacity

    def take(self, now: float) -> float:
        """0 if a write may go now, else the seconds until it may."""
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class WriteRates:
    """Per-person write buckets, in this process (each API process keeps its own)."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60
        self.burst = burst
        self.buckets: dict[str, Bucket] = {}

    def wait(self, who: str) -> float:
        if self.rate <= 0:
            return 0.0
        if len(self.buckets) > 10_000:  # forget the idle; a full bucket is the default
            self.buckets = {k: b for k, b in self.buckets.items() if b.tokens < b.capacity}
        bucket = self.buckets.setdefault(who, Bucket(self.burst, self.rate))
        return bucket.take(time.monotonic())


class Limits:
    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services
        settings = services.settings
        self.max_body = settings.max_request_bytes
        self.rates = WriteRates(settings.writes_per_minute, settings.write_burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _drain_nothing(refusal, scope, receive, send)
            return
        if scope["method"] not in WRITES and "content-length" not in headers \
                and "transfer-encoding" not in headers:
            await self.app(scope, receive, send)
            return
        body = await self._read(receive)
        if body is None:
            await _drain_nothing(self._too_large(), scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> Response | None:
        declared = headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > self.max_body:
            return self._too_large()
        if scope["method"] not in WRITES or scope["path"] in PUBLIC_WRITES:
            return None
        who = self._who(headers)
        if who is None:
            if "text/html" in headers.get("accept", ""):
                return RedirectResponse("/logga-in", status_code=303)
            refused = problem(401, "Unauthorized", "a live bearer token or a signed-in "
                              "session is required")
            refused.headers["WWW-Authenticate"] = "Bearer"
            return refused
        wait = self.rates.wait(who)
        if wait > 0:
            slowed = problem(429, "Too many writes", "too many writes from one person; "
                             f"try again in {math.ceil(wait)} s")
            slowed.headers["Retry-After"] = str(math.ceil(wait))
            return slowed
        return None

    def _who(self, headers: dict[str, str]) -> str | None:
        """The user behind a write, from the token or the session cookie; None if unknown."""
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            user = self.services.users.by_token(token.strip())
            return user.user_id if user else None
        cookie = _cookie(headers.get("cookie", ""), SESSION_COOKIE)
        if cookie:
            session = self.services.sessions.find(cookie)
            return session.user.user_id if session else None
        return None

    def _too_large(self) -> Response:
        return problem(413, "Request too large",
                       f"the request body may be at most {self.max_body} bytes")

    async def _read(self, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it grows past the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # what follows the body: the client leaving

    return replayed


async def _drain_nothing(response: Response, scope: Scope, receive: Receive,
                         send: Send) -> None:
    """Answer without reading the body; the server closes the connection if one is left."""
    response.headers["Connection"] = "close"
    await response(scope, receive, send)


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None
