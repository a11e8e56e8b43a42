"""A whole Vaka as `vaka run` starts it, in a data directory of its own and on free ports:
what the benchmarks measure and the end-to-end tests drive."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalVaka:
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

