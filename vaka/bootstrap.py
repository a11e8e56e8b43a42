"""The one place that wires concrete things together from Settings."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import PersistenceError

from domain.case_file import CaseFile
from domain.policy import Policy, load_policy
from vaka.casework import Casework
from vaka.config import ConfigError, Settings, postgres_needs_a_key
from vaka.followers.notifier import Notifier
from vaka.followers.projector import Projector
from vaka.followers.quarantine import Quarantine
from vaka.followers.tally import Tally
from vaka.notify.outbox import Outbox
from vaka.readside.children import ChildDirectory
from vaka.readside.db import Database
from vaka.sessions import Sessions
from vaka.users import UserDirectory

if TYPE_CHECKING:
    from temporalio.client import Client

    from vaka.followers.reconciler import Reconciler
    from vaka.followers.relay import Relay


@dataclass
class Services:
    settings: Settings
    policy: Policy
    case_file: CaseFile
    db: Database
    users: UserDirectory
    search_key: bytes

    @property
    def casework(self) -> Casework:
        return Casework(self.case_file, self.users, self.db, children=self.children)

    @property
    def sessions(self) -> Sessions:
        return Sessions(self.db, self.users)

    @property
    def children(self) -> ChildDirectory:
        """Lists and search of children; names stay sealed with the case file's cipher."""
        cipher = self.case_file.mapper.cipher
        assert cipher is not None, "the case file is always encrypted"
        return ChildDirectory(self.db, cipher, self.search_key)

    def close(self) -> None:
        self.case_file.close()
        self.db.close()

    # ---- the followers, wired ----

    def outbox(self, email_enabled: bool | None = None) -> Outbox:
        return Outbox(bool(self.settings.smtp_host) if email_enabled is None else email_enabled)

    def quarantine(self) -> Quarantine:
        return Quarantine(self.db, self.users, self.outbox())

    def projector(self, batch_size: int = 500) -> Projector:
        return Projector(self.case_file, self.db, self.quarantine(), self.children, batch_size)

    def tally(self, batch_size: int = 500) -> Tally:
        """Counts events and clock lateness for the metrics (vaka.observe)."""
        return Tally(self.case_file, self.db, self.quarantine(), batch_size)

    def notifier(self, email_enabled: bool | None = None) -> Notifier:
        return Notifier(self.case_file, self.db, self.users, self.outbox(email_enabled),
                        self.quarantine(), self.settings.public_url)

    def reconciler(self, client: Client, task_queue: str | None = None) -> Reconciler:
        """Starts again a journey that should be running but is not (vaka.followers.reconciler)."""
        from vaka.followers.reconciler import Reconciler

        return Reconciler(self.case_file, self.db, self.users, self.outbox(), client,
                          task_queue or self.settings.task_queue,
                          self.settings.reconcile_interval_seconds)

    def relay(self, client: Client, task_queue: str | None = None) -> Relay:
        from vaka.followers.relay import Relay

        return Relay(self.case_file, self.db, client, task_queue or self.settings.task_queue,
                     self.quarantine())


def cipher_key(settings: Settings) -> str:
    """The case file's AES key: from settings, or (embedded, SQLite) made once and kept in
    the data dir. On PostgreSQL several hosts share the case file, so each must be given
    the same key: Vaka refuses to make one of its own there."""
    if settings.cipher_key:
        return settings.cipher_key
    if settings.database_url:
        raise ConfigError(postgres_needs_a_key(settings))
    path = settings.data_dir / "cipher.key"
    if not path.exists():
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(AESCipher.create_key(num_bytes=32))
    return path.read_text().strip()


def search_key(settings: Settings) -> bytes:
    """The key of the children's search terms, derived from the case file's key: whoever
    cannot read the case file cannot test a name against the search index either."""
    return hashlib.sha256(b"vaka:child-search:" + cipher_key(settings).encode()).digest()


def event_store_env(settings: Settings) -> dict[str, str]:
    env = {
        "CIPHER_TOPIC": "eventsourcing.cipher:AESCipher",
        "CIPHER_KEY": cipher_key(settings),
    }
    if settings.database_url:
        url = urlparse(settings.database_url)
        env.update({
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": url.path.lstrip("/") or "postgres",
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_ENABLE_DB_FUNCTIONS": "y",
            # Two kept open, more on demand up to VAKA_DATABASE_CONNECTIONS: with several
            # processes and standby instances of every follower (vaka.runtime.standby),
            # idle processes must not fill PostgreSQL.
            "POSTGRES_POOL_SIZE": str(min(2, settings.database_connections)),
            "POSTGRES_MAX_OVERFLOW": str(max(0, settings.database_connections - 2)),
        })
    else:
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        env.update({
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(Path(settings.data_dir) / "casefile.sqlite"),
            "SQLITE_LOCK_TIMEOUT": "30",
        })
    return env


def _case_file(env: dict[str, str], policy: Policy, attempts: int = 5) -> CaseFile:
    """Processes starting together race to create the event store's tables on PostgreSQL;
    the loser of that race simply tries again."""
    for attempt in range(attempts):
        try:
            return CaseFile(env, policy=policy)
        except PersistenceError:  # e.g. "tuple concurrently updated", a duplicate type
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def build(settings: Settings | None = None) -> Services:
    settings = settings or Settings()
    policy = load_policy(settings.policy_path)
    case_file = _case_file(event_store_env(settings), policy)
    if settings.database_url:
        db = Database(postgres_url=settings.database_url,
                      pool_size=settings.database_connections)
    else:
        db = Database(sqlite_path=settings.data_dir / "vaka.sqlite")
    users = UserDirectory(db, timedelta(days=settings.token_lifetime_days))
    users.adopt_official_names()
    return Services(settings, policy, case_file, db, users, search_key(settings))
