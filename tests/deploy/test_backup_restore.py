"""`vaka backup` and `vaka restore` on their own: the embedded store round trip, and the
refusals that keep an operator from restoring the wrong thing into the wrong place."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from eventsourcing.cipher import AESCipher

from tests.conftest import make_settings
from tests.support.casefile import CASEWORKER, now
from vaka.backup import BackupError, backup, restore
from vaka.bootstrap import build
from vaka.config import Settings
from vaka.readside.paging import Window
from vaka.readside.tracking import position, save_position
from vaka.readside.worklists import Scope


def _record_children(settings: Settings, names: list[str]) -> dict[str, str]:
    """Children registered and projected, as a running Vaka leaves them: id -> name."""
    services = build(settings)
    try:
        children = {}
        for name in names:
            result = services.case_file.register(
                {"arrived_at": now().isoformat(), "date_of_birth": "2011-04-02",
                 "date_of_birth_basis": "stated", "municipality": "Malmö",
                 "given_name": name}, CASEWORKER, now())
            children[str(result.child_id)] = name
        projector = services.projector()
        while projector.step():
            pass
        with services.db.transaction() as tx:  # as if the relay had delivered them all
            save_position(tx, "relay", services.case_file.recorder.max_notification_id())
        return children
    finally:
        services.close()


def _vaka(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vaka.cli", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **env})


def test_an_embedded_backup_restored_into_a_new_data_dir_reads_the_same_children(
        tmp_path: Path) -> None:
    original = make_settings(tmp_path / "old")
    children = _record_children(original, ["Zarafshan", "Amina"])

    made = backup(original, tmp_path / "backup")
    restored_settings = make_settings(tmp_path / "new")
    done = restore(restored_settings, tmp_path / "backup")

    assert done.key_written_to == restored_settings.data_dir / "cipher.key"
    assert done.key_written_to.stat().st_mode & 0o777 == 0o600
    assert done.last_notification_id == made.last_notification_id
    services = build(restored_settings)
    try:
        for child_id, name in children.items():
            found = services.children.search(Scope(None), name, Window()).items
            assert [(row.child_id, row.card.name) for row in found] == [(child_id, name)]
        # the relay starts over, so a Temporal that never saw these children gets them all
        assert position(services.db, "relay") == 0
    finally:
        services.close()


def test_a_backup_folder_and_its_key_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    _record_children(settings, ["Zarafshan"])
    backup(settings, tmp_path / "backup")
    assert (tmp_path / "backup").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "backup" / "cipher.key").stat().st_mode & 0o777 == 0o600


def test_restore_refuses_a_key_that_does_not_read_the_backup(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "old")
    _record_children(settings, ["Zarafshan"])
    backup(settings, tmp_path / "backup")

    other_key = AESCipher.create_key(num_bytes=32)
    done = _vaka({"VAKA_DATA_DIR": str(tmp_path / "new"), "VAKA_CIPHER_KEY": other_key},
                 "restore", str(tmp_path / "backup"))

    assert done.returncode == 2
    assert "VAKA_CIPHER_KEY does not read this backup" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "new").exists() or not any((tmp_path / "new").iterdir())


def test_a_backup_without_its_key_restores_only_with_the_key_given(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "old")
    _record_children(settings, ["Zarafshan"])
    key = (settings.data_dir / "cipher.key").read_text().strip()
    backup(settings, tmp_path / "backup", include_key=False)
    assert not (tmp_path / "backup" / "cipher.key").exists()

    with pytest.raises(BackupError, match="holds no key and none is configured"):
        restore(make_settings(tmp_path / "new"), tmp_path / "backup")
    given = Settings(data_dir=tmp_path / "new" / "data", cipher_key=key)
    assert restore(given, tmp_path / "backup").key_written_to is None


def test_restore_refuses_a_data_dir_that_already_holds_a_case_file(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    _record_children(settings, ["Zarafshan"])
    backup(settings, tmp_path / "backup")
    with pytest.raises(BackupError, match=r"already holds casefile\.sqlite"):
        restore(settings, tmp_path / "backup")


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    _record_children(settings, ["Zarafshan"])
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "yesterday.pgdump").write_text("")
    done = _vaka({"VAKA_DATA_DIR": str(settings.data_dir)}, "backup", str(tmp_path / "backup"))
    assert done.returncode == 2
    assert "is not empty; give a new folder" in done.stderr


def test_backup_of_a_data_dir_without_a_case_file_says_so(tmp_path: Path) -> None:
    done = _vaka({"VAKA_DATA_DIR": str(tmp_path / "nothing")}, "backup",
                 str(tmp_path / "backup"))
    assert done.returncode == 2
    assert "no cipher key" in done.stderr
    assert not (tmp_path / "nothing").exists(), "a backup must not make a new key"


def test_restore_of_a_folder_that_is_no_backup_says_so(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    done = _vaka({"VAKA_DATA_DIR": str(tmp_path / "data")}, "restore", str(tmp_path / "photos"))
    assert done.returncode == 2
    assert "is not a Vaka backup: it has no manifest.json" in done.stderr


@pytest.mark.postgres
def test_restore_refuses_a_postgresql_database_that_already_holds_tables(
        tmp_path: Path, postgres_url: str) -> None:
    settings = make_settings(tmp_path, postgres_url)
    _record_children(settings, ["Zarafshan"])
    made = backup(settings, tmp_path / "backup")
    assert made.store == "postgresql"
    assert (tmp_path / "backup" / "database.pgdump").stat().st_size > 0
    with pytest.raises(BackupError, match="already holds tables; restore into a new"):
        restore(settings, tmp_path / "backup")


def test_a_postgresql_backup_is_not_restored_into_the_embedded_store(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "old")
    _record_children(settings, ["Zarafshan"])
    backup(settings, tmp_path / "backup")
    elsewhere = make_settings(tmp_path / "new", "postgresql://vaka@127.0.0.1:5432/vaka_new")
    with pytest.raises(BackupError, match="this is a sqlite backup, but Vaka is configured "
                                          "for postgresql"):
        restore(elsewhere, tmp_path / "backup")
