"""Read-model load: the supervisor's missed-clocks view with N children loaded.

Fills the read models with N children (about ten clocks each, one in ten with a missed
deadline, spread over 20 municipalities and 400 caseworkers), starts the API on a real
port, and measures p50/p99 of GET /overview/clocks?view=missed as a supervisor sees it.

    .venv/bin/python -m bench.read_models                       # SQLite, 50,000 children
    .venv/bin/python -m bench.read_models --database-url postgresql://...
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn
from eventsourcing.cipher import AESCipher

from api.app import create_app
from domain.municipalities import all_municipalities
from vaka.bootstrap import build
from vaka.config import Settings
from vaka.readside.db import ts

RULES = ["arrival.guardian", "arrival.health_exam", "arrival.crisis_plan", "risk.assessment",
         "placement.followup", "placement.review", "decision.sip_meeting",
         "missing.police_report", "missing.search_review", "age.prepare_adulthood"]


def municipality_of(i: int) -> str:
    """One of the first twenty of Sweden's municipalities: users must name real ones."""
    return all_municipalities()[i % 20].name


def load(db, children: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    now = datetime.now(UTC)
    with db.transaction() as tx:
        for i in range(children):
            child_id = str(uuid.UUID(int=rng.getrandbits(128)))
            municipality = municipality_of(i)
            caseworker = f"cw-{i % 400:03d}"
            tx.execute("INSERT INTO children (child_id, municipality, stage, caseworker_id,"
                       " version) VALUES (?, ?, 'in_asylum_process', ?, 12)",
                       (child_id, municipality, caseworker))
            for j, rule in enumerate(RULES):
                due = now + timedelta(hours=rng.randint(-2000, 2000))
                status = "missed" if (j == 0 and i % 10 == 0) else (
                    "met" if due < now else "open")
                tx.execute("INSERT INTO clocks (child_id, clock_id, rule_id, kind, municipality,"
                           " caseworker_id, owner, due, status, policy_version)"
                           " VALUES (?, ?, ?, 'deadline', ?, ?, 'caseworker', ?, ?, 'bench')",
                           (child_id, f"{rule}@{j + 1}", rule, municipality, caseworker,
                            ts(due), status))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    settings = Settings(data_dir=Path(tempfile.mkdtemp()), database_url=args.database_url,
                        cipher_key=AESCipher.create_key(num_bytes=32))
    services = build(settings)
    started = time.monotonic()
    load(services.db, args.children)
    print(f"loaded {args.children} children in {time.monotonic() - started:.1f}s", flush=True)
    supervisor = services.users.add("Bench supervisor", "supervisor", municipality_of(7))
    token = services.users.issue_token(supervisor.user_id)
    # Port 0: the kernel picks a free port as the server binds, so nothing can take it first.
    server = uvicorn.Server(uvicorn.Config(create_app(services), host="127.0.0.1",
                                           port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}",
                          headers={"Authorization": f"Bearer {token}"})
    views = [{"view": "missed"}, {"view": "missed", "caseworker_id": "cw-007"},
             {"view": "due_soon", "within_hours": 48}]
    timings: dict[str, list[float]] = {str(v): [] for v in views}
    rows = 0
    for i in range(args.requests):
        params = views[i % len(views)]
        t0 = time.perf_counter()
        response = client.get("/overview/clocks", params=params)
        timings[str(params)].append(time.perf_counter() - t0)
        response.raise_for_status()
        rows = max(rows, len(response.json()["items"]))
    server.should_exit = True
    thread.join(5)
    store = "PostgreSQL" if args.database_url else "SQLite"
    for view, values in timings.items():
        print(f"{store} children={args.children} {view}: p50_ms={pct(values, 50) * 1000:.1f}"
              f" p99_ms={pct(values, 99) * 1000:.1f} mean_ms="
              f"{statistics.mean(values) * 1000:.1f} n={len(values)}")
    services.close()


if __name__ == "__main__":
    main()
