"""Users: deactivating a caseworker hands their children, clocks and inbox to another."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.auth import ServicesDep, UserDep
from api.schemas import Line

router = APIRouter(prefix="/users", tags=["users"])


class Deactivation(BaseModel):
    reassign_to: Line


class Reassigned(BaseModel):
    user_id: str
    reassigned_to: str
    children: int


@router.post("/{user_id}/deactivate", response_model=Reassigned,
             summary="Deactivate a caseworker; their children and open items move on")
def deactivate(user_id: str, body: Deactivation, user: UserDep, svc: ServicesDep) -> Reassigned:
    done = svc.casework.deactivate(user, user_id, body.reassign_to)
    return Reassigned(user_id=done.user_id, reassigned_to=done.reassigned_to,
                      children=done.children)
