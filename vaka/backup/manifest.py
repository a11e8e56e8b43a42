"""What a backup says about itself: which store it came from, how far the case file's log
went, and a fingerprint of the key that reads it (never the key itself)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

FORMAT = 1
MANIFEST = "manifest.json"
KEY_FILE = "cipher.key"


class BackupError(Exception):
    """Something an operator must fix; the message says what, and nothing was changed."""


def key_fingerprint(key: str) -> str:
    """Tells two keys apart without revealing either."""
    return hashlib.sha256(b"vaka:key-fingerprint:" + key.strip().encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Manifest:
    store: str  # "postgresql" or "sqlite"
    created_at: str
    vaka_version: str
    key_fingerprint: str
    last_notification_id: int
    key_included: bool
    format: int = FORMAT

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        if not path.is_file():
            raise BackupError(f"{folder} is not a Vaka backup: it has no {MANIFEST}")
        try:
            fields = json.loads(path.read_text())
            manifest = cls(**fields)
        except (ValueError, TypeError) as exc:
            raise BackupError(f"{path} is damaged or not a Vaka manifest ({exc})") from None
        if manifest.format != FORMAT:
            raise BackupError(f"{folder} has backup format {manifest.format}; this Vaka "
                              f"reads format {FORMAT}")
        return manifest


def write_key(folder: Path, key: str) -> None:
    """The key goes next to the dump only readable by its owner: whoever holds both can
    read every case file."""
    fd = os.open(folder / KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.strip() + "\n")


def read_key(folder: Path) -> str | None:
    path = folder / KEY_FILE
    return path.read_text().strip() if path.is_file() else None


def new_folder(folder: Path) -> None:
    """A backup is written into a folder of its own, readable by its owner only."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty; give a new folder for the backup")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
