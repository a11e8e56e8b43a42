"""The worker's Temporal SDK metrics: with VAKA_TEMPORAL_METRICS_ADDRESS set, Prometheus
finds the SDK's own figures there, and they move when a journey runs its activities."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from temporalio.runtime import Runtime

from bench.launch import candidate_port
from tests.conftest import make_settings
from tests.support.casefile import now, register_child, report_missing
from tests.support.journeys import is_missed, relay_all, running_worker, wait_for_entry
from tests.support.metrics import Scrape
from vaka.bootstrap import Services, build
from vaka.config import Settings
from vaka.runtime.temporal import connect, metrics_runtime

ROOT = Path(__file__).resolve().parents[3]
DASHBOARD = ROOT / "deploy" / "observability" / "grafana-dashboard.json"

pytestmark = pytest.mark.temporal


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Services]:
    svc = build(make_settings(tmp_path))
    yield svc
    svc.close()


def _runtime_on_a_free_port(temporal_address: str, tmp_path: Path) -> tuple[Settings, Runtime]:
    """The SDK binds the address itself and cannot report a port it chose: take a free
    one, and on the rare clash with another process take the next."""
    for _ in range(5):
        settings = make_settings(tmp_path, temporal_address=temporal_address,
                                 temporal_metrics_address=f"127.0.0.1:{candidate_port()}")
        try:
            runtime = metrics_runtime(settings)
        except SystemExit as exc:
            assert "Address already in use" in str(exc)
            continue
        assert runtime is not None
        return settings, runtime
    raise AssertionError("no free port for the Temporal metrics in 5 tries")


def test_an_address_in_use_is_named_in_a_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = make_settings(tmp_path, temporal_metrics_address=f"127.0.0.1:{port}")
        with pytest.raises(SystemExit, match=f"VAKA_TEMPORAL_METRICS_ADDRESS=127.0.0.1:{port}"
                                             ".*Address already in use"):
            metrics_runtime(settings)


def test_no_address_no_metrics_server(tmp_path: Path) -> None:
    assert metrics_runtime(make_settings(tmp_path)) is None


async def _scrape(address: str) -> Scrape:
    async with httpx.AsyncClient() as http:
        return Scrape((await http.get(f"http://{address}/metrics", timeout=5)).text)


async def test_the_worker_serves_temporal_sdk_metrics_that_move_with_a_journey(
        temporal_env, store: Services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    address = temporal_env.client.service_client.config.target_host
    settings, runtime = _runtime_on_a_free_port(address, tmp_path)
    client = await connect(settings, wait=False, runtime=runtime)
    child_id = register_child(store.case_file)
    report_missing(store.case_file, child_id, now() - timedelta(hours=25))
    async with running_worker(client, store) as queue:
        await relay_all(client, store, queue)
        await wait_for_entry(store, child_id, is_missed("missing.police_report"), timeout=30)
        deadline = time.monotonic() + 30
        while True:  # the SDK publishes its figures a moment after the activities end
            metrics = await _scrape(settings.temporal_metrics_address or "")
            if metrics.value("temporal_activity_execution_latency_count",
                             activity_type="fire_timer") >= 1:
                break
            assert time.monotonic() < deadline, sorted(metrics.names)
            await asyncio.sleep(0.2)
    assert metrics.value("temporal_workflow_task_execution_latency_count") >= 1
    # The example dashboard's Temporal panels show what the worker really serves.
    panels = json.loads(DASHBOARD.read_text())["panels"]
    shown = {m for p in panels for t in p["targets"]
             for m in re.findall(r"\b(temporal_[a-z0-9_]+)", t["expr"])}
    assert len(shown) >= 5 and shown <= metrics.names, shown - metrics.names
