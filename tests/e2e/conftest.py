from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.smtp import Inbox, smtp_server
from tests.support.stack import Api, Stack


@pytest.fixture
def mail() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def stack(tmp_path: Path, postgres_url: str, mail) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    """Vaka on PostgreSQL, started as a user starts it, with mail to a loopback server."""
    running = Stack(tmp_path / "data", postgres_url, smtp_port=mail[1])
    running.start()
    yield running
    running.stop()
    assert running.unexpected_exits() == [], "a Vaka process died on its own"


class People:
    def __init__(self, stack: Stack) -> None:
        lines = stack.cli("user", "add", "--name", "Caseworker", "--role", "caseworker",
                          "--municipality", "Malmö", "--email", "cw@example.org",
                          "--token").splitlines()
        self.caseworker_id, caseworker_token = lines
        supervisor_token = stack.cli("user", "add", "--name", "Supervisor", "--role",
                                     "supervisor", "--municipality", "Malmö", "--email",
                                     "sup@example.org", "--token").splitlines()[1]
        self.caseworker = Api(stack, caseworker_token)
        self.supervisor = Api(stack, supervisor_token)


@pytest.fixture
def people(stack: Stack) -> People:
    return People(stack)
