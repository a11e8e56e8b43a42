"""Users: deactivating someone (a caseworker's children, clocks and inbox move to another;
the last head of unit leaves a successor), and reactivating them."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.auth import ServicesDep, UserDep
from api.schemas import Line
from vaka.users import User

router = APIRouter(prefix="/users", tags=["users"])

WHO = ("A supervisor deactivates and reactivates the caseworkers of its municipality, a head "
       "of unit its supervisors and caseworkers, an admin anyone but the last active admin. "
       "Nobody but an admin acts on themselves.")


class Deactivation(BaseModel):
    reassign_to: Line | None = Field(
        None, description="for a caseworker: another active caseworker of the same "
                          "municipality, who takes over their children and open items")
    successor: Line | None = Field(
        None, description="for the last active head of unit of a municipality: a supervisor "
                          "of that municipality who becomes head of unit")


class Reassigned(BaseModel):
    user_id: str
    reassigned_to: str | None = Field(description="who took over a caseworker's children")
    children: int


class UserView(BaseModel):
    user_id: str
    name: str
    role: str
    municipality: str | None = Field(description="the official name (SCB)")
    municipality_code: str | None = Field(description="the official four-digit code (SCB)")
    active: bool

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(user_id=user.user_id, name=user.name, role=user.role,
                   municipality=user.municipality, municipality_code=user.municipality_code,
                   active=user.active)


@router.post("/{user_id}/deactivate", response_model=Reassigned,
             summary="Deactivate a user; a caseworker's children and open items move on",
             description=WHO)
def deactivate(user_id: str, body: Deactivation, user: UserDep, svc: ServicesDep) -> Reassigned:
    done = svc.casework.deactivate(user, user_id, body.reassign_to, body.successor)
    return Reassigned(user_id=done.user_id, reassigned_to=done.reassigned_to,
                      children=done.children)


@router.post("/{user_id}/reactivate", response_model=UserView,
             summary="Reactivate a deactivated user; they need a new token to sign in",
             description=WHO)
def reactivate(user_id: str, user: UserDep, svc: ServicesDep) -> UserView:
    return UserView.of(svc.casework.reactivate(user, user_id))
