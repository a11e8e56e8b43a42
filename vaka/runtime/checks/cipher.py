"""Is there a cipher key, is it a key, and does it open the case file that is there?"""

from __future__ import annotations

import binascii
import sqlite3
from base64 import b64decode
from contextlib import closing

from eventsourcing.cipher import AESCipher
from eventsourcing.utils import Environment

from vaka.config import Settings, postgres_needs_a_key
from vaka.runtime.checks import Outcome
from vaka.runtime.checks.database import CONNECT_TIMEOUT, EVENT_TABLES


def check_cipher(settings: Settings) -> Outcome:
    key, source = _configured_key(settings)
    try:
        sample = _first_event_state(settings)
    except Exception:  # the database check says why; here only: nothing to try the key on
        sample = None
    if key is None and settings.database_url:
        return Outcome("cipher key", False, postgres_needs_a_key(settings))
    if key is None:
        if sample is not None:
            return Outcome("cipher key", False, "none configured (VAKA_CIPHER_KEY unset, no "
                           f"{settings.data_dir / 'cipher.key'}), yet the case file holds "
                           "events: they cannot be read without their key")
        return Outcome("cipher key", True, "none yet: the first start makes one in "
                       f"{settings.data_dir / 'cipher.key'} (on a server set "
                       "VAKA_CIPHER_KEY and keep a copy apart from the backups)")
    try:
        size = len(b64decode(key.encode(), validate=True))
        AESCipher.check_key_size(size)
    except (binascii.Error, ValueError):
        return Outcome("cipher key", False, f"{source} is not base64 of 16, 24 or 32 bytes")
    cipher = AESCipher(Environment(env={AESCipher.CIPHER_KEY: key}))
    if sample is None:
        return Outcome("cipher key", True, f"{size * 8}-bit key from {source}; "
                                           "no events yet to try it on")
    try:
        cipher.decrypt(sample)
    except ValueError:
        return Outcome("cipher key", False, f"the key from {source} does not decrypt the "
                       "case file's events: it is not the key they were written with")
    return Outcome("cipher key", True, f"{size * 8}-bit key from {source} decrypts the "
                                       "case file's first event")


def _configured_key(settings: Settings) -> tuple[str | None, str]:
    """The key as bootstrap.cipher_key would use it, without making one."""
    if settings.cipher_key:
        return settings.cipher_key.strip(), "VAKA_CIPHER_KEY"
    if settings.database_url:
        return None, ""  # never a host's own file: every host needs the same key
    path = settings.data_dir / "cipher.key"
    if path.exists():
        return path.read_text().strip(), str(path)
    return None, ""


def _first_event_state(settings: Settings) -> bytes | None:
    if settings.database_url:
        import psycopg

        with psycopg.connect(settings.database_url, autocommit=True,
                             connect_timeout=round(CONNECT_TIMEOUT)) as conn:
            for table in sorted(EVENT_TABLES):
                found = conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()
                if found and found[0]:
                    row = conn.execute(f"SELECT state FROM {table} LIMIT 1").fetchone()
                    return bytes(row[0]) if row else None
        return None
    path = settings.data_dir / "casefile.sqlite"
    if not path.exists():
        return None
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        for table in sorted(EVENT_TABLES & tables):
            row = conn.execute(f"SELECT state FROM {table} LIMIT 1").fetchone()
            return bytes(row[0]) if row else None
    return None
