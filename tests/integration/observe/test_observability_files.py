"""The example Grafana dashboard and Prometheus alert rules in deploy/observability/ load,
and every Vaka metric they name is one that /metrics declares."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.conftest import make_settings
from tests.deploy.tools import tool
from tests.support.metrics import Scrape
from vaka.bootstrap import build
from web.app import create_app

HERE = Path(__file__).resolve().parents[3] / "deploy" / "observability"
RULES = HERE / "prometheus-alerts.yml"
DASHBOARD = HERE / "grafana-dashboard.json"
METRIC = re.compile(r"\b(vaka_[a-z0-9_]+)")
WANTED_ALERTS = {"VakaFollowerLagHigh", "VakaClockLatenessHigh", "VakaDeliveriesFailing",
                 "VakaEventsQuarantined", "VakaJourneysRunningDropped"}


@pytest.fixture(scope="module")
def declared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[set[str]]:
    services = build(make_settings(tmp_path_factory.mktemp("obs")))
    try:
        response = TestClient(create_app(services), client=("127.0.0.1", 40000)).get(
            "/metrics")
    finally:
        services.close()
    assert response.status_code == 200
    yield Scrape(response.text).declared


def _rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES.read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def _panel_exprs() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    return [t["expr"] for p in dashboard["panels"] for t in p["targets"]]


def test_every_alert_asked_for_is_there_with_a_severity_and_a_summary() -> None:
    rules = _rules()
    assert {r["alert"] for r in rules} >= WANTED_ALERTS
    for rule in rules:
        assert rule["labels"]["severity"] in ("warning", "critical"), rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]


def test_every_metric_the_alert_rules_name_is_exported(declared: set[str]) -> None:
    named = {m for rule in _rules() for m in METRIC.findall(rule["expr"])}
    assert named and named <= declared, named - declared


def test_every_metric_the_dashboard_shows_is_exported_and_each_has_a_panel(
        declared: set[str]) -> None:
    shown = {m for expr in _panel_exprs() for m in METRIC.findall(expr)}
    assert shown <= declared, shown - declared
    families = {"vaka_events_recorded_total", "vaka_follower_lag_events",
                "vaka_clock_lateness_seconds_bucket", "vaka_deliveries",
                "vaka_deliveries_retrying", "vaka_quarantined_events", "vaka_journeys_running"}
    assert families <= shown, families - shown


def test_promtool_accepts_the_rules() -> None:
    promtool = tool("promtool", "prometheus")
    done = subprocess.run([promtool, "check", "rules", str(RULES)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
