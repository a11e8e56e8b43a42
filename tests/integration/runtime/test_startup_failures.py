"""A start that cannot work stops within seconds and names the cause (exit code 78, the
configuration error no restart can mend), instead of restarting or waiting in silence."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.runtime.conftest import base_env, temporal_address, vaka
from vaka.config import ConfigError
from vaka.runtime.supervisor import Child, _restart_the_dead


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A loopback port another program listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def run_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    # Port 0 is always free to bind, so only the port a test takes can be the one named.
    return base_env(**{"VAKA_DATA_DIR": str(tmp_path / "data"), "VAKA_API_PORT": "0",
                       "VAKA_TEMPORAL_ADDRESS": "127.0.0.1:0", "VAKA_TEMPORAL_UI_PORT": "0",
                       **settings})


def timed(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = vaka(*args, env=env, timeout=60)
    return done, time.monotonic() - started


def test_vaka_run_with_the_api_port_taken_names_the_port_and_stops(
        tmp_path: Path, taken_port: int) -> None:
    done, seconds = timed("run", env=run_env(tmp_path, VAKA_API_PORT=str(taken_port)))
    assert done.returncode == 78
    assert f"vaka run: port {taken_port} on 127.0.0.1 (VAKA_API_PORT) cannot be used" in (
        done.stderr)
    assert seconds < 15


def test_vaka_run_with_the_temporal_port_taken_names_the_port_and_stops(
        tmp_path: Path, taken_port: int) -> None:
    done, seconds = timed("run", env=run_env(
        tmp_path, VAKA_TEMPORAL_ADDRESS=f"127.0.0.1:{taken_port}"))
    assert done.returncode == 78
    assert f"port {taken_port} on 127.0.0.1 (VAKA_TEMPORAL_ADDRESS) cannot be used" in (
        done.stderr)
    assert seconds < 15


def test_the_api_alone_with_its_port_taken_names_the_port(
        tmp_path: Path, taken_port: int) -> None:
    done, seconds = timed("api", env=run_env(tmp_path, VAKA_API_PORT=str(taken_port)))
    assert seconds < 30  # the web app takes a while to import on a busy machine
    assert done.returncode == 78
    assert f"port {taken_port} on 127.0.0.1 (VAKA_API_PORT)" in done.stderr
    assert "Traceback" not in done.stderr


def test_vaka_run_with_a_wrong_database_url_says_why_within_seconds(
        tmp_path: Path, closed_port: int) -> None:
    done, seconds = timed("run", env=run_env(
        tmp_path, VAKA_DATABASE_URL=f"postgresql://vaka:pw@127.0.0.1:{closed_port}/vaka"))
    assert done.returncode == 78
    assert done.stderr.splitlines()[-1] == (
        f"vaka run: PostgreSQL postgresql://vaka:***@127.0.0.1:{closed_port}/vaka: "
        "connection refused: nothing listens on that host and port")
    assert seconds < 10


@pytest.mark.parametrize("role", ["worker", "relay"])
def test_a_missing_temporal_namespace_is_named_and_ends_the_process(
        tmp_path: Path, role: str, temporal_env) -> None:  # type: ignore[no-untyped-def]
    done, seconds = timed(role, env=base_env(
        VAKA_DATA_DIR=str(tmp_path / "data"),
        VAKA_TEMPORAL_ADDRESS=temporal_address(temporal_env),
        VAKA_TEMPORAL_NAMESPACE="vaka-nowhere"))
    assert done.returncode == 78
    assert f"vaka {role}: the Temporal namespace 'vaka-nowhere' does not exist" in done.stderr
    assert seconds < 20


def test_the_supervisor_stops_everything_when_a_process_exits_with_a_configuration_error(
        tmp_path: Path) -> None:
    child = Child("api", [sys.executable, "-c", "raise SystemExit(78)"])
    child.start()
    assert child.process is not None
    child.process.wait(30)
    from vaka.config import Settings

    with pytest.raises(ConfigError, match="`vaka api` cannot start with these settings"):
        _restart_the_dead(Settings(data_dir=tmp_path), [child])


@pytest.mark.postgres
@pytest.mark.parametrize("command", [["run"], ["user", "list"]])
def test_on_postgresql_without_a_cipher_key_vaka_refuses_to_start(
        tmp_path: Path, postgres_url: str, command: list[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cipher.key").write_text("a key an earlier version made on this host")
    done, seconds = timed(*command, env=run_env(tmp_path, VAKA_DATABASE_URL=postgres_url))
    assert done.returncode == 78
    said = done.stderr.splitlines()[-1]
    assert said.startswith(f"vaka {command[0]}: VAKA_CIPHER_KEY is not set: with PostgreSQL")
    assert f"an earlier version kept in {data / 'cipher.key'}" in said
    assert "Traceback" not in done.stderr
    assert seconds < 30
