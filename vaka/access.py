"""Who may see and do what: roles by municipality. The API and the web pages both ask here.

A child of another municipality is answered as not found, so nobody learns which children
exist elsewhere. Admins and auditors read across municipalities; admins record nothing but
corrections (to repair a case).
"""

from __future__ import annotations

from domain.errors import ChildNotFound, DomainError
from domain.facts import CORRECTIONS
from vaka.readside.worklists import Scope
from vaka.users import User

RECORDERS = ("caseworker", "supervisor")
READ_ALL = ("admin", "auditor")
SUPERVISING = ("supervisor", "head_of_unit", "admin")


class NotAllowed(DomainError):
    title = "Not allowed"


def check_may_see(user: User, municipality: str) -> None:
    if user.role in READ_ALL:
        return
    if user.municipality != municipality:
        raise ChildNotFound("no child with that id")


def check_may_record(user: User, event_type: str) -> None:
    if user.role == "admin" and event_type in CORRECTIONS:
        return
    if user.role == "admin":
        raise NotAllowed("an admin records only corrections (Corrected, Retracted)")
    if user.role not in RECORDERS:
        raise NotAllowed("only caseworkers and supervisors record events")


def check_may_register(user: User, municipality: str) -> None:
    if user.role not in RECORDERS:
        raise NotAllowed("only caseworkers and supervisors record events")
    if user.municipality != municipality:
        raise NotAllowed("you can register children only in your own municipality")


def check_may_reassign(user: User) -> None:
    if user.role not in ("supervisor", "admin"):
        raise NotAllowed("only a supervisor or an admin reassigns")


def list_scope(user: User, municipality: str | None = None,
               caseworker_id: str | None = None) -> Scope:
    """What a list may cover: the user's own municipality unless admin or auditor."""
    if user.role in READ_ALL:
        return Scope(municipality, caseworker_id)
    if municipality and municipality != user.municipality:
        raise NotAllowed("you can list only your own municipality")
    return Scope(user.municipality, caseworker_id)
