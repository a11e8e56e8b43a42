"""Users: deactivating a caseworker hands their children, clocks and inbox to another."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from api.auth import ServicesDep, UserDep
from api.schemas import Line
from domain.entries import Actor

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
    leaving = svc.users.get(user_id)
    successor = svc.users.get(body.reassign_to)
    if user.role not in ("supervisor", "admin"):
        raise HTTPException(403, "only a supervisor or an admin reassigns")
    if leaving is None or (user.role == "supervisor" and leaving.municipality != user.municipality):
        raise HTTPException(404, "no such user in your municipality")
    if successor is None or successor.role != "caseworker" or not successor.active or \
            successor.municipality != leaving.municipality or successor.user_id == user_id:
        raise HTTPException(422, "reassign_to must be another active caseworker of the same "
                                 "municipality")
    with svc.db.transaction(readonly=True) as tx:
        rows = tx.execute("SELECT child_id FROM children WHERE caseworker_id = ?"
                          " AND stage NOT IN ('closed', 'departed')", (user_id,))
    actor = Actor(user.user_id, user.role)
    moved = 0
    for row in rows:
        # The case decides: a child reassigned meanwhile, or whose journey has ended, is
        # left as it is.
        case = svc.case_file.get_case(UUID(row["child_id"]))
        if case.state.caseworker_id != user_id or case.state.ended:
            continue
        svc.case_file.record(case.id, "CaseworkerAssigned", {"caseworker_id": successor.user_id},
                             actor, datetime.now(UTC),
                             reason="the previous caseworker was deactivated",
                             idempotency_key=f"reassign:{user_id}:{case.id}")
        moved += 1
    svc.users.deactivate(user_id)
    return Reassigned(user_id=user_id, reassigned_to=successor.user_id, children=moved)
