"""PostgreSQL: the whole database (case file, read models, users, positions) with the
server's own tools, pg_dump and pg_restore. A dump is one consistent snapshot, taken while
Vaka runs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from vaka.backup.manifest import BackupError

DUMP = "database.pgdump"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed; install PostgreSQL's client tools "
                          f"(Debian: apt-get install postgresql-client)")
    return path


def _target(url: str) -> tuple[str, dict[str, str]]:
    """The connection without its password, which goes in the environment: arguments are
    visible to every user of the machine in the process list."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise BackupError(f"VAKA_DATABASE_URL cannot be read: {exc}") from None
    password = params.pop("password", None)
    env = {**os.environ}
    if password:
        env["PGPASSWORD"] = str(password)
    return make_conninfo(**params), env  # type: ignore[arg-type]


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()
        raise BackupError(f"{what} failed: {detail[-1] if detail else done.returncode}")


def dump(url: str, folder: Path) -> None:
    conninfo, env = _target(url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={folder / DUMP}", f"--dbname={conninfo}"], env, "pg_dump")


def _table_count(url: str) -> int:
    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            row = conn.execute(
                "SELECT count(*) FROM information_schema.tables"
                " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')").fetchone()
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()
        raise BackupError(f"cannot reach the database in VAKA_DATABASE_URL: "
                          f"{reason[-1] if reason else type(exc).__name__}") from None
    return int(row[0]) if row else 0


def check_reachable(url: str) -> None:
    """Within seconds, not after the event store's own long retries."""
    _table_count(url)


def check_empty(url: str) -> None:
    """Restore only into a database that holds nothing of its own: never mix two."""
    if _table_count(url):
        raise BackupError("the database in VAKA_DATABASE_URL already holds tables; restore "
                          "into a new, empty database (createdb) and point Vaka at it")


def restore(url: str, folder: Path) -> None:
    source = folder / DUMP
    if not source.is_file():
        raise BackupError(f"{folder} holds no {DUMP}: it is not a PostgreSQL backup")
    conninfo, env = _target(url)
    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", f"--dbname={conninfo}", str(source)], env, "pg_restore")
