"""Users and bearer tokens. Tokens are random and stored only as their SHA-256; a token's
id is the start of that hash, so it can be listed and revoked without its secret. A token
expires (VAKA_TOKEN_LIFETIME_DAYS after it was issued, unless issued for another span), and
one token or all of a user's tokens can be revoked.

A user of a municipality names one of Sweden's municipalities (domain.municipalities) and
is stored with its official name. Deactivation never leaves the last active admin, nor a
municipality without an active head of unit (the escalation target), behind.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from domain import municipalities
from domain.errors import InvalidField
from vaka.readside.db import Database, Tx, from_ts, ts

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

    @property
    def municipality_code(self) -> str | None:
        return municipalities.code_of(self.municipality)


class UserError(ValueError):
    pass


class LastOfRole(UserError):
    """Deactivating this user would leave nobody in a role that must always be held."""


def official_municipality(name: str) -> str:
    """The official name of the municipality a text names, or UserError suggesting the
    nearest names."""
    try:
        return municipalities.official_name("municipality", name)
    except InvalidField as problem:
        raise UserError(problem.detail) from None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_ID_LENGTH = 12  # hex digits of the hash: an id to list and revoke by, never the secret


@dataclass(frozen=True)
class Token:
    """A token as an admin sees it: never its secret."""

    token_id: str
    user_id: str
    user_name: str
    created_at: datetime
    expires_at: datetime
    revoked: bool

    def state(self, now: datetime) -> str:
        if self.revoked:
            return "revoked"
        return "expired" if self.expires_at <= now else "valid"


def _user(row: dict) -> User:  # type: ignore[type-arg]
    return User(row["user_id"], row["name"], row["email"], row["role"], row["municipality"],
                bool(row["active"]), bool(row["email_enabled"]), row["webhook_url"],
                row["webhook_secret"], bool(row["digest"]))


class UserDirectory:
    def __init__(self, db: Database, token_lifetime: timedelta = timedelta(days=90)) -> None:
        self.db = db
        self.token_lifetime = token_lifetime

    def add(self, name: str, role: str, municipality: str | None = None,
            email: str | None = None) -> User:
        if role not in ROLES:
            raise UserError(f"role must be one of {', '.join(ROLES)}")
        if role in MUNICIPAL_ROLES and not municipality:
            raise UserError(f"a {role} needs a municipality")
        if municipality:
            municipality = official_municipality(municipality)
        user = User(str(uuid4()), name, email, role, municipality)
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO users (user_id, name, email, role, municipality, active, created_at)"
                " VALUES (?, ?, ?, ?, ?, 1, ?)",
                (user.user_id, name, email, role, municipality, ts(datetime.now(UTC))),
            )
        return user

    def adopt_official_names(self) -> int:
        """Users added before the register may name a municipality as typed ("Malmo"):
        give them its official name, as their children's case files now read. A name that
        names none stays as it is (an operator fixes it). Idempotent; returns how many
        names changed."""
        with self.db.transaction(readonly=True) as tx:
            names = [r["municipality"] for r in tx.execute(
                "SELECT DISTINCT municipality FROM users WHERE municipality IS NOT NULL")]
        renamed = {name: municipalities.stored_name(name) for name in names}
        renamed = {old: new for old, new in renamed.items() if old != new}
        if renamed:
            with self.db.transaction() as tx:
                for old, new in renamed.items():
                    tx.execute("UPDATE users SET municipality = ? WHERE municipality = ?",
                               (new, old))
        return len(renamed)

    def issue_token(self, user_id: str, lifetime: timedelta | None = None) -> str:
        if self.get(user_id) is None:
            raise UserError("no such user")
        lifetime = self.token_lifetime if lifetime is None else lifetime
        if lifetime <= timedelta(0):
            raise UserError("a token's lifetime must be more than nothing")
        token = "vaka_" + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO tokens (token_hash, user_id, created_at, expires_at)"
                       " VALUES (?, ?, ?, ?)",
                       (_hash(token), user_id, ts(now), ts(now + lifetime)))
        return token

    def by_token(self, token: str) -> User | None:
        """The active user of a token that is neither revoked nor expired."""
        with self.db.transaction(readonly=True) as tx:
            row = tx.one(
                "SELECT u.*, t.created_at AS token_created_at, t.expires_at AS token_expires_at"
                " FROM tokens t JOIN users u ON u.user_id = t.user_id"
                " WHERE t.token_hash = ? AND t.revoked = 0 AND u.active = 1",
                (_hash(token),),
            )
        if row is None or self._expires(row) <= datetime.now(UTC):
            return None
        return _user(row)

    def _expires(self, row: dict) -> datetime:  # type: ignore[type-arg]
        """When a token expires; one issued before tokens expired, a lifetime after issue."""
        expires = from_ts(row["token_expires_at"])
        created = from_ts(row["token_created_at"])
        assert created is not None
        return expires if expires is not None else created + self.token_lifetime

    def tokens(self, user_id: str | None = None) -> list[Token]:
        sql = ("SELECT t.token_hash, t.user_id, u.name, t.created_at AS token_created_at,"
               " t.expires_at AS token_expires_at, t.revoked FROM tokens t"
               " JOIN users u ON u.user_id = t.user_id")
        params: tuple[str, ...] = ()
        if user_id is not None:
            sql, params = sql + " WHERE t.user_id = ?", (user_id,)
        with self.db.transaction(readonly=True) as tx:
            rows = tx.execute(sql + " ORDER BY t.created_at, t.token_hash", params)
        return [Token(r["token_hash"][:TOKEN_ID_LENGTH], r["user_id"], r["name"],
                      from_ts(r["token_created_at"]) or datetime.min.replace(tzinfo=UTC),
                      self._expires(r), bool(r["revoked"])) for r in rows]

    def revoke(self, token_id: str) -> Token:
        """Revoke one token by its id (as `tokens` lists it)."""
        token_id = token_id.strip().lower()
        if len(token_id) != TOKEN_ID_LENGTH or any(c not in "0123456789abcdef" for c in token_id):
            raise UserError(f"a token id is {TOKEN_ID_LENGTH} hexadecimal digits, as "
                            "`vaka tokens list` shows it")
        with self.db.transaction() as tx:
            done = tx.execute("UPDATE tokens SET revoked = 1 WHERE token_hash LIKE ?"
                              " RETURNING token_hash", (token_id + "%",))
        if not done:
            raise UserError(f"no token with id {token_id}")
        return next(t for t in self.tokens() if t.token_id == token_id)

    def revoke_all(self, user_id: str) -> int:
        """Revoke every token of a user; how many were still in force."""
        if self.get(user_id) is None:
            raise UserError("no such user")
        with self.db.transaction() as tx:
            done = tx.execute("UPDATE tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0"
                              " RETURNING token_hash", (user_id,))
        return len(done)

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

    def deactivate(self, user_id: str, promote: str | None = None) -> None:
        """Deactivate a user and revoke their tokens. `promote` names a supervisor of the
        same municipality who becomes head of unit as the leaving head's successor.
        LastOfRole when the last active admin, or a municipality's last active head of
        unit without a successor, would go: checked inside the transaction, so two
        deactivations at once cannot each leave the other one last."""
        with self.db.transaction() as tx:
            row = tx.one("SELECT * FROM users WHERE user_id = ?", (user_id,))
            if row is None:
                raise UserError("no such user")
            leaving = _user(row)
            if promote is not None:
                self._promote(tx, promote, leaving)
            if leaving.active and leaving.role in ("admin", "head_of_unit"):
                self._check_not_last(tx, leaving)
            tx.execute("UPDATE users SET active = 0 WHERE user_id = ?", (user_id,))
            tx.execute("UPDATE tokens SET revoked = 1 WHERE user_id = ?", (user_id,))

    @staticmethod
    def _check_not_last(tx: Tx, leaving: User) -> None:
        where, params = ("role = 'admin'", ()) if leaving.role == "admin" else \
            ("role = 'head_of_unit' AND municipality = ?", (leaving.municipality,))
        # Touching the rows locks them (PostgreSQL); SQLite writers already take turns.
        tx.execute(f"UPDATE users SET active = active WHERE {where}", params)
        others = tx.one(f"SELECT COUNT(*) AS n FROM users WHERE {where} AND active = 1"
                        " AND user_id <> ?", (*params, leaving.user_id))
        if others is None or not others["n"]:
            raise LastOfRole("the last active admin cannot be deactivated"
                             if leaving.role == "admin" else
                             f"the last active head of unit of {leaving.municipality} cannot "
                             "be deactivated without a successor")

    @staticmethod
    def _promote(tx: Tx, user_id: str, leaving: User) -> None:
        row = tx.one("SELECT * FROM users WHERE user_id = ?", (user_id,))
        successor = _user(row) if row else None
        if successor is None or not successor.active or successor.user_id == leaving.user_id \
                or successor.role not in ("supervisor", "head_of_unit") \
                or successor.municipality != leaving.municipality:
            raise UserError("the successor must be another active supervisor or head of unit "
                            "of the same municipality")
        tx.execute("UPDATE users SET role = 'head_of_unit' WHERE user_id = ?", (user_id,))

    def reactivate(self, user_id: str) -> User:
        """Let a deactivated user sign in again. Their old tokens stay revoked: issue a new
        one; their children stay with whoever took them over."""
        with self.db.transaction() as tx:
            found = tx.execute("UPDATE users SET active = 1 WHERE user_id = ? RETURNING user_id",
                               (user_id,))
        if not found:
            raise UserError("no such user")
        user = self.get(user_id)
        assert user is not None
        return user

    def list(self) -> list[User]:
        with self.db.transaction(readonly=True) as tx:
            rows = tx.execute("SELECT * FROM users ORDER BY created_at, user_id")
        return [_user(r) for r in rows]
