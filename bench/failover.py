"""Failover under load: two instances of each follower (relay, projector, notifier); the
active one of each is killed with SIGKILL while clients record events through the API.

Reports how long each follower was without an active instance (from the kill to the first
batch the new holder committed), and whether anything was lost or doubled: every event
reached its journey and the read models, every e-mail arrived, none sent by two senders.

    .venv/bin/python -m bench.failover                                  # SQLite
    .venv/bin/python -m bench.failover --database-url postgresql://postgres@127.0.0.1/x

The database must be empty (a fresh one); the stack, the SMTP server and the ports are
its own. tests/e2e/test_failover.py runs the same and asserts the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from vaka.readside.db import Database
from vaka.readside.leases import Holding, holdings
from vaka.readside.tracking import position

FOLLOWERS = ("relay", "projector", "notifier")
# Leased, but with no position to move: its takeover is done once the lease is held.
WITHOUT_POSITION = ("reconciler",)


def wait_until(condition: Callable[[], Any], timeout: float, what: str,
               every: float = 0.05) -> Any:
    """Poll `condition` until it returns something true; fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"within {timeout}s: {what}")


@dataclass(frozen=True)
class Recorded:
    child_id: str
    version: int
    event_type: str


class Load:
    """Clients, each with a child of its own, recording ReportedMissing and Found in turn
    through the API, about `per_second` events each, until stopped."""

    def __init__(self, url: str, token: str, caseworker_id: str, clients: int,
                 per_second: float = 5.0) -> None:
        self.api = httpx.Client(base_url=url, timeout=30,
                                headers={"Authorization": f"Bearer {token}"})
        self.caseworker_id = caseworker_id
        self.clients = clients
        self.pause = 1.0 / per_second
        self.children: list[str] = []
        self.recorded: list[Recorded] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for _ in range(self.clients):
            response = self.api.post("/children", json={
                "arrived_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
                "date_of_birth": "2011-04-02", "date_of_birth_basis": "stated",
                "municipality": "Malmö"})
            response.raise_for_status()
            child_id = response.json()["child_id"]
            self._record(child_id, {"type": "CaseworkerAssigned",
                                    "caseworker_id": self.caseworker_id})
            self.children.append(child_id)
        self._threads = [threading.Thread(target=self._client, args=(c,), daemon=True)
                         for c in self.children]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)
        self.api.close()

    def _client(self, child_id: str) -> None:
        missing = False
        while not self._stop.is_set():
            body = ({"type": "Found", "location": "sweden"} if missing else
                    {"type": "ReportedMissing", "place": "load", "seen_by": "load",
                     "last_seen_at": datetime.now(UTC).isoformat()})  # after the last Found
            if self._record(child_id, body):
                missing = not missing
            self._stop.wait(self.pause)  # the pace of the load, not a wait for a result

    def _record(self, child_id: str, body: dict[str, Any]) -> bool:
        try:
            response = self.api.post(f"/children/{child_id}/events", json=body)
        except httpx.HTTPError as exc:
            self.errors.append(type(exc).__name__)
            return False
        if response.status_code != 201:
            self.errors.append(f"{body['type']}: HTTP {response.status_code}")
            return False
        self.recorded.append(Recorded(child_id, response.json()["version"], body["type"]))
        return True


@dataclass(frozen=True)
class Takeover:
    follower: str
    lease_seconds: float  # from the kill to a standby holding the lease
    seconds: float  # from the kill to the first batch the new holder committed
    old_pid: int | None
    new_pid: int | None


