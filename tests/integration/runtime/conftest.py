"""The command line as an operator runs it: a subprocess with its own environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port where nothing listens: bound but not listening, so connecting is
    refused and no other program can take the port meanwhile."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def base_env(**settings: str) -> dict[str, str]:
    """This environment without any VAKA_* of the machine, plus the settings given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAKA_")}
    return {**env, **settings}


def vaka(*args: str, env: dict[str, str], cwd: Path | None = None,
         timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vaka.cli", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def temporal_address(env) -> str:  # type: ignore[no-untyped-def]
    return str(env.client.service_client.config.target_host)
