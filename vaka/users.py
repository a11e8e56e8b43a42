"""Users and bearer tokens. Tokens are random and stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from vaka.readside.db import Database, ts

ROLES = ("caseworker", "supervisor", "head_of_unit", "auditor", "admin")
MUNICIPAL_ROLES = ("caseworker", "supervisor", "head_of_unit")


@dataclass(frozen=True)
class User:
    user_id: str
    name: str
    email: str | None
    role: str
    municipality: str | None
    active: bool = True
    email_enabled: bool = True
    webhook_url: str | None = None
    webhook_secret: str | None = None
    digest: bool = False


class UserError(ValueError):
    pass


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: dict) -> User:  # type: ignore[type-arg]
    return User(row["user_id"], row["name"], row["email"], row["role"], row["municipality"],
                bool(row["active"]), bool(row["email_enabled"]), row["webhook_url"],
                row["webhook_secret"], bool(row["digest"]))


class UserDirectory:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, name: str, role: str, municipality: str | None = None,
            email: str | None = None) -> User:
        if role not in ROLES:
            raise UserError(f"role must be one of {', '.join(ROLES)}")
        if role in MUNICIPAL_ROLES and not municipality:
            raise UserError(f"a {role} needs a municipality")
        user = User(str(uuid4()), name, email, role, municipality)
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO users (user_id, name, email, role, municipality, active, created_at)"
                " VALUES (?, ?, ?, ?, ?, 1, ?)",
                (user.user_id, name, email, role, municipality, ts(datetime.now(UTC))),
            )
        return user

    def issue_token(self, user_id: str) -> str:
        if self.get(user_id) is None:
            raise UserError("no such user")
        token = "vaka_" + secrets.token_urlsafe(32)
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)",
                       (_hash(token), user_id, ts(datetime.now(UTC))))
        return token

    def by_token(self, token: str) -> User | None:
        with self.db.transaction(readonly=True) as tx:
            row = tx.one(
                "SELECT u.* FROM tokens t JOIN users u ON u.user_id = t.user_id"
                " WHERE t.token_hash = ? AND t.revoked = 0 AND u.active = 1",
                (_hash(token),),
            )
        return _user(row) if row else None

    def get(self, user_id: str) -> User | None:
        with self.db.transaction(readonly=True) as tx:
            row = tx.one("SELECT * FROM users WHERE user_id = ?", (user_id,))
        return _user(row) if row else None

    def by_email(self, email: str) -> User | None:
        with self.db.transaction(readonly=True) as tx:
            row = tx.one("SELECT * FROM users WHERE lower(email) = ?", (email.strip().lower(),))
        return _user(row) if row else None

    def admins(self) -> list[User]:
        with self.db.transaction(readonly=True) as tx:
            rows = tx.execute("SELECT * FROM users WHERE role = 'admin' AND active = 1"
                              " ORDER BY user_id")
        return [_user(r) for r in rows]

    def supervisors_of(self, municipality: str) -> list[User]:
        return self.with_role(municipality, "supervisor")

    def with_role(self, municipality: str, role: str) -> list[User]:
        with self.db.transaction(readonly=True) as tx:
            rows = tx.execute(
                "SELECT * FROM users WHERE role = ? AND municipality = ?"
                " AND active = 1 ORDER BY user_id", (role, municipality))
        return [_user(r) for r in rows]

    def set_preferences(self, user_id: str, *, email_enabled: bool, digest: bool,
                        webhook_url: str | None, webhook_secret: str | None) -> User:
        with self.db.transaction() as tx:
            tx.execute("UPDATE users SET email_enabled = ?, digest = ?, webhook_url = ?,"
                       " webhook_secret = ? WHERE user_id = ?",
                       (int(email_enabled), int(digest), webhook_url, webhook_secret, user_id))
        user = self.get(user_id)
        assert user is not None
        return user

    def deactivate(self, user_id: str) -> None:
        with self.db.transaction() as tx:
            tx.execute("UPDATE users SET active = 0 WHERE user_id = ?", (user_id,))
            tx.execute("UPDATE tokens SET revoked = 1 WHERE user_id = ?", (user_id,))

    def list(self) -> list[User]:
        with self.db.transaction(readonly=True) as tx:
            rows = tx.execute("SELECT * FROM users ORDER BY created_at, user_id")
        return [_user(r) for r in rows]
