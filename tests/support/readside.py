"""Reading the read side in tests: run followers until they have nothing left, and query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vaka.bootstrap import Services


def drain(*steps: Callable[[], int]) -> None:
    """Run each follower step until it finds nothing more to do."""
    for step in steps:
        while step():
            pass


def rows(services: Services, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    with services.db.transaction(readonly=True) as tx:
        return tx.execute(sql, params)


def follow(services: Services, email: bool = True) -> None:
    """Bring the read models and the inbox up to date with the case file."""
    drain(services.projector().step, services.notifier(email_enabled=email).step)


def caseworker_and_supervisor(services: Services) -> tuple[str, str]:
    """A caseworker and a supervisor of Malmö, with e-mail; their user ids."""
    caseworker = services.users.add("Cw", "caseworker", "Malmö", "cw@example.org")
    supervisor = services.users.add("Sup", "supervisor", "Malmö", "sup@example.org")
    return caseworker.user_id, supervisor.user_id