class Followers:
    """The followers' leases and positions, and the processes that hold them."""

    def __init__(self, db: Database, log: Path) -> None:
        self.db = db
        self.log = log
        self.killed: list[int] = []

    def holders(self) -> dict[str, Holding]:
        return holdings(self.db)

    def all_active(self) -> bool:
        held = self.holders()
        return all(f in held and held[f].pid for f in FOLLOWERS)

    def standbys(self, follower: str) -> set[int]:
        """Live processes that have said they stand by for `follower`, other than its holder."""
        said = re.findall(rf"{follower}: (?:standing by|the lease passed to another instance)"
                          r".* as [^:\s]+:(\d+):", self.log.read_text(errors="replace"))
        holder = self.holders()[follower].pid
        return {int(p) for p in said if int(p) != holder and _alive(int(p))}

    def kill_active(self, follower: str, timeout: float = 60) -> list[Takeover]:
        """SIGKILL the process holding `follower`'s lease once a standby is ready; how long
        each follower it held was without an active instance."""
        wait_until(lambda: self.standbys(follower), timeout, f"a standby for {follower}")
        before = self.holders()
        pid = before[follower].pid
        assert pid is not None
        victims = [f for f, h in before.items() if h.pid == pid]
        at = {f: position(self.db, f) for f in victims}
        os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        self.killed.append(pid)
        leased: dict[str, float] = {}
        committed: dict[str, float] = {}

        def taken_over() -> bool:
            held, elapsed = self.holders(), time.monotonic() - killed_at
            for name in victims:
                if name not in leased and held[name].holder != before[name].holder:
                    leased[name] = elapsed
                if name in leased and name not in committed and (
                        name in WITHOUT_POSITION or position(self.db, name) > at[name]):
                    committed[name] = elapsed
            return len(committed) == len(victims)

        wait_until(taken_over, timeout, f"{', '.join(victims)} taken over and moving")
        held = self.holders()
        return [Takeover(name, leased[name], committed[name], pid, held[name].pid)
                for name in victims]


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "State:\tZ" not in status.read_text()
    except OSError:
        return False


@dataclass
class Figures:
    events: int = 0
    load_errors: int = 0
    journeys_behind: int = 0  # recorded events no journey has planned for
    read_models_behind: int = 0  # recorded events the read models do not show
    alerts_missing: int = 0  # disappearances recorded that told no one
    emails: int = 0
    emails_lost: int = 0
    emails_doubled: int = 0  # deliveries two senders both sent (recorded twice)
    # Mails the server got twice under one Message-ID: the one a killed sender had in hand
    # when the server accepted it, sent again once its delivery lease ran out.
    emails_resent: int = 0
    takeovers: list[Takeover] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return (self.journeys_behind + self.read_models_behind + self.alerts_missing
                + self.emails_lost)

    def summary(self) -> str:
        takeovers = "  ".join(f"{t.follower}: lease_taken_s={t.lease_seconds:.2f}"
                              f" first_batch_s={t.seconds:.2f}" for t in self.takeovers)
        return (f"{takeovers}  events={self.events}  load_errors={self.load_errors}"
                f"  journeys_behind={self.journeys_behind}"
                f"  read_models_behind={self.read_models_behind}"
                f"  alerts_missing={self.alerts_missing}  emails={self.emails}"
                f"  lost={self.lost}  doubled={self.emails_doubled}"
                f"  resent_after_kill={self.emails_resent}")


def audit(load: Load, db: Database, temporal_address: str, message_ids: Iterable[str],
          api: httpx.Client) -> Figures:
    """Compare what was recorded with what the journeys, read models and mail show."""
    figures = Figures(events=len(load.recorded), load_errors=len(load.errors))
    versions = {c: int(api.get(f"/children/{c}").json()["version"]) for c in load.children}
    planned = asyncio.run(_planned(temporal_address, load.children))
    figures.journeys_behind = sum(max(0, versions[c] - planned[c]) for c in load.children)
    with db.transaction(readonly=True) as tx:
        shown = {r["child_id"]: int(r["version"]) for r in tx.execute(
            "SELECT child_id, version FROM children")}
        told = {(r["child_id"], int(r["event_seq"])) for r in tx.execute(
            "SELECT child_id, event_seq FROM notifications WHERE kind = 'missing'")}
        expected = {r["notification_id"]: int(r["attempts"]) for r in tx.execute(
            "SELECT notification_id, attempts FROM deliveries WHERE channel = 'email'")}
    figures.read_models_behind = sum(max(0, versions[c] - shown.get(c, 0))
                                     for c in load.children)
    figures.alerts_missing = sum(1 for r in load.recorded if r.event_type == "ReportedMissing"
                                 and (r.child_id, r.version) not in told)
    received = Counter(m.strip("<>").removesuffix("@vaka") for m in message_ids)
    figures.emails = len(expected)
    figures.emails_lost = len(expected.keys() - received.keys())
    figures.emails_doubled = sum(1 for attempts in expected.values() if attempts > 1)
    figures.emails_resent = sum(n - 1 for n in received.values() if n > 1)
    return figures


