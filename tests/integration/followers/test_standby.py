"""Two instances of a follower in one event loop: only the active one steps, and when it
stops in order the standby takes over at once rather than after the lease runs out."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from vaka.bootstrap import Services
from vaka.readside.leases import Lease
from vaka.runtime.processes import follow
from vaka.runtime.standby import Standby


@dataclass
class Counting:
    name: str = "projector"
    lease: Lease | None = None
    steps: int = 0

    async def step(self) -> int:
        self.steps += 1
        return 0


async def test_only_the_active_instance_steps_and_an_orderly_stop_hands_over_at_once(
        services: Services) -> None:
    settings = services.settings.model_copy(update={"follower_lease_seconds": 60.0})
    first, second = Counting(), Counting()
    stop_first, stop_second = asyncio.Event(), asyncio.Event()
    runs = []
    for instance, stop in ((first, stop_first), (second, stop_second)):
        standby = Standby.of(instance, services.db, settings)
        runs.append(asyncio.create_task(standby.lead(
            follow(instance.name, standby.gate(instance.step), stop, 0.01))))
    await _until(lambda: first.steps + second.steps > 5)
    active, idle = (first, second) if first.steps else (second, first)
    assert idle.steps == 0
    stop_active = stop_first if active is first else stop_second
    stop_active.set()
    await runs[0 if active is first else 1]
    started = time.monotonic()
    await _until(lambda: idle.steps > 0)  # long before the 60-second lease runs out
    assert time.monotonic() - started < 10
    (stop_second if active is first else stop_first).set()
    await asyncio.gather(*runs)


async def _until(condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)
