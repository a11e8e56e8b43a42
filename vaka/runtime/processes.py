"""The long-running processes of Vaka, one function each; `vaka run` supervises them all."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from vaka.bootstrap import Services, build
from vaka.config import Settings
from vaka.runtime.standby import Leased, Standby

log = logging.getLogger("vaka")


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def follow(name: str, step: Callable[[], Awaitable[int]], stop: asyncio.Event,
                 poll: float) -> None:
    """Run `step` until stopped: at once while there is work, every `poll` seconds when
    idle, with backoff while a dependency is down. A failed step is retried whole."""
    delay = poll
    while not stop.is_set():
        try:
            done = await step()
            delay = poll
        except Exception as exc:
            log.warning("%s: %s; retrying in %.1fs", name, type(exc).__name__, delay)
            done = 0
            delay = min(max(delay * 2, 0.5), 15.0)
        if done == 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)


def run_api(settings: Settings, create_app: Callable[[Services], Any]) -> None:
    """Serve the ASGI app that `create_app` makes (the CLI passes the API's own factory)."""
    import uvicorn

    from vaka.runtime.ports import bind

    # Bound here rather than by uvicorn, so a port in use is named and ends the process
    # with a configuration error instead of a restart loop.
    sock = bind(settings.api_host, settings.api_port, "VAKA_API_PORT")
    services = build(settings)
    config = uvicorn.Config(create_app(services), host=settings.api_host, port=settings.api_port,
                            log_level="warning", access_log=False,
                            log_config=None)  # uvicorn's lines go through vaka.observe.logs
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        services.close()
        sock.close()


async def run_worker(settings: Settings) -> None:
    from vaka.runtime.temporal import build_worker, connect, metrics_runtime

    services = build(settings)
    stop = _stop_event()
    client = await connect(settings, runtime=metrics_runtime(settings))
    with ThreadPoolExecutor(max_workers=16) as executor:
        worker = build_worker(client, services.case_file, settings.task_queue, executor)
        async with worker:
            log.info("worker polling task queue %s", settings.task_queue)
            await stop.wait()
    services.close()


async def run_relay(settings: Settings) -> None:
    from vaka.runtime.policy_rollout import replan_running_journeys
    from vaka.runtime.temporal import connect

    services = build(settings)
    stop = _stop_event()
    client = await connect(settings)
    await replan_running_journeys(client, services.db, services.policy)
    relay = services.relay(client)
    reconciler = services.reconciler(client)
    await asyncio.gather(_leased(relay, relay.step, services, stop),
                         _leased(reconciler, reconciler.step, services, stop))
    services.close()


async def run_projector(settings: Settings) -> None:
    """Read models, notifications and e-mail: the followers that need no Temporal."""
    from vaka.notify.digest import DigestSender
    from vaka.notify.email import EmailSender
    from vaka.notify.webhook import WebhookSender
    from vaka.runtime.policy_rollout import reproject_all

    services = build(settings)
    stop = _stop_event()
    reproject_all(services.db, services.policy)
    projector = services.projector()
    notifier = services.notifier()
    tally = services.tally()
    tasks = [
        _leased(projector, _threaded(projector.step), services, stop),
        _leased(notifier, _threaded(notifier.step), services, stop),
        _leased(tally, _threaded(tally.step), services, stop),
    ]
    webhooks = WebhookSender(services.db, allow_private=settings.webhook_allow_private,
                             lease=timedelta(seconds=settings.delivery_lease_seconds))
    tasks.append(follow("webhooks", _threaded(webhooks.step), stop, 0.5))
    if settings.smtp_host:
        email = EmailSender(services.db, settings)
        digest = DigestSender(services.db, settings, email, services.policy.timezone)
        tasks.append(follow("email", _threaded(email.step), stop, 0.5))
        tasks.append(follow("digest", _threaded(digest.step), stop, 60.0))
    await asyncio.gather(*tasks)
    services.close()


async def _leased(follower: Leased, step: Callable[[], Awaitable[int]], services: Services,
                  stop: asyncio.Event) -> None:
    """Follow while this instance holds the follower's lease; stand by while another does."""
    standby = Standby.of(follower, services.db, services.settings)
    poll = services.settings.poll_interval_seconds
    await standby.lead(follow(follower.name, standby.gate(step), stop, poll))


def _threaded(step: Callable[[], int]) -> Callable[[], Awaitable[int]]:
    async def run() -> int:
        return await asyncio.to_thread(step)

    return run
