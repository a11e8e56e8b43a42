"""The whole of Vaka as `vaka run` starts it, in a temporary data directory, on free ports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import free_port


class Stack:
    def __init__(self, data_dir: Path, database_url: str | None,
                 smtp_port: int | None = None) -> None:
        self.api_port = free_port()
        self.temporal_port = free_port()
        self.env = {
            **os.environ,
            "VAKA_DATA_DIR": str(data_dir),
            "VAKA_API_PORT": str(self.api_port),
            "VAKA_TEMPORAL_ADDRESS": f"127.0.0.1:{self.temporal_port}",
            "VAKA_TEMPORAL_UI_PORT": str(free_port()),
            "VAKA_PUBLIC_URL": f"http://127.0.0.1:{self.api_port}",
            "VAKA_POLL_INTERVAL_SECONDS": "0.1",
        }
        if database_url:
            self.env["VAKA_DATABASE_URL"] = database_url
        if smtp_port:
            self.env.update({"VAKA_SMTP_HOST": "127.0.0.1", "VAKA_SMTP_PORT": str(smtp_port)})
        self.url = f"http://127.0.0.1:{self.api_port}"
        self.log = data_dir.parent / "vaka-run.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def cli(self, *args: str) -> str:
        out = subprocess.run([sys.executable, "-m", "vaka.cli", *args], env=self.env,
                             check=True, capture_output=True, text=True, timeout=60)
        return out.stdout.strip()

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "vaka.cli", "run"],
                                            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"Vaka did not come up; see {self.log}:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def pids(self, role: str) -> list[int]:
        """Pids of a child of this stack's supervisor: worker, relay, projector, api, temporal."""
        assert self.process is not None
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid != self.process.pid:
                continue
            words = [w.decode(errors="replace") for w in cmdline if w]
            if role == "temporal":
                matches = "start-dev" in words
            else:
                matches = "vaka.cli" in words and words[-1] == role
            if matches:
                found.append(int(entry.name))
        return found

    def kill9(self, role: str) -> None:
        deadline = time.monotonic() + 15
        pids = self.pids(role)
        while not pids and time.monotonic() < deadline:  # e.g. being restarted just now
            time.sleep(0.1)
            pids = self.pids(role)
        assert pids, f"no {role} process to kill; see {self.log}"
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        self.kills += 1

    def unexpected_exits(self) -> list[str]:
        """Processes that died without a test killing them (restarts the supervisor made)."""
        exits = [line for line in self.log.read_text().splitlines() if "exited with" in line]
        return exits[self.kills:] if len(exits) > self.kills else []


class Api:
    def __init__(self, url: str, token: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=30,
                                   headers={"Authorization": f"Bearer {token}"})

    def post(self, path: str, body: dict[str, Any], **headers: str) -> httpx.Response:
        return self.client.post(path, json=body, headers=headers)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params)

    def poll(self, path: str, until, timeout: float = 30, **params: Any) -> Any:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            response = self.get(path, **params)
            if response.status_code == 200:
                last = response.json()
                if until(last):
                    return last
            time.sleep(0.2)
        raise AssertionError(f"GET {path} never matched within {timeout}s; last: {last}")
