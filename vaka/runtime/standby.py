"""Several instances of a follower, one active: the others stand by and take over within
seconds when the active one dies.

Every relay, projector and notifier runs under its follower's lease
(vaka.readside.leases), whether or not other instances exist. The active instance renews
the lease every `renew_every` seconds in the background, also while a long batch runs; a
standby asks as often and takes the lease once it has run out (VAKA_FOLLOWER_LEASE_SECONDS
after the last renewal). An orderly stop releases the lease, so a standby takes over at
once.

How to run several instances:
- `vaka run` starts VAKA_FOLLOWER_INSTANCES copies (default 1) of the relay process and of
  the projector process (projector, notifier and the e-mail and webhook senders);
- or run `vaka relay` and `vaka projector` on several hosts against the same database.
The senders need no lease: every instance sends, each delivery claimed by one of them
(vaka.notify.outbox).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Protocol

from vaka.config import Settings
from vaka.readside.db import Database
from vaka.readside.leases import Lease, LeaseLost

log = logging.getLogger("vaka.standby")

Step = Callable[[], Awaitable[int]]


class Leased(Protocol):
    """A follower whose writes a lease fences (Follower, Relay)."""

    name: str
    lease: Lease | None


class Standby:
    def __init__(self, lease: Lease, renew_every: float) -> None:
        self.lease = lease
        self.renew_every = renew_every
        # A thread of its own: renewals never queue behind the followers' steps, which
        # share the default executor.
        self._renewer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lease")

    @classmethod
    def of(cls, follower: Leased, db: Database, settings: Settings) -> Standby:
        """The lease of `follower`, which from now on fences its writes with it."""
        ttl = settings.follower_lease_seconds
        lease = Lease(db, follower.name, timedelta(seconds=ttl))
        follower.lease = lease
        return cls(lease, renew_every=min(1.0, ttl / 3))

    def gate(self, step: Step) -> Step:
        """`step` while this instance holds the lease; nothing while it stands by."""
        async def run() -> int:
            if not self.lease.held:
                return 0
            try:
                return await step()
            except LeaseLost:
                log.warning("%s: another instance took over; standing by", self.lease.follower)
                return 0

        return run

    async def lead(self, following: Awaitable[None]) -> None:
        """Keep the lease up to date while `following` (the follow loop over `gate(step)`)
        runs; release it once that loop has ended."""
        ended = asyncio.Event()
        keeper = asyncio.create_task(self._keep(ended))
        try:
            await following
        finally:
            ended.set()
            await keeper  # no renewal may come after the release
            await self._in_thread(self._release)
            self._renewer.shutdown()

    async def _keep(self, ended: asyncio.Event) -> None:
        name, failing, first = self.lease.follower, False, True
        while not ended.is_set():
            was = self.lease.held
            try:
                await self._in_thread(self.lease.acquire_or_renew)
                failing = False
            except Exception as exc:  # the database is away: the fence keeps writes safe
                if not failing:
                    log.warning("%s: cannot renew the lease: %s", name, type(exc).__name__)
                failing = True
            if self.lease.held and not was:
                log.info("%s: active as %s (epoch %s)", name, self.lease.holder,
                         self.lease.epoch)
            elif was and not self.lease.held:
                log.warning("%s: the lease passed to another instance; standing by as %s",
                            name, self.lease.holder)
            elif first and not self.lease.held and not failing:
                log.info("%s: standing by as %s", name, self.lease.holder)
            first = False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ended.wait(), timeout=self.renew_every)

    async def _in_thread(self, call: Callable[[], object]) -> None:
        await asyncio.get_running_loop().run_in_executor(self._renewer, call)

    def _release(self) -> None:
        try:
            self.lease.release()
        except Exception as exc:  # it runs out by itself
            log.warning("%s: lease not released: %s", self.lease.follower, type(exc).__name__)

