"""Security headers on every answer: what a browser may load, frame and send on.

The pages load nothing but Vaka's own files (no inline script or style), so the content
security policy allows only 'self'. Swagger UI at /docs starts itself with an inline
script; that one page allows it.
"""

from __future__ import annotations

from api.limits import ASGIApp, Message, Receive, Scope, Send

_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
           "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
           "object-src 'none'")
_DOCS_POLICY = _POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = (_DOCS_POLICY if scope["path"] == "/docs" else _POLICY).encode()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in {h for h, _ in _ALWAYS}]
                message["headers"] = [*headers, *_ALWAYS,
                                      (b"content-security-policy", policy)]
            await send(message)

        await self.app(scope, receive, with_headers)