async def _planned(temporal_address: str, children: list[str]) -> dict[str, int]:
    from temporalio.client import Client

    from workflows.journey import ChildJourney
    from workflows.messages import journey_workflow_id

    client = await Client.connect(temporal_address)
    planned = {}
    for child_id in children:
        try:
            status = await client.get_workflow_handle(journey_workflow_id(child_id)).query(
                ChildJourney.get_status)
            planned[child_id] = status.planned_version
        except Exception:  # not started: nothing planned
            planned[child_id] = 0
    return planned


def run(url: str, token: str, caseworker_id: str, db: Database, log: Path,
        temporal_address: str, message_ids: Callable[[], list[str]], clients: int = 8,
        settle: float = 180) -> Figures:
    """Load, kill the active relay, projector and notifier in turn, stop the load, and
    audit once everything has caught up (or `settle` seconds have passed)."""
    followers = Followers(db, log)
    wait_until(followers.all_active, 60, "every follower active")
    load = Load(url, token, caseworker_id, clients)
    load.start()
    takeovers: list[Takeover] = []
    try:
        wait_until(lambda: len(load.recorded) > 5 * clients or load.errors, 60,
                   "load under way")
        assert not load.errors, f"the API refused the load: {Counter(load.errors)}"
        for follower in FOLLOWERS:
            if follower not in {t.follower for t in takeovers}:  # else it died already
                takeovers += followers.kill_active(follower)
    finally:
        load.stop()
    api = httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {token}"})

    def settled() -> Figures | None:
        figures = audit(load, db, temporal_address, message_ids(), api)
        return figures if figures.lost == 0 else None

    try:
        figures = wait_until(settled, settle, "everything caught up", every=1.0)
    except AssertionError:
        figures = audit(load, db, temporal_address, message_ids(), api)
    figures.takeovers = takeovers
    return figures


def main() -> None:
    from bench.launch import LocalVaka
    from tests.support.smtp import smtp_server

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL (an empty database) instead of SQLite")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp()) / "data"
    with smtp_server() as (inbox, port):
        stack = LocalVaka(data, args.database_url, smtp_port=port)
        stack.env["VAKA_FOLLOWER_INSTANCES"] = "2"
        # Eight clients write with one token, far faster than a person: no rate limit.
        stack.env["VAKA_WRITES_PER_MINUTE"] = "0"
        print(f"starting Vaka ({'PostgreSQL' if args.database_url else 'SQLite'}), two "
              f"instances of each follower; log in {stack.log}", flush=True)
        stack.start()
        db = (Database(postgres_url=args.database_url) if args.database_url
              else Database(sqlite_path=data / "vaka.sqlite"))
        try:
            caseworker_id, token = stack.cli(
                "user", "add", "--name", "Caseworker", "--role", "caseworker", "--municipality",
                "Malmö", "--email", "cw@example.org", "--token").splitlines()
            stack.cli("user", "add", "--name", "Supervisor", "--role", "supervisor",
                      "--municipality", "Malmö", "--email", "sup@example.org")
            figures = run(stack.url, token, caseworker_id, db, stack.log,
                          f"127.0.0.1:{stack.temporal_port}",
                          lambda: [m["Message-ID"] for m in list(inbox.messages)],
                          args.clients)
        finally:
            db.close()
            stack.stop()
    print(figures.summary())


if __name__ == "__main__":
    main()
