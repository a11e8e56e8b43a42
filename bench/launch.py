"""A whole Vaka as `vaka run` starts it, in a data directory of its own and on ports of its
own: what the benchmarks measure and the end-to-end tests drive.

`vaka run` starts servers (the Temporal dev server and its UI, the API) that cannot be
handed a bound socket, so their ports are only candidates: free when chosen, perhaps taken
by the time the server binds them. A start is therefore checked rather than trusted: it
counts as up only when the API answers and the API's and Temporal's ports are held by this
run's own processes, and a start whose output says a port is in use is stopped and retried
on fresh ports. Nothing is judged by how long it took.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from eventsourcing.cipher import AESCipher

# What the Temporal CLI ("bind: address already in use"), uvicorn ("[Errno 98] ... address
# already in use") and a start-up check naming the port say when a port is taken.
_CLASH = re.compile(r"address already in use|\bport \d+ is (?:already )?in use", re.IGNORECASE)
START_ATTEMPTS = 5


def candidate_port() -> int:
    """A port that is free now. Only for a server that cannot bind port 0 itself, and only
    with a check that the server got it and a retry when it did not (`port_clash`)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_clash(output: str) -> bool:
    """Whether a server's output says the port it was given was taken."""
    return bool(_CLASH.search(output))


class PortClash(Exception):
    """A server of this run could not bind its port: start again on other ports."""


class LocalVaka:
    def __init__(self, data_dir: Path, database_url: str | None,
                 smtp_port: int | None = None) -> None:
        self.env = {
            **os.environ,
            "VAKA_DATA_DIR": str(data_dir),
            "VAKA_POLL_INTERVAL_SECONDS": "0.1",
        }
        if database_url:
            self.env["VAKA_DATABASE_URL"] = database_url
            # On PostgreSQL every process must be given the key (vaka.bootstrap.cipher_key).
            self.env.setdefault("VAKA_CIPHER_KEY", AESCipher.create_key(num_bytes=32))
        if smtp_port:
            self.env.update({"VAKA_SMTP_HOST": "127.0.0.1", "VAKA_SMTP_PORT": str(smtp_port)})
        self.log = data_dir.parent / "vaka-run.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._log_offset = 0  # where the output of the current start begins
        self.clashed: list[tuple[int, int]] = []  # log ranges of starts retried on a clash
        self._choose_ports()

    def _choose_ports(self) -> None:
        self.api_port = candidate_port()
        self.temporal_port = candidate_port()
        self.url = f"http://127.0.0.1:{self.api_port}"
        self.env.update({
            "VAKA_API_PORT": str(self.api_port),
            "VAKA_TEMPORAL_ADDRESS": f"127.0.0.1:{self.temporal_port}",
            "VAKA_TEMPORAL_UI_PORT": str(candidate_port()),
            "VAKA_PUBLIC_URL": self.url,
        })

    def cli(self, *args: str) -> str:
        out = subprocess.run([sys.executable, "-m", "vaka.cli", *args], env=self.env,
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0:  # the command's own words say why
            raise RuntimeError(f"vaka {args[0]} exited {out.returncode}: {out.stderr.strip()}")
        return out.stdout.strip()

    def start(self) -> None:
        """`vaka run`, retried on fresh ports while one of its servers finds its port taken.
        A restart keeps the ports it had unless they are taken meanwhile."""
        for _attempt in range(START_ATTEMPTS):
            self.log.touch()
            self._log_offset = self.log.stat().st_size
            with open(self.log, "ab") as log:
                self.process = subprocess.Popen([sys.executable, "-m", "vaka.cli", "run"],
                                                env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT)
            try:
                self.wait_ready()
                return
            except PortClash:
                self.stop()
                self.clashed.append((self._log_offset, self.log.stat().st_size))
                self._choose_ports()
        raise AssertionError(f"Vaka found its ports taken {START_ATTEMPTS} times; "
                             f"see {self.log}")

    def output(self) -> str:
        """What `vaka run` printed since it was last started."""
        with open(self.log, "rb") as log:
            log.seek(self._log_offset)
            return log.read().decode(errors="replace")

    def kept_output(self) -> str:
        """Everything `vaka run` printed in this data directory, but the starts that were
        retried because a port was taken."""
        text = self.log.read_bytes()
        for start, end in reversed(self.clashed):
            text = text[:start] + text[end:]
        return text.decode(errors="replace")

    def wait_ready(self, timeout: float = 90) -> None:
        """Until the API answers ready and both it and Temporal listen in this run's own
        processes. Raises PortClash as soon as the output says a port was taken."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if port_clash(self.output()):
                raise PortClash(self.output())
            if self.process.poll() is not None:
                raise AssertionError(f"`vaka run` exited with {self.process.returncode}:\n"
                                     f"{self.output()}")
            if self._ours(self.api_port) and self._ours(self.temporal_port) and self._ready():
                return
            time.sleep(0.1)
        raise AssertionError(f"Vaka did not come up within {timeout}s:\n{self.output()}")

    def _ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def _ours(self, port: int) -> bool:
        """Whether a process of this run listens on the port (not a neighbour's server)."""
        assert self.process is not None
        listening = listening_sockets(port)
        if listening is None:  # no /proc: cannot tell, trust the answer
            return True
        return any(listening & socket_inodes(pid)
                   for pid in descendants(self.process.pid))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---- who listens where, from /proc (Linux) ----

def listening_sockets(port: int) -> set[str] | None:
    """Inodes of the TCP sockets listening on the port, or None where /proc cannot tell."""
    found: set[str] = set()
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not tables[0].exists():
        return None
    for table in tables:
        try:
            lines = table.read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if len(cols) > 9 and cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                found.add(cols[9])
    return found


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        pass
    return inodes


def parent_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def descendants(root: int) -> list[int]:
    """The process and every process below it."""
    parents = {int(p.name): parent_of(int(p.name)) for p in Path("/proc").iterdir()
               if p.name.isdigit()}
    found, frontier = [root], [root]
    while frontier:
        below = [pid for pid, parent in parents.items() if parent in frontier]
        found += below
        frontier = below
    return found
