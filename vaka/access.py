"""Who may see and do what: roles by municipality. The API and the web pages both ask here.

A child of another municipality is answered as not found, so nobody learns which children
exist elsewhere. Admins and auditors read across municipalities; admins record nothing but
corrections (to repair a case).
"""

from __future__ import annotations

from domain.errors import ChildNotFound, DomainError
from domain.facts import CORRECTIONS
from domain.municipalities import official_name
from vaka.readside.worklists import Scope
from vaka.users import User

RECORDERS = ("caseworker", "supervisor")
READ_ALL = ("admin", "auditor")
SUPERVISING = ("supervisor", "head_of_unit", "admin")


class NotAllowed(DomainError):
    title = "Not allowed"


class NoSuchItem(NotAllowed):
    title = "Not found"


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
    """Whether a child may be registered in a municipality by this user: a new
    registration, or one a correction makes read so (an admin repairs any)."""
    if user.role == "admin":
        return
    if user.municipality != municipality:
        raise NotAllowed("you can register children only in your own municipality")


# Whom each role deactivates and reactivates, within its own municipality (an admin: anyone).
MANAGES = {"supervisor": ("caseworker",), "head_of_unit": ("caseworker", "supervisor")}


def check_may_manage_staff(user: User) -> None:
    if user.role not in ("supervisor", "head_of_unit", "admin"):
        raise NotAllowed("only a supervisor, a head of unit or an admin manages staff")


def may_manage(user: User, other: User) -> bool:
    """Whether `user` may deactivate or reactivate `other` (the staff page asks too)."""
    if user.role == "admin":
        return True
    return other.user_id != user.user_id and other.municipality == user.municipality and \
        other.role in MANAGES.get(user.role, ())


def check_may_manage(user: User, other: User | None) -> User:
    """Refuses unless `user` may deactivate or reactivate `other`: a supervisor its
    municipality's caseworkers, a head of unit its supervisors and caseworkers, an admin
    anyone. Nobody but an admin acts on themselves; someone of another municipality is
    answered as not found."""
    check_may_manage_staff(user)
    if other is None or (user.role != "admin" and other.municipality != user.municipality):
        raise NoSuchItem("no such user in your municipality")
    if not may_manage(user, other):
        if other.user_id == user.user_id:
            raise NotAllowed("you cannot deactivate or reactivate yourself")
        if user.role == "supervisor":
            raise NotAllowed("a supervisor deactivates and reactivates only the caseworkers "
                             "of its municipality")
        raise NotAllowed("a head of unit deactivates and reactivates only the supervisors and "
                         "caseworkers of its municipality")
    return other


def check_may_audit(user: User) -> None:
    """The access log is the auditor's alone: not even an admin reads who read what."""
    if user.role != "auditor":
        raise NotAllowed("only an auditor reads the access log")


def list_scope(user: User, municipality: str | None = None,
               caseworker_id: str | None = None) -> Scope:
    """What a list may cover: the user's own municipality unless admin or auditor."""
    if municipality:
        municipality = official_name("municipality", municipality)
    if user.role in READ_ALL:
        return Scope(municipality, caseworker_id)
    if municipality and municipality != user.municipality:
        raise NotAllowed("you can list only your own municipality")
    return Scope(user.municipality, caseworker_id)
