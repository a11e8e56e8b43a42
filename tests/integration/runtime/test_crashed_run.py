"""After `vaka run` is killed outright (kill -9 of the supervisor), its children run on and
hold the ports. The next start stops exactly those children and comes up healthy."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.runtime.conftest import base_env
from vaka.runtime.leftovers import FILE

pytestmark = [pytest.mark.temporal]


def _port() -> int:
    # Released before `vaka run` binds it: a clash is possible, and start() retries on one
    # (vaka run names the port and exits 78).
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Run:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.log = data_dir.parent / "vaka-run.log"
        self.ports = (_port(), _port(), _port())
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, keep_ports: bool = False) -> None:
        for _ in range(3):
            api, temporal, ui = self.ports
            env = base_env(VAKA_DATA_DIR=str(self.data_dir), VAKA_API_PORT=str(api),
                           VAKA_TEMPORAL_ADDRESS=f"127.0.0.1:{temporal}",
                           VAKA_TEMPORAL_UI_PORT=str(ui), VAKA_POLL_INTERVAL_SECONDS="0.1")
            with open(self.log, "ab") as log:
                self.process = subprocess.Popen([sys.executable, "-m", "vaka.cli", "run"],
                                                env=env, stdout=log, stderr=subprocess.STDOUT)
            if self._wait_ready(api):
                return
            if keep_ports or "cannot be used" not in self.log.read_text():
                break
            self.ports = (_port(), _port(), _port())  # another program took one: again
        raise AssertionError(f"vaka run did not come up:\n{self.log.read_text()[-4000:]}")

    def _wait_ready(self, api: int, timeout: float = 90) -> bool:
        """This run has started all its children and its API is ready with every dependency
        up (Temporal too); False once the run exited."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if not self._all_started():
                time.sleep(0.2)
                continue
            try:
                answer = httpx.get(f"http://127.0.0.1:{api}/health/ready", timeout=2)
                if answer.status_code == 200 and answer.json()["status"] == "ready":
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        return False

    def _all_started(self) -> bool:
        try:
            recorded = json.loads((self.data_dir / FILE).read_text())
        except (OSError, ValueError):
            return False
        assert self.process is not None
        return bool(recorded["supervisor"]["pid"] == self.process.pid
                    and len(recorded["children"]) == 5)

    def children(self) -> list[int]:
        recorded = json.loads((self.data_dir / FILE).read_text())
        return [int(child["pid"]) for child in recorded["children"]]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    running = Run(tmp_path / "data")
    left: list[int] = []
    try:
        yield running
    finally:
        if (running.data_dir / FILE).exists():
            left = running.children()
        running.stop()
        for pid in left:  # whatever a failed test left behind
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)


def test_a_start_after_the_supervisor_was_killed_stops_the_old_children_and_comes_up(
        run: Run) -> None:
    run.start()
    old = run.children()
    assert len(old) == 5  # the dev server, worker, relay, projector and api
    assert run.process is not None
    os.kill(run.process.pid, signal.SIGKILL)
    run.process.wait(10)
    assert all(_alive(pid) for pid in old)  # what used to make the next start crash-loop

    run.start(keep_ports=True)  # the same ports the old children hold

    assert not any(_alive(pid) for pid in old), run.log.read_text()[-3000:]
    assert set(run.children()).isdisjoint(old)
    log = run.log.read_text()
    assert log.count("left running by a crashed `vaka run`") == len(old)
    assert "restarting in" not in log
