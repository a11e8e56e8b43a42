"""Bearer tokens and roles, as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from domain.facts import CORRECTIONS
from domain.state import CaseState
from vaka.bootstrap import Services
from vaka.users import User

_bearer = HTTPBearer(auto_error=False, description="A token from `vaka token`")


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(services)]


def current_user(
    svc: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise HTTPException(401, "a bearer token is required", headers=challenge)
    user = svc.users.by_token(credentials.credentials)
    if user is None:
        raise HTTPException(401, "the token is unknown or revoked", headers=challenge)
    return user


UserDep = Annotated[User, Depends(current_user)]


def require_recorder(user: UserDep) -> User:
    if user.role not in ("caseworker", "supervisor"):
        raise HTTPException(403, "only caseworkers and supervisors record events")
    return user


RecorderDep = Annotated[User, Depends(require_recorder)]


def check_may_record(user: User, event_type: str) -> None:
    """Caseworkers and supervisors record events; an admin may record a correction, to
    repair a case that an older version let a bad value into."""
    if user.role == "admin" and event_type in CORRECTIONS:
        return
    if user.role == "admin":
        raise HTTPException(403, "an admin records only corrections (Corrected, Retracted)")
    require_recorder(user)


def check_municipality(user: User, municipality: str) -> None:
    if user.role in ("admin", "auditor"):
        return
    if user.municipality != municipality:
        # 404, not 403: a caseworker must not learn which children exist elsewhere.
        from domain.errors import ChildNotFound

        raise ChildNotFound("no child with that id")


def can_see(user: User):  # type: ignore[no-untyped-def]
    def authorize(state: CaseState) -> None:
        check_municipality(user, state.municipality)

    return authorize


def scope_municipality(user: User, requested: str | None) -> str | None:
    """Which municipality a list may cover: the user's own unless admin or auditor."""
    if user.role in ("admin", "auditor"):
        return requested
    if requested and requested != user.municipality:
        raise HTTPException(403, "you can list only your own municipality")
    return user.municipality
