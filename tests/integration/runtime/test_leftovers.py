"""The clean-up after a crashed `vaka run` stops only processes that are really the ones it
recorded (same command line, same start time): a pid reused by another program is left
alone, and a supervisor still alive makes the new start refuse instead."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from vaka.config import ConfigError
from vaka.runtime import leftovers


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(["sleep", "300"], start_new_session=True)
    yield process
    process.kill()
    process.wait()


def recorded(data_dir: Path) -> dict[str, object]:
    return json.loads((data_dir / leftovers.FILE).read_text())  # type: ignore[no-any-return]


def write(data_dir: Path, record: dict[str, object]) -> None:
    (data_dir / leftovers.FILE).write_text(json.dumps(record))


def test_a_recorded_child_still_running_is_stopped(
        tmp_path: Path, sleeper: subprocess.Popen[bytes]) -> None:
    leftovers.record(tmp_path, [sleeper.pid])
    write(tmp_path, {**recorded(tmp_path), "supervisor": {}})  # the supervisor is gone
    assert leftovers.clean_up(tmp_path) == [sleeper.pid]
    assert sleeper.wait(5) == -15  # SIGTERM first
    assert not (tmp_path / leftovers.FILE).exists()


def test_a_pid_now_held_by_another_program_is_left_alone(
        tmp_path: Path, sleeper: subprocess.Popen[bytes]) -> None:
    leftovers.record(tmp_path, [sleeper.pid])
    record = recorded(tmp_path)
    child = record["children"][0]  # type: ignore[index]
    child["cmdline"] = ["/usr/bin/python3", "-m", "vaka.cli", "worker"]
    write(tmp_path, {**record, "supervisor": {}})
    assert leftovers.clean_up(tmp_path) == []
    assert sleeper.poll() is None


def test_the_same_command_started_at_another_time_is_left_alone(
        tmp_path: Path, sleeper: subprocess.Popen[bytes]) -> None:
    leftovers.record(tmp_path, [sleeper.pid])
    record = recorded(tmp_path)
    record["children"][0]["started"] -= 1  # type: ignore[index]
    write(tmp_path, {**record, "supervisor": {}})
    assert leftovers.clean_up(tmp_path) == []
    assert sleeper.poll() is None


def test_a_start_refuses_while_the_recorded_supervisor_still_runs(
        tmp_path: Path, sleeper: subprocess.Popen[bytes]) -> None:
    leftovers.record(tmp_path, [sleeper.pid])
    record = recorded(tmp_path)
    write(tmp_path, {"supervisor": record["children"][0], "children": []})  # type: ignore[index]
    with pytest.raises(ConfigError, match=f"another `vaka run` \\(pid {sleeper.pid}\\)"):
        leftovers.clean_up(tmp_path)
    assert sleeper.poll() is None
