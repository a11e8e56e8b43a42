"""The whole of Vaka as `vaka run` starts it (bench.launch), with what tests need besides:
kill -9 of one process, the deaths a test did not cause, and an HTTP client per person."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx

from bench.launch import LocalVaka


class Stack(LocalVaka):
    """A local Vaka whose processes a test can kill, and which knows which deaths it caused."""

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
