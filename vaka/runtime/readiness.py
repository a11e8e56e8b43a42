"""What /health/ready reports: each dependency with a status of its own.

Required is the database (the case file and the read models): without it the API can
do nothing, so it is not ready (503). Temporal and SMTP are reported but not required: a
caseworker's entry is recorded while Temporal is down (the relay catches up later), and
e-mail waits in the outbox. The followers' positions come from one query.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vaka.runtime.checks.smtp import check_smtp
from vaka.runtime.temporal_connection import check_namespace, connect_once, explain

if TYPE_CHECKING:
    from temporalio.client import Client

    from vaka.bootstrap import Services

PROBE_TIMEOUT = 2.0
DATABASE_TIMEOUT = 3.0
# An SMTP server may count connections as abuse; readiness probes come every few seconds.
SMTP_EVERY = 60.0


@dataclass
class Readiness:
    services: Services
    _client: Client | None = None
    _smtp: tuple[float, dict[str, Any]] | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def report(self) -> tuple[bool, dict[str, Any]]:
        """(ready, the report). Ready when every required dependency is up."""
        database, temporal = await asyncio.gather(self._database_in_time(), self._temporal())
        dependencies: dict[str, Any] = {"database": database, "temporal": temporal}
        if self.services.settings.smtp_host:
            dependencies["smtp"] = await self._smtp_status()
        ready = all(d["status"] == "up" for d in dependencies.values() if d["required"])
        degraded = any(d["status"] != "up" for d in dependencies.values())
        status = "unavailable" if not ready else "degraded" if degraded else "ready"
        return ready, {"status": status, "dependencies": dependencies}

    async def _database_in_time(self) -> dict[str, Any]:
        """The database's answer, or down after DATABASE_TIMEOUT: a connection pool waits
        far longer for a server that is gone."""
        try:
            return await asyncio.wait_for(asyncio.to_thread(self._database), DATABASE_TIMEOUT)
        except TimeoutError:
            return {"status": "down", "required": True,
                    "error": f"no answer within {DATABASE_TIMEOUT:.0f} s"}

    def _database(self) -> dict[str, Any]:
        started = time.monotonic()
        try:
            with self.services.db.transaction(readonly=True) as tx:
                rows = tx.execute("SELECT follower, position FROM tracking")
            head = self.services.case_file.recorder.max_notification_id() or 0
        except Exception as exc:
            return {"status": "down", "required": True,
                    "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
                    if str(exc) else type(exc).__name__}
        followers = {r["follower"]: {"position": int(r["position"]),
                                     "lag": max(head - int(r["position"]), 0)}
                     for r in rows}
        return {"status": "up", "required": True,
                "backend": "postgresql" if self.services.db.is_postgres else "sqlite",
                "seconds": round(time.monotonic() - started, 3),
                "last_event": head, "followers": followers}

    async def _temporal(self) -> dict[str, Any]:
        settings = self.services.settings
        base = {"required": False, "address": settings.temporal_address,
                "namespace": settings.temporal_namespace}
        async with self._lock:
            try:
                if self._client is None:
                    self._client = await connect_once(settings, PROBE_TIMEOUT)
                else:
                    await check_namespace(self._client, PROBE_TIMEOUT)
            except Exception as exc:
                self._client = None
                return {**base, "status": "down", "error": explain(exc)}
        return {**base, "status": "up"}

    async def _smtp_status(self) -> dict[str, Any]:
        now = time.monotonic()
        if self._smtp is None or now - self._smtp[0] > SMTP_EVERY:
            outcome = await asyncio.to_thread(check_smtp, self.services.settings,
                                              PROBE_TIMEOUT)
            self._smtp = (now, {"status": "up" if outcome.ok else "down", "required": False,
                                "detail": outcome.detail})
        return self._smtp[1]
