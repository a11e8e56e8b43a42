"""RFC 9457 problem responses: one table from domain errors to HTTP.

Details name fields and rules, never the submitted values: those may be a child's data.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from domain import errors
from domain.text import safe_label
from vaka.access import NoSuchItem, NotAllowed
from vaka.readside.access_log import ReadNotLogged

PROBLEM = "application/problem+json"


class FieldProblem(BaseModel):
    field: str = Field(description="the field, parameter or header at fault")
    problem: str = Field(description="what is wrong with it; never the value sent")


class Problem(BaseModel):
    """An RFC 9457 problem: every refusal of the API has this shape."""

    type: str = Field(description="always about:blank: the status says the kind")
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = Field(
        None, description="for 422: each field at fault, so all can be fixed at once")

STATUS: dict[type[errors.DomainError], int] = {
    errors.InvalidField: 422,
    errors.InvalidFields: 422,
    errors.UnknownEventType: 422,
    errors.OccurredInFuture: 422,
    errors.NotAChild: 422,
    errors.IdempotencyKeyReused: 422,
    errors.ChildNotFound: 404,
    errors.TransitionRefused: 409,
    errors.VersionConflict: 409,
    errors.UnreadableEntry: 500,
    NoSuchItem: 404,
    NotAllowed: 403,
    ReadNotLogged: 503,
}


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _status_of(exc: errors.DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]  # type: ignore[index]
    return 400


def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.DomainError)
    extra: dict[str, Any] = {}
    if isinstance(exc, errors.InvalidFields):
        extra["errors"] = [{"field": p.field, "problem": p.problem} for p in exc.problems]
    elif isinstance(exc, errors.InvalidField):
        extra["errors"] = [{"field": exc.field, "problem": exc.problem}]
    elif isinstance(exc, errors.UnknownEventType):
        extra["errors"] = [{"field": "type", "problem": exc.detail}]
    return problem(_status_of(exc), exc.title, exc.detail, **extra)


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    found = [
        {"field": safe_label(".".join(str(p) for p in _where(err["loc"])) or "body"),
         "problem": err["msg"].removeprefix("Value error, ")}
        for err in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['problem']}" for e in found)
    return problem(422, "Invalid request", detail, errors=found)


def _where(loc: tuple[object, ...]) -> tuple[object, ...]:
    """The parameter's own name: 'offset', not 'query.offset'."""
    return loc[1:] if loc and loc[0] in ("body", "query", "path", "header", "cookie") else loc


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    response = problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


_TITLES = {401: "Not signed in", 403: "Not allowed", 404: "Not found", 405: "Method not allowed"}


def install(app: FastAPI) -> None:
    app.add_exception_handler(errors.DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
