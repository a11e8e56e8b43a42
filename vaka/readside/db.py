"""The read-side database: read models, users, tokens, inbox and follower positions
(tables in vaka/schema.py).

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

from vaka.readside.schema import (
    MIGRATIONS,
    READ_MODEL_TABLES,
    READ_MODEL_VERSION,
    READ_MODELS,
    RECORDS,
    PerStore,
)


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


class UnstorableValue(ValueError):
    """A text the read side cannot hold (NUL, a lone surrogate). PostgreSQL refuses these;
    SQLite is made to refuse them too, so both stores behave alike."""


def _check_storable(params: Sequence[Any]) -> None:
    for index, value in enumerate(params):
        if isinstance(value, str) and ("\x00" in value or _unencodable(value)):
            raise UnstorableValue(f"parameter {index + 1} holds text no database can store")


def _unencodable(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class Tx:
    """A transaction: execute with `?` placeholders, rows come back as dicts."""

    def __init__(self, cursor: Any, placeholder: str) -> None:
        self._cursor = cursor
        self._placeholder = placeholder

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        _check_storable(params)
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
        self._migrate()

    def _migrate(self) -> None:
        with self.transaction() as tx:
            if self.is_postgres:  # processes starting together take turns
                tx.execute("SELECT pg_advisory_xact_lock(724616)")
            for statement in RECORDS:
                tx.execute(statement)
            done = {r["name"] for r in tx.execute("SELECT name FROM schema_state")}
            for migration_id, migration in MIGRATIONS:
                if f"migration:{migration_id}" not in done:
                    for step in self._for_this_store(migration):
                        tx.execute(step)
                    tx.execute("INSERT INTO schema_state (name, value) VALUES (?, 'done')",
                               (f"migration:{migration_id}",))
            row = tx.one("SELECT value FROM schema_state WHERE name = 'read_models'")
            if row is None or row["value"] != READ_MODEL_VERSION:
                # Read models are projections: drop, recreate, and let the projector rebuild.
                for table in READ_MODEL_TABLES:
                    tx.execute(f"DROP TABLE IF EXISTS {table}")
                tx.execute("DELETE FROM tracking WHERE follower = 'projector'")  # rebuilt
                tx.execute("INSERT INTO schema_state (name, value) VALUES ('read_models', ?)"
                           " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                           (READ_MODEL_VERSION,))
            for statement in READ_MODELS:
                tx.execute(statement)

    def _for_this_store(self, statement: str | PerStore) -> tuple[str, ...]:
        if isinstance(statement, PerStore):
            return statement.postgres if self.is_postgres else statement.sqlite
        return (statement,)

    def answers(self) -> bool:
        """Whether the database can be reached and queried right now."""
        try:
            with self.transaction(readonly=True) as tx:
                tx.execute("SELECT 1 AS ok")
        except Exception:
            return False
        return True

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
