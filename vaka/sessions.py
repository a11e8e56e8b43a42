"""Signing in to the web pages: local passwords and server-side sessions.

Passwords are stored as argon2id hashes (argon2-cffi), set with the CLI, so a municipality
can start without an identity provider; an OIDC sign-in can later create sessions the
same way. A session is a random id in an HttpOnly cookie; only its SHA-256 is stored, with
the user, a CSRF token for its forms and an expiry. Signing out, or the user being
deactivated, ends it at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from vaka.readside.db import Database, from_ts, ts
from vaka.users import User, UserDirectory, UserError

MIN_PASSWORD = 12
SESSION_COOKIE = "vaka_session"  # the cookie that carries a web session's token
LIFETIME = timedelta(hours=10)  # a working day; then sign in again
_hasher = PasswordHasher()
# Checked when no such user exists, so a wrong address takes as long as a wrong password.
_DUMMY = _hasher.hash("not a password of anyone")


@dataclass(frozen=True)
class Session:
    token: str  # the cookie's value; never stored
    user: User
    csrf: str
    expires_at: datetime


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password needs at least {MIN_PASSWORD} characters")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    def __init__(self, db: Database, users: UserDirectory) -> None:
        self.db = db
        self.users = users

    def set_password(self, user_id: str, password: str) -> None:
        check_password(password)
        if self.users.get(user_id) is None:
            raise UserError("no such user")
        with self.db.transaction() as tx:
            tx.execute("UPDATE users SET password_hash = ? WHERE user_id = ?",
                       (_hasher.hash(password), user_id))

    def sign_in(self, email: str, password: str, now: datetime | None = None
                ) -> Session | None:
        """A new session for the active user with this e-mail and password, else None."""
        now = now or datetime.now(UTC)
        with self.db.transaction(readonly=True) as tx:
            row = tx.one("SELECT user_id, password_hash FROM users WHERE lower(email) = ?"
                         " AND active = 1 AND password_hash IS NOT NULL",
                         (email.strip().lower(),))
        stored = row["password_hash"] if row else _DUMMY
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        user = self.users.get(row["user_id"])
        if user is None or not user.active:
            return None
        return self._open(user, now)

    def _open(self, user: User, now: datetime) -> Session:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = now + LIFETIME
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO web_sessions (session_hash, user_id, csrf, created_at,"
                       " expires_at) VALUES (?, ?, ?, ?, ?)",
                       (_hash(token), user.user_id, csrf, ts(now), ts(expires)))
            tx.execute("DELETE FROM web_sessions WHERE expires_at < ?", (ts(now),))
        return Session(token, user, csrf, expires)

    def find(self, token: str, now: datetime | None = None) -> Session | None:
        """The live session of an active user, from the cookie's value."""
        now = now or datetime.now(UTC)
        with self.db.transaction(readonly=True) as tx:
            row = tx.one("SELECT s.user_id, s.csrf, s.expires_at FROM web_sessions s"
                         " JOIN users u ON u.user_id = s.user_id WHERE s.session_hash = ?"
                         " AND s.expires_at > ? AND u.active = 1", (_hash(token), ts(now)))
        if row is None:
            return None
        user = self.users.get(row["user_id"])
        if user is None:
            return None
        return Session(token, user, row["csrf"], from_ts(row["expires_at"]))

    def sign_out(self, token: str) -> None:
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM web_sessions WHERE session_hash = ?", (_hash(token),))

    def end_all(self, user_id: str) -> None:
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM web_sessions WHERE user_id = ?", (user_id,))
