"""Who is asking: bearer tokens as FastAPI dependencies. What they may do is vaka.access."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

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
        raise HTTPException(401, "the token is unknown, expired or revoked: ask an admin "
                            "for a new one", headers=challenge)
    return user


UserDep = Annotated[User, Depends(current_user)]
