"""Vaka's files are readable by its own user only: the cipher key and the stores it
creates are 0600 in a 0700 data directory, and what an older version left open is closed
when Vaka starts."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.integration.runtime.conftest import base_env, vaka
from vaka.private import private_dir


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_key_and_the_stores_a_command_creates_are_its_users_alone(tmp_path: Path) -> None:
    data = tmp_path / "vaka-data"
    done = vaka("user", "add", "--name", "Admin", "--role", "admin",
                env=base_env(VAKA_DATA_DIR=str(data)))
    assert done.returncode == 0, done.stderr
    created = [p for p in data.rglob("*")]
    assert {p.name for p in created} >= {"cipher.key"}
    assert any(p.suffix == ".sqlite" for p in created), [p.name for p in created]
    assert _mode(data) == 0o700
    assert {p.name: oct(_mode(p)) for p in created if _mode(p) & 0o077} == {}


def test_what_an_older_version_left_readable_is_closed_at_start(tmp_path: Path) -> None:
    data = tmp_path / "vaka-data"
    (data / "temporal").mkdir(parents=True)
    data.chmod(0o755)
    (data / "temporal").chmod(0o755)
    for name in ("cipher.key", "casefile.sqlite", "temporal/dev.db"):
        (data / name).write_text("x")
        (data / name).chmod(0o644)
    private_dir(data)
    assert _mode(data) == _mode(data / "temporal") == 0o700
    assert [oct(_mode(data / n)) for n in ("cipher.key", "casefile.sqlite", "temporal/dev.db")
            ] == [oct(0o600)] * 3
