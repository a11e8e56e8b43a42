"""What `vaka run` leaves behind when it is killed outright (kill -9, a power cut of the
container): its children run on, hold the ports and the SQLite files, and the next start
would crash-loop. The supervisor records its children in data_dir/vaka-run.json, and the
next start stops those still running — only processes whose command line and start time
are the recorded ones, so a pid reused by an unrelated program is never touched."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import time
from pathlib import Path

from vaka.config import ConfigError

log = logging.getLogger("vaka.runtime.leftovers")
FILE = "vaka-run.json"


def _identity(pid: int) -> tuple[list[str], int] | None:
    """A live process's command line and start time (clock ticks since boot), or None for
    a process that is gone or a zombie."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":
        return None
    return [w.decode(errors="replace") for w in cmdline.split(b"\0") if w], int(fields[19])


def _settled_identity(pid: int, timeout: float = 2.0) -> tuple[list[str], int] | None:
    """The identity once the command line is readable: just after exec the kernel shows an
    empty one for a moment."""
    deadline = time.monotonic() + timeout
    found = _identity(pid)
    while found is not None and not found[0] and time.monotonic() < deadline:
        time.sleep(0.005)
        found = _identity(pid)
    return found if found and found[0] else None


def record(data_dir: Path, pids: list[int]) -> None:
    """Write down this supervisor and its children (each leads a process group of its own)."""
    entries = []
    for pid in [os.getpid(), *pids]:
        found = _settled_identity(pid)
        if found is not None:
            entries.append({"pid": pid, "cmdline": found[0], "started": found[1]})
    if not entries or entries[0]["pid"] != os.getpid():
        return  # no /proc (not Linux): nothing can be matched safely later
    path = data_dir / FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"supervisor": entries[0], "children": entries[1:]}))
    temporary.replace(path)


def forget(data_dir: Path) -> None:
    (data_dir / FILE).unlink(missing_ok=True)


def _still_ours(entry: dict[str, object]) -> bool:
    found = _identity(int(entry["pid"]))  # type: ignore[call-overload]
    return found is not None and found == (entry["cmdline"], entry["started"])


def clean_up(data_dir: Path, timeout: float = 15.0) -> list[int]:
    """Stop what a crashed earlier run left; the pids stopped. Refuses (ConfigError) when
    that run's supervisor is still alive: two supervisors on one data dir would fight."""
    path = data_dir / FILE
    try:
        recorded = json.loads(path.read_text())
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        log.warning("ignoring an unreadable %s", path)
        return []
    supervisor = recorded.get("supervisor") or {}
    if supervisor and supervisor.get("pid") != os.getpid() and _still_ours(supervisor):
        raise ConfigError(f"another `vaka run` (pid {supervisor['pid']}) is running on "
                          f"{data_dir}; stop it first")
    left = [entry for entry in recorded.get("children", []) if _still_ours(entry)]
    for entry in left:
        log.warning("stopping pid %s left running by a crashed `vaka run`: %s",
                    entry["pid"], " ".join(entry["cmdline"])[:120])
        _signal_group(int(entry["pid"]), signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while any(_still_ours(e) for e in left) and time.monotonic() < deadline:
        time.sleep(0.1)
    for entry in left:
        if _still_ours(entry):
            _signal_group(int(entry["pid"]), signal.SIGKILL)
    while any(_still_ours(e) for e in left) and time.monotonic() < deadline + 5:
        time.sleep(0.1)
    path.unlink(missing_ok=True)
    return [int(entry["pid"]) for entry in left]


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)  # the child and whatever it started
    except (ProcessLookupError, PermissionError):  # not a group leader after all
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)
