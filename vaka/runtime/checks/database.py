"""Is the database there, and why not: DNS, refused, authentication, a missing database or
no answer in time. Used by `vaka check`, by every command before it opens the stores (so a
wrong URL fails in seconds, not minutes) and by /health/ready."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from domain.case_file import CaseFile
from vaka.config import ConfigError, Settings, masked_url
from vaka.readside.schema import MIGRATIONS, READ_MODEL_VERSION
from vaka.runtime.checks import Outcome

CONNECT_TIMEOUT = 3.0
# The case file's events: eventsourcing names the table after the application on
# PostgreSQL, and uses one fixed name on SQLite.
EVENT_TABLES = {f"{CaseFile.name.lower()}_events", "stored_events"}


class StoreUnreachable(ConfigError):
    """The configured database cannot be used; the message says why."""


def probe(settings: Settings, timeout: float = CONNECT_TIMEOUT) -> str:
    """Connect once and ask a trivial question; the description of the store on success,
    StoreUnreachable with the cause otherwise. Creates nothing."""
    if settings.database_url:
        return _probe_postgres(settings.database_url, timeout)
    return _probe_sqlite(settings.data_dir)


def _probe_postgres(url: str, timeout: float) -> str:
    import psycopg

    shown = masked_url(url)
    try:
        # libpq's timeout is whole seconds, at least 2
        with psycopg.connect(url, connect_timeout=max(2, round(timeout)),
                             autocommit=True) as conn:
            version = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error as exc:
        raise StoreUnreachable(f"PostgreSQL {shown}: {explain_postgres(exc)}") from None
    return f"PostgreSQL {version[0] if version else '?'} at {shown}"


def explain_postgres(exc: BaseException) -> str:
    text = str(exc)
    lowered = text.lower()
    for markers, reason in (
        (("could not translate host name", "name or service not known",
          "failed to resolve host", "nodename nor servname"),
         "the host name does not resolve (DNS)"),
        (("connection refused",), "connection refused: nothing listens on that host and port"),
        (("timeout expired", "timed out"),
         "no answer in time (a firewall, or the wrong host)"),
        (("password authentication failed", "no password supplied", "no pg_hba.conf entry",
          "authentication failed"),
         "authentication failed (user or password, or pg_hba.conf)"),
        (("too many clients", "remaining connection slots"),
         "the server takes no more connections (max_connections reached)"),
        (("role ",), "authentication failed: that user (role) does not exist"),
        (("database ",), "the database does not exist (create it first: createdb)"),
        (("invalid connection option", "missing \"=\"", "invalid dsn", "invalid uri"),
         "not a valid PostgreSQL URL (postgresql://user:password@host:5432/database)"),
    ):
        if any(marker in lowered for marker in markers) and (
                markers[0] not in ("role ", "database ") or "does not exist" in lowered):
            return reason
    first = text.strip().splitlines()[-1] if text.strip() else type(exc).__name__
    return first[:200]


def _probe_sqlite(data_dir: Path) -> str:
    where = data_dir.resolve()
    existing = next((p for p in [where, *where.parents] if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK):
        raise StoreUnreachable(f"SQLite in {where}/: the directory cannot be created or "
                               "written (VAKA_DATA_DIR)")
    state = "present" if (where / "vaka.sqlite").exists() else "not created yet"
    return f"SQLite in {where}/ ({state})"


def check_database(settings: Settings) -> Outcome:
    try:
        return Outcome("database", True, probe(settings))
    except StoreUnreachable as exc:
        return Outcome("database", False, str(exc))


def check_schema(settings: Settings) -> Outcome:
    """The tables exist and every migration is applied, or the first start may create them."""
    try:
        tables, done, may_create = _schema_state(settings)
    except Exception as exc:
        return Outcome("schema", False, f"cannot be read: {type(exc).__name__}: "
                                        f"{str(exc).splitlines()[0][:160]}")
    missing = []
    if not tables & EVENT_TABLES:
        missing.append("the case file's event table")
    if "schema_state" not in tables:
        missing.append("the read side's tables")
    else:
        pending = [m for m, _ in MIGRATIONS if f"migration:{m}" not in done]
        if pending:
            missing.append(f"migrations {', '.join(pending)}")
        if done.get("read_models") != READ_MODEL_VERSION:
            missing.append(f"read models version {READ_MODEL_VERSION} (rebuilt at start)")
    if not missing:
        return Outcome("schema", True, f"all tables present; {len(MIGRATIONS)} migrations "
                                       f"applied; read models version {READ_MODEL_VERSION}")
    if may_create:
        return Outcome("schema", True, f"not there yet: {'; '.join(missing)}; the first "
                                       "start of any vaka process makes them")
    return Outcome("schema", False, f"missing: {'; '.join(missing)}, and this user may not "
                                    "create tables there")


def _schema_state(settings: Settings) -> tuple[set[str], dict[str, str], bool]:
    """The tables there, schema_state's rows, and whether this user may create tables."""
    if settings.database_url:
        return _postgres_schema_state(settings.database_url)
    return _sqlite_schema_state(settings.data_dir)


def _postgres_schema_state(url: str) -> tuple[set[str], dict[str, str], bool]:
    import psycopg

    with psycopg.connect(url, autocommit=True,
                         connect_timeout=round(CONNECT_TIMEOUT)) as conn:
        tables = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema()")}
        row = conn.execute("SELECT has_schema_privilege(current_schema(), 'CREATE')"
                           ).fetchone()
        may_create = bool(row and row[0])
        done: dict[str, str] = dict(conn.execute(
            "SELECT name, value FROM schema_state").fetchall()) if "schema_state" in tables else {}
    return tables, done, may_create


def _sqlite_schema_state(where: Path) -> tuple[set[str], dict[str, str], bool]:
    tables: set[str] = set()
    done: dict[str, str] = {}
    for name in ("casefile.sqlite", "vaka.sqlite"):
        if not (where / name).exists():
            continue
        with closing(sqlite3.connect(f"file:{where / name}?mode=ro", uri=True)) as conn:
            tables |= {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if name == "vaka.sqlite" and "schema_state" in tables:
                done = dict(conn.execute("SELECT name, value FROM schema_state").fetchall())
    existing = next(p for p in [where.resolve(), *where.resolve().parents] if p.exists())
    return tables, done, os.access(existing, os.W_OK)

