"""Connecting to Temporal, and the worker that runs the journeys."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker

from activities.journey import JourneyActivities
from domain.case_file import CaseFile
from vaka.config import ConfigError, Settings
from vaka.runtime.temporal_connection import connect_once, explain
from workflows.journey import ChildJourney

log = logging.getLogger("vaka.runtime.temporal")


def metrics_runtime(settings: Settings) -> Runtime | None:
    """A Temporal runtime serving the SDK's own metrics (task latencies, slots, polls,
    activity and workflow outcomes) for Prometheus at settings.temporal_metrics_address."""
    if not settings.temporal_metrics_address:
        return None
    try:
        return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(
            bind_address=settings.temporal_metrics_address, durations_as_seconds=True)))
    except ValueError as exc:  # the SDK's words: "Failed starting ...: Address already in use"
        raise SystemExit(f"vaka worker: cannot serve Temporal metrics at "
                         f"VAKA_TEMPORAL_METRICS_ADDRESS={settings.temporal_metrics_address}:"
                         f" {exc}") from None


async def connect(settings: Settings, *, wait: bool = True,
                  runtime: Runtime | None = None) -> Client:
    """Connect (vaka.runtime.temporal_connection), retrying with backoff while the server
    is not (yet) up. Settings that cannot work (a TLS file, a missing namespace) raise
    ConfigError at once: waiting would not mend them. With tracing on (vaka.observe.tracing),
    the client and any worker on it carry the trace context."""
    delay = 0.5
    while True:
        try:
            return await connect_once(settings, runtime=runtime)
        except ConfigError:
            raise
        except Exception as exc:  # the SDK raises RuntimeError for an unreachable server
            if not wait:
                raise
            log.warning("Temporal at %s not reachable (%s); retrying in %.1fs",
                        settings.temporal_address, explain(exc), delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)


def build_worker(client: Client, case_file: CaseFile, task_queue: str,
                 executor: ThreadPoolExecutor) -> Worker:
    activities = JourneyActivities(case_file)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ChildJourney],
        activities=[activities.plan_timers, activities.fire_timer],
        activity_executor=executor,
        max_concurrent_activities=16,
    )
