"""The restore an operator relies on: children recorded through a running Vaka on
PostgreSQL, `vaka backup` while it runs, `vaka restore` into a new database, and a Vaka
started there with the same key serves the same children, their names readable, their
clocks present, and their journeys running on a Temporal that never saw them before."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest

from tests.conftest import POSTGRES_ADMIN_URL
from tests.support.stack import Api, Stack
from workflows.messages import journey_workflow_id

pytestmark = [pytest.mark.temporal, pytest.mark.postgres]

NAMES = ["Zarafshan", "Amina"]


@pytest.fixture
def fresh_database(postgres_admin: psycopg.Connection) -> Iterator[str]:
    """The database restored into: new, empty, and dropped afterwards."""
    name = f"vaka_restored_{uuid.uuid4().hex[:12]}"
    postgres_admin.execute(f'CREATE DATABASE "{name}"')
    yield urlunparse(urlparse(POSTGRES_ADMIN_URL)._replace(path=f"/{name}"))
    postgres_admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _record_children(stack: Stack) -> tuple[str, dict[str, str]]:
    """A caseworker's token and the children they registered: id -> given name. One is
    reported missing two hours ago, so its police report clock is open."""
    token = stack.cli("user", "add", "--name", "Caseworker", "--role", "caseworker",
                      "--municipality", "Malmö", "--token").splitlines()[1]
    api = Api(stack.url, token)
    children = {}
    for name in NAMES:
        registered = api.post("/children", {
            "arrived_at": (datetime.now(UTC) - timedelta(hours=3)).isoformat(),
            "date_of_birth": "2011-04-02", "date_of_birth_basis": "stated",
            "municipality": "Malmö", "given_name": name})
        assert registered.status_code == 201, registered.text
        children[registered.json()["child_id"]] = name
    first = next(iter(children))
    missing = api.post(f"/children/{first}/events", {
        "type": "ReportedMissing", "last_seen_at": (datetime.now(UTC) - timedelta(hours=2))
        .isoformat(), "place": "school yard", "seen_by": "teacher"})
    assert missing.status_code == 201, missing.text
    for child_id in children:  # the read models have caught up: what a backup should hold
        api.poll("/children", lambda page, c=child_id: any(
            item["child_id"] == c for item in page["items"]), q=children[child_id])
    return token, children


def _views(api: Api, children: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {child_id: api.get(f"/children/{child_id}").json() for child_id in children}


def _essentials(view: dict[str, Any]) -> tuple[Any, ...]:
    clocks = sorted((c["rule_id"], c["due"], c["status"]) for c in view["clocks"])
    return (view["reference"], view["registration"].get("given_name"), view["missing"] is not
            None, clocks)


async def _journey_statuses(address: str, children: list[str], timeout: float) -> set[str]:
    from temporalio.client import Client
    from temporalio.service import RPCError

    client = await Client.connect(address)
    deadline = time.monotonic() + timeout
    statuses: dict[str, str] = {}
    while time.monotonic() < deadline:
        for child_id in children:
            try:
                described = await client.get_workflow_handle(journey_workflow_id(child_id)
                                                             ).describe()
                statuses[child_id] = described.status.name if described.status else "?"
            except RPCError:
                statuses[child_id] = "absent"
        if set(statuses.values()) == {"RUNNING"}:
            break
        await asyncio.sleep(0.2)
    return set(statuses.values())


def _vaka(stack: Stack, *args: str) -> None:
    """A CLI command whose refusal, if any, shows in the failure."""
    done = subprocess.run([sys.executable, "-m", "vaka.cli", *args], env=stack.env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_a_backup_restored_into_a_fresh_database_serves_the_same_children(
        tmp_path: Path, postgres_url: str, fresh_database: str) -> None:
    for side in ("first", "second"):
        (tmp_path / side).mkdir()
    first = Stack(tmp_path / "first" / "data", postgres_url)
    first.start()
    try:
        token, children = _record_children(first)
        before = _views(Api(first.url, token), children)
        _vaka(first, "backup", str(tmp_path / "backup"))  # online, while everything runs
    finally:
        first.stop()
    assert all(view["clocks"] for view in before.values())

    second = Stack(tmp_path / "second" / "data", fresh_database)
    # The operator gives the new host the key kept apart from the backup (on PostgreSQL
    # Vaka never makes one of its own).
    second.env["VAKA_CIPHER_KEY"] = first.env["VAKA_CIPHER_KEY"]
    _vaka(second, "restore", str(tmp_path / "backup"))
    second.start()
    try:
        api = Api(second.url, token)  # users and their tokens came with the database
        after = _views(api, children)
        assert {c: _essentials(v) for c, v in after.items()} == \
            {c: _essentials(v) for c, v in before.items()}
        for child_id, name in children.items():  # the search index reads with the same key
            found = api.get("/children", q=name).json()["items"]
            assert [(item["child_id"], item["name"]) for item in found] == [(child_id, name)]
        statuses = asyncio.run(_journey_statuses(f"127.0.0.1:{second.temporal_port}",
                                                 list(children), timeout=30))
        assert statuses == {"RUNNING"}, "the journeys were not started on the new Temporal"
    finally:
        second.stop()
    assert second.unexpected_exits() == [], "a Vaka process died on its own"
    assert not (tmp_path / "second" / "data" / "cipher.key").exists(), \
        "on PostgreSQL the key lives in VAKA_CIPHER_KEY, never in a host's data directory"
