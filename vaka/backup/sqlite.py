"""The embedded stores: SQLite's online backup copies each file as one consistent
snapshot, also while Vaka writes to it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from vaka.backup.manifest import BackupError

# The case file and the read side; Temporal's own file is not needed: the journeys are
# made again from the case file after a restore.
FILES = ("casefile.sqlite", "vaka.sqlite")


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


def dump(data_dir: Path, folder: Path) -> None:
    check_present(data_dir)
    for name in FILES:
        _copy(data_dir / name, folder / name)


def check_empty(data_dir: Path) -> None:
    present = [name for name in FILES if (data_dir / name).exists()]
    if present:
        raise BackupError(f"{data_dir} already holds {', '.join(present)}; restore into a "
                          f"new VAKA_DATA_DIR")


def restore(data_dir: Path, folder: Path) -> None:
    for name in FILES:
        if not (folder / name).is_file():
            raise BackupError(f"{folder} holds no {name}: it is not an embedded backup")
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name in FILES:
        _copy(folder / name, data_dir / name)


def check_present(data_dir: Path) -> None:
    missing = [name for name in FILES if not (data_dir / name).is_file()]
    if missing:
        raise BackupError(f"{data_dir} holds no {', '.join(missing)}: is VAKA_DATA_DIR right?")
