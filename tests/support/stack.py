"""The whole of Vaka as `vaka run` starts it (bench.launch), with what tests need besides:
kill -9 of one process, the deaths a test did not cause, and an HTTP client per person."""

from __future__ import annotations

import os
import re
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench.launch import LocalVaka, descendants, parent_of
from vaka.bootstrap import build
from vaka.config import Settings


class Stack(LocalVaka):
    """A local Vaka whose processes a test can kill, and which knows which deaths it caused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Several stacks run at once under pytest-xdist, on one PostgreSQL of 100 connections:
        # each process keeps two open and opens one more on demand.
        self.env.setdefault("VAKA_DATABASE_CONNECTIONS", "3")
        self.killed: Counter[str] = Counter()  # deaths this test caused, by role

    def pids(self, role: str) -> list[int]:
        """Pids of a child of this stack's supervisor: worker, relay, projector, api, temporal."""
        assert self.process is not None
        found = []
        for pid in descendants(self.process.pid):
            if parent_of(pid) != self.process.pid:
                continue
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            words = [w.decode(errors="replace") for w in cmdline if w]
            if role == "temporal":
                matches = "start-dev" in words
            else:
                matches = "vaka.cli" in words and words[-1] == role
            if matches:
                found.append(pid)
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
        self.killed[role] += len(pids)

    def unexpected_exits(self) -> list[str]:
        """The supervisor's reports of processes that died without this test killing them,
        each naming the process that died (starts retried on a port clash left out)."""
        caused = Counter(self.killed)
        unexpected = []
        for line in self.kept_output().splitlines():
            exited = _EXITED.search(line)
            if not exited:
                continue
            if caused[exited["role"]] > 0:
                caused[exited["role"]] -= 1
            else:
                unexpected.append(line.strip())
        return unexpected

    def wait_settled(self, timeout: float = 30) -> None:
        """Until every follower (relay, projector, notifier) has handled every event in the
        case file at one and the same moment: what a restart would double is doubled by
        then, so a test can count."""
        settings = Settings(data_dir=Path(self.env["VAKA_DATA_DIR"]),
                            database_url=self.env.get("VAKA_DATABASE_URL"),
                            cipher_key=self.env.get("VAKA_CIPHER_KEY"))
        services = build(settings)
        try:
            deadline = time.monotonic() + timeout
            while True:
                head = services.case_file.recorder.max_notification_id() or 0
                with services.db.transaction(readonly=True) as tx:
                    positions = {r["follower"]: int(r["position"])
                                 for r in tx.execute("SELECT follower, position FROM tracking")}
                if all(positions.get(name, 0) >= head for name in FOLLOWERS):
                    return
                if time.monotonic() > deadline:
                    raise AssertionError(f"followers behind event {head}: {positions}")
                time.sleep(0.1)
        finally:
            services.close()


FOLLOWERS = ("relay", "projector", "notifier")
# The supervisor's report of a child that died: "<role> exited with <code>; restarting ...".
_EXITED = re.compile(r"\b(?P<role>[a-z][\w-]*) exited with (?P<code>-?\d+)")


class Api:
    """One person's HTTP client. Given the stack rather than its address, it follows the
    stack to the new port when a restart had to move it."""

    def __init__(self, where: str | LocalVaka, token: str) -> None:
        self.where = where
        self._client = httpx.Client(timeout=30, headers={"Authorization": f"Bearer {token}"})

    @property
    def url(self) -> str:
        return self.where if isinstance(self.where, str) else self.where.url

    @property
    def client(self) -> httpx.Client:
        self._client.base_url = httpx.URL(self.url)
        return self._client

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
