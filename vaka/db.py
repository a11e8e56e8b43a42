"""The read-side database: read models, users, tokens, inbox and follower positions.

One small adapter over SQLite (embedded default) and PostgreSQL, so the SQL is written
once with `?` placeholders. Timestamps are stored as fixed-width UTC text, which orders
the same way as the instants do.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS users (
        user_id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT, role TEXT NOT NULL,
        municipality TEXT, active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS tokens (
        token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at TEXT NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS tracking (
        follower TEXT PRIMARY KEY, position INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS policy_seen (
        component TEXT PRIMARY KEY, version TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS children (
        child_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, stage TEXT NOT NULL,
        missing_since TEXT, caseworker_id TEXT, version INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS children_municipality ON children (municipality, stage)",
    """CREATE TABLE IF NOT EXISTS clocks (
        child_id TEXT NOT NULL, clock_id TEXT NOT NULL, rule_id TEXT NOT NULL,
        municipality TEXT NOT NULL, caseworker_id TEXT, owner TEXT NOT NULL,
        due TEXT NOT NULL, status TEXT NOT NULL, policy_version TEXT NOT NULL,
        resolved_at TEXT, on_time INTEGER, PRIMARY KEY (child_id, clock_id))""",
    "CREATE INDEX IF NOT EXISTS clocks_by_status_due ON clocks (status, due)",
    "CREATE INDEX IF NOT EXISTS clocks_by_municipality ON clocks (municipality, status, due)",
    """CREATE TABLE IF NOT EXISTS notifications (
        notification_id TEXT PRIMARY KEY, child_id TEXT NOT NULL, event_seq INTEGER NOT NULL,
        kind TEXT NOT NULL, urgent INTEGER NOT NULL DEFAULT 0,
        recipient_user_id TEXT, recipient_email TEXT, recipient_label TEXT NOT NULL,
        subject TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, read_at TEXT,
        email_status TEXT NOT NULL, email_attempts INTEGER NOT NULL DEFAULT 0,
        email_error TEXT, email_next_try TEXT, email_sent_at TEXT)""",
    """CREATE INDEX IF NOT EXISTS notifications_inbox
        ON notifications (recipient_user_id, created_at)""",
    """CREATE INDEX IF NOT EXISTS notifications_outbox
        ON notifications (email_status, email_next_try)""",
]


@overload
def ts(instant: datetime) -> str: ...
@overload
def ts(instant: None) -> None: ...
def ts(instant: datetime | None) -> str | None:
    if instant is None:
        return None
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@overload
def from_ts(text: str) -> datetime: ...
@overload
def from_ts(text: None) -> None: ...
def from_ts(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


class Tx:
    """A transaction: execute with `?` placeholders, rows come back as dicts."""

    def __init__(self, cursor: Any, placeholder: str) -> None:
        self._cursor = cursor
        self._placeholder = placeholder

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        if self._placeholder != "?":
            sql = sql.replace("?", self._placeholder)
        self._cursor.execute(sql, tuple(params))
        if self._cursor.description is None:
            return []
        names = [d[0] for d in self._cursor.description]
        return [dict(zip(names, row, strict=True)) for row in self._cursor.fetchall()]

    def one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self.execute(sql, params)
        return rows[0] if rows else None

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)


class Database:
    def __init__(self, *, sqlite_path: Path | None = None, postgres_url: str | None = None,
                 pool_size: int = 10) -> None:
        self._sqlite_path = sqlite_path
        self._pool: Any = None
        self._local = threading.local()
        if postgres_url:
            from psycopg_pool import ConnectionPool

            self._pool = ConnectionPool(postgres_url, min_size=1, max_size=pool_size,
                                        open=True, kwargs={"autocommit": True})
        elif sqlite_path is None:
            raise ValueError("a database needs a SQLite path or a PostgreSQL URL")
        with self.transaction() as tx:
            for statement in SCHEMA:
                tx.execute(statement)

    @property
    def is_postgres(self) -> bool:
        return self._pool is not None

    def _sqlite(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self._sqlite_path), timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self, *, readonly: bool = False) -> Iterator[Tx]:
        """A transaction. On SQLite a writing one takes the write lock at once, so two
        writers queue rather than deadlock; a read-only one takes no lock."""
        if self._pool is not None:
            with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
                yield Tx(cur, "%s")
            return
        conn = self._sqlite()
        cur = conn.cursor()
        cur.execute("BEGIN" if readonly else "BEGIN IMMEDIATE")
        try:
            yield Tx(cur, "?")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        else:
            cur.execute("COMMIT")
        finally:
            cur.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
