"""Vaka's files are its own: the cipher key, the SQLite stores, the Temporal dev server's
database and logs hold children's data or the key to it. Everything Vaka creates is
readable by its own user only (a umask of 077, set before anything is created), and the
data directory is 0700 with what was already in it brought to 0600/0700 at start."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def keep_private() -> None:
    """From now on this process, and every process it starts, creates files 0600 and
    directories 0700."""
    os.umask(PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """`path` as a directory only its owner can enter; files and folders already in it
    (e.g. from a version of Vaka before this rule) lose every permission of group and others."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    for folder, dirs, files in os.walk(path):
        for name in (*dirs, *files):
            _tighten(Path(folder) / name)
    _tighten(path)
    return path


def _tighten(path: Path) -> None:
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:  # e.g. a SQLite journal that came and went
        return
    if stat.S_ISLNK(mode) or not mode & 0o077:
        return
    try:
        path.chmod(stat.S_IMODE(mode) & ~0o077)
    except (FileNotFoundError, PermissionError):
        return  # not ours to change (a mount point, another user's file)
