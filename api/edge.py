"""What every request must pass before a route sees it: the text of its path and query.

Body fields are checked where they are parsed (domain.fields for events, the `Line` type
for request schemas); the same rule (domain.text) applies everywhere.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.responses import Response

from api.problems import problem
from domain.text import LINE, BadText, TextKind, clean_text, safe_label

_PATH = TextKind(multiline=False, max_length=2000)


def text_problems(request: Request) -> list[dict[str, str]]:
    found = []
    try:
        clean_text(request.url.path or "/", _PATH)
    except BadText as bad:
        found.append({"field": "path", "problem": str(bad)})
    for name, value in request.query_params.multi_items():
        label = safe_label(name)
        try:
            clean_text(name, LINE)
            if value:
                clean_text(value, LINE)
        except BadText as bad:
            found.append({"field": label, "problem": str(bad)})
    return found


async def check_text(request: Request,
                     call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    found = text_problems(request)
    if found:
        detail = "; ".join(f"{e['field']}: {e['problem']}" for e in found)
        return problem(422, "Invalid request", detail, errors=found)
    return await call_next(request)
