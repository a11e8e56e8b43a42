"""Write load: C concurrent clients record N events through the running API.

Reports events/s, p50/p99 write latency, and p50/p99 lag from the API's answer to the
journey workflow having planned for that version (its `get_status` query).

    .venv/bin/python -m bench.write_load --start                # embedded SQLite stack
    .venv/bin/python -m bench.write_load --start --database-url postgresql://...
    .venv/bin/python -m bench.write_load --url http://127.0.0.1:8000 --token T  # running
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from temporalio.client import Client

from workflows.journey import ChildJourney
from workflows.messages import journey_workflow_id

MUNICIPALITY = "Kiruna"  # a real one: users and children name one of Sweden's 290


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class LagWatch:
    """One poller per child: resolves every recorded version the workflow has planned for,
    so measuring adds a few queries a second, not one per event."""

    def __init__(self, temporal: Client, child_id: str, lags: list[float]) -> None:
        self.handle = temporal.get_workflow_handle(journey_workflow_id(child_id))
        self.pending: list[tuple[int, float]] = []
        self.lags = lags
        self.writing = True

    async def run(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while (self.writing or self.pending) and time.monotonic() < deadline:
            try:
                planned = (await self.handle.query(ChildJourney.get_status)).planned_version
            except Exception:  # not started yet: the relay has not delivered the first event
                planned = -1
            now = time.monotonic()
            self.lags.extend(now - at for version, at in self.pending if version <= planned)
            self.pending = [(v, at) for v, at in self.pending if v > planned]
            await asyncio.sleep(0.1)


async def client_loop(api: httpx.AsyncClient, watch: LagWatch, child_id: str, events: int,
                      latencies: list[float]) -> None:
    missing = False
    for _ in range(events):
        now = datetime.now(UTC)
        body = ({"type": "Found", "location": "sweden"} if missing else
                {"type": "ReportedMissing", "last_seen_at": (now - timedelta(hours=1)).isoformat(),
                 "place": "bench", "seen_by": "bench"})
        started = time.monotonic()
        response = await api.post(f"/children/{child_id}/events", json=body)
        done = time.monotonic()
        response.raise_for_status()
        latencies.append(done - started)
        missing = not missing
        watch.pending.append((response.json()["version"], done))
    watch.writing = False


async def run(url: str, token: str, temporal_address: str, clients: int, events: int) -> dict:  # type: ignore[type-arg]
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients * 2)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60,
                                 limits=limits) as api:
        temporal = await Client.connect(temporal_address)
        children = []
        for i in range(clients):
            response = await api.post("/children", json={
                "arrived_at": datetime.now(UTC).isoformat(),
                "date_of_birth": "2012-01-01", "date_of_birth_basis": "stated",
                "municipality": MUNICIPALITY, "given_name": f"Bench {i}"})
            response.raise_for_status()
            children.append(response.json()["child_id"])
        latencies: list[float] = []
        lags: list[float] = []
        watches = [LagWatch(temporal, c, lags) for c in children]
        watching = [asyncio.create_task(w.run()) for w in watches]
        per_client = max(1, events // clients)
        started = time.monotonic()
        await asyncio.gather(*(client_loop(api, w, c, per_client, latencies)
                               for w, c in zip(watches, children, strict=True)))
        elapsed = time.monotonic() - started
        await asyncio.gather(*watching)
    return {
        "clients": clients, "events": len(latencies), "seconds": round(elapsed, 2),
        "events_per_s": round(len(latencies) / elapsed, 1),
        "write_p50_ms": round(pct(latencies, 50) * 1000, 1),
        "write_p99_ms": round(pct(latencies, 99) * 1000, 1),
        "lag_p50_ms": round(pct(lags, 50) * 1000, 1),
        "lag_p99_ms": round(pct(lags, 99) * 1000, 1),
        "lag_samples": len(lags),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start", action="store_true", help="start a Vaka stack of its own")
    parser.add_argument("--database-url", help="with --start: PostgreSQL instead of SQLite")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", help=f"a caseworker token of {MUNICIPALITY}")
    parser.add_argument("--temporal", default="127.0.0.1:7233")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--events", type=int, default=800)
    args = parser.parse_args()
    stack = None
    if args.start:
        from bench.launch import LocalVaka

        stack = LocalVaka(Path(tempfile.mkdtemp()) / "data", args.database_url)
        stack.env["VAKA_LOG_LEVEL"] = "WARNING"
        # All clients write with one token, far faster than a person: no write rate limit.
        stack.env["VAKA_WRITES_PER_MINUTE"] = "0"
        print(f"starting Vaka ({'PostgreSQL' if args.database_url else 'SQLite'}) ...",
              flush=True)
        stack.start()
        lines = stack.cli("user", "add", "--name", "Bench", "--role", "caseworker",
                          "--municipality", MUNICIPALITY, "--token").splitlines()
        args.token, args.url = lines[1], stack.url
        args.temporal = f"127.0.0.1:{stack.temporal_port}"
    try:
        result = asyncio.run(run(args.url, args.token, args.temporal, args.clients, args.events))
    finally:
        if stack is not None:
            stack.stop()
    print("  ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
