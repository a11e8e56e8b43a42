"""Backup and restore of the case file with the key that reads it.

A backup is a folder: the database (a pg_dump archive, or copies of the embedded SQLite
files), a manifest, and the cipher key unless asked to leave it out. A restore goes only
into an empty database, checks that the key fits before it writes anything, then proves
the restored case file reads with that key and makes the relay deliver every child again,
so a Temporal cluster that never saw these children starts their journeys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from vaka.backup import postgres, sqlite
from vaka.backup.manifest import (
    BackupError,
    Manifest,
    key_fingerprint,
    new_folder,
    read_key,
    write_key,
)
from vaka.bootstrap import build
from vaka.config import Settings
from vaka.followers.relay import NAME as RELAY
from vaka.readside.tracking import rewind

__all__ = ["BackupError", "Restored", "backup", "restore"]


def _store(settings: Settings) -> str:
    return "postgresql" if settings.database_url else "sqlite"


def _configured_key(settings: Settings) -> tuple[str, str] | None:
    """The key Vaka would use, and where it comes from; None where it would make a new one."""
    if settings.cipher_key:
        return settings.cipher_key.strip(), "VAKA_CIPHER_KEY"
    path = settings.data_dir / "cipher.key"
    return (path.read_text().strip(), str(path)) if path.is_file() else None


def _vaka_version() -> str:
    try:
        return version("vaka")
    except PackageNotFoundError:
        return "unknown"


def backup(settings: Settings, folder: Path, include_key: bool = True) -> Manifest:
    configured = _configured_key(settings)
    if configured is None:
        raise BackupError(f"no cipher key: VAKA_CIPHER_KEY is unset and "
                          f"{settings.data_dir / 'cipher.key'} does not exist, so there is "
                          f"no case file of this configuration to back up")
    key = configured[0]
    if settings.database_url:
        postgres.check_reachable(settings.database_url)
    else:
        sqlite.check_present(settings.data_dir)
    new_folder(folder)
    services = build(settings)
    try:  # read before the dump: the dump holds at least this much
        last = services.case_file.recorder.max_notification_id() or 0
    finally:
        services.close()
    if settings.database_url:
        postgres.dump(settings.database_url, folder)
    else:
        sqlite.dump(settings.data_dir, folder)
    if include_key:
        write_key(folder, key)
    manifest = Manifest(store=_store(settings), created_at=datetime.now(UTC).isoformat(),
                        vaka_version=_vaka_version(), key_fingerprint=key_fingerprint(key),
                        last_notification_id=last, key_included=include_key)
    manifest.write(folder)
    return manifest


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    last_notification_id: int
    key_written_to: Path | None


def _key_for_restore(settings: Settings, folder: Path, manifest: Manifest) -> tuple[str, bool]:
    """The key to restore with, and whether it must be written to the data dir."""
    configured = _configured_key(settings)
    if configured is not None:
        key, source = configured
        if key_fingerprint(key) != manifest.key_fingerprint:
            raise BackupError(f"the key in {source} does not read this backup (key "
                              f"{key_fingerprint(key)}, backup {manifest.key_fingerprint}); "
                              f"use the key that was in force when the backup was made")
        return key, False
    key_in_backup = read_key(folder)
    if key_in_backup is None:
        raise BackupError("this backup holds no key and none is configured: set "
                          "VAKA_CIPHER_KEY to the key kept apart from the backup")
    if key_fingerprint(key_in_backup) != manifest.key_fingerprint:
        raise BackupError(f"{folder / 'cipher.key'} does not match the backup's manifest; "
                          f"the backup is damaged or its files were mixed with another's")
    return key_in_backup, True


def restore(settings: Settings, folder: Path) -> Restored:
    manifest = Manifest.read(folder)
    if manifest.store != _store(settings):
        raise BackupError(f"this is a {manifest.store} backup, but Vaka is configured for "
                          f"{_store(settings)} (VAKA_DATABASE_URL "
                          f"{'set' if settings.database_url else 'unset'})")
    key, write = _key_for_restore(settings, folder, manifest)
    if settings.database_url:
        postgres.check_empty(settings.database_url)
        postgres.restore(settings.database_url, folder)
    else:
        sqlite.check_empty(settings.data_dir)
        sqlite.restore(settings.data_dir, folder)
    key_path = None
    if write:
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_key(settings.data_dir, key)
        key_path = settings.data_dir / "cipher.key"
    with_key = settings.model_copy(update={"cipher_key": key})
    return Restored(manifest, _verify_and_redeliver(with_key, manifest), key_path)


def _verify_and_redeliver(settings: Settings, manifest: Manifest) -> int:
    services = build(settings)
    try:
        recorder = services.case_file.recorder
        last = recorder.max_notification_id() or 0
        if last < manifest.last_notification_id:
            raise BackupError(f"the restored case file ends at entry {last}, the backup "
                              f"at {manifest.last_notification_id}: the restore is incomplete")
        first = recorder.select_notifications(start=1, limit=1)
        if first:
            try:
                services.case_file.mapper.to_domain_event(first[0])
            except Exception as exc:  # the cipher's own error says little more than this
                raise BackupError(f"the restored case file cannot be read with this key "
                                  f"({type(exc).__name__})") from None
        with services.db.transaction() as tx:
            rewind(tx, RELAY)
        return last
    finally:
        services.close()
