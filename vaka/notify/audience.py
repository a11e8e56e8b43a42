"""Who is told: the people around one child by role, with the channels each chose."""

from __future__ import annotations

from dataclasses import dataclass

from domain.state import CaseState
from vaka.users import User, UserDirectory


@dataclass(frozen=True)
class Recipient:
    key: str  # "user:<id>" or "contact:<seq>:<email>"
    label: str  # role, e.g. "caseworker", "god_man"
    user_id: str | None
    email: str | None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    digest: bool = False  # non-urgent e-mail waits for the daily digest


def recipient_for(user: User, label: str) -> Recipient:
    """A user as a recipient, with the channels they chose."""
    return Recipient(f"user:{user.user_id}", label, user.user_id,
                     user.email if user.email_enabled else None, user.webhook_url,
                     user.webhook_secret, user.digest)


class Audience:
    """The people around one child, by role, resolved once per alert."""

    def __init__(self, state: CaseState, directory: UserDirectory) -> None:
        self.state = state
        self._directory = directory
        caseworker = directory.get(state.caseworker_id) if state.caseworker_id else None
        self._supervisors = directory.supervisors_of(state.municipality)
        self._heads = directory.with_role(state.municipality, "head_of_unit")
        self._caseworker = [caseworker] if caseworker and caseworker.active else []

    @staticmethod
    def _users(users: list[User], label: str) -> list[Recipient]:
        return [recipient_for(u, label) for u in users]

    def heads_of_unit(self) -> list[Recipient]:
        return self._users(self._heads, "head_of_unit") or self.supervisors()

    def caseworker(self) -> list[Recipient]:
        """The case owner; while the case has none, the supervisors stand in."""
        return self._users(self._caseworker, "caseworker") or self.supervisors()

    def supervisors_in(self, municipalities: tuple[str, ...]) -> list[Recipient]:
        """The supervisors of every municipality an event concerns (a hand-over); those
        of the case's own municipality are among them."""
        return [recipient_for(u, "supervisor") for m in municipalities
                for u in self._directory.supervisors_of(m)]

    def supervisors(self) -> list[Recipient]:
        return self._users(self._supervisors, "supervisor")

    def contacts(self, *roles: str) -> list[Recipient]:
        return [Recipient(f"contact:{c.added_seq}:{c.email}", c.role, None, c.email)
                for c in self.state.recipients_contacts()
                if c.email and (not roles or c.role in roles)]

    def everyone(self) -> list[Recipient]:
        return self.caseworker() + self.supervisors() + self.contacts()

    def owner(self, role: str) -> list[Recipient]:
        if role == "supervisor":
            return self.supervisors()
        if role == "god_man":
            return self.contacts("god_man", "special_custodian") + self.caseworker()
        return self.caseworker()
