"""Vaka's metrics in the Prometheus text format, made from one reading of the figures.

Names and labels are the contract the dashboard and alert rules in deploy/observability/
use (a test checks every name they mention is exported). Labels are event types,
followers, channels, statuses and stages only: never anything about a child.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from vaka.observe.figures import Figures
from vaka.readside.tally import INF, LATENESS_BOUNDS, Lateness, le_label

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class Reading:
    figures: Figures
    journeys_running: int | None  # None: Temporal did not answer


class VakaCollector(Collector):
    def __init__(self, reading: Reading) -> None:
        self.reading = reading

    def collect(self) -> Iterator[Metric]:
        f = self.reading.figures
        events = CounterMetricFamily(
            "vaka_events_recorded", "Events recorded in the case file, by type "
            "(as counted by the tally follower)", labels=["event_type"])
        for event_type, n in sorted(f.events.items()):
            events.add_metric([event_type], n)
        yield events

        yield GaugeMetricFamily("vaka_log_head", "The case file's latest notification id",
                                value=f.head)
        position = GaugeMetricFamily("vaka_follower_position", "Where each follower has "
                                     "got to in the case file's log", labels=["follower"])
        lag = GaugeMetricFamily("vaka_follower_lag_events", "Events recorded that a follower "
                                "has yet to apply (log head minus its position)",
                                labels=["follower"])
        for follower in sorted(f.positions):
            position.add_metric([follower], f.positions[follower])
            lag.add_metric([follower], f.lag(follower))
        yield position
        yield lag

        lateness = HistogramMetricFamily(
            "vaka_clock_lateness_seconds", "How late Vaka recorded what a clock fired "
            "(DeadlineMissed, reminders, Turned18 ...), from its due instant or the entry "
            "that made it due if that came later", labels=["event_type"])
        for event_type, histogram in sorted(f.lateness.items()):
            lateness.add_metric([event_type], _cumulative(histogram), histogram.seconds)
        yield lateness

        deliveries = GaugeMetricFamily("vaka_deliveries", "Deliveries of alerts by channel "
                                       "and status (pending, held, sending, delivered, "
                                       "failed); the inbox counts as delivered at once",
                                       labels=["channel", "status"])
        for (channel, status), n in sorted(f.deliveries.items()):
            deliveries.add_metric([channel, status], n)
        yield deliveries
        retrying = GaugeMetricFamily("vaka_deliveries_retrying", "Deliveries that failed "
                                     "at least once and wait for another try",
                                     labels=["channel"])
        for channel, n in sorted(f.retrying.items()):
            retrying.add_metric([channel], n)
        yield retrying

        quarantined = GaugeMetricFamily("vaka_quarantined_events", "Events a follower set "
                                        "aside, by status (quarantined, retry, resolved)",
                                        labels=["follower", "status"])
        for (follower, status), n in sorted(f.quarantined.items()):
            quarantined.add_metric([follower, status], n)
        yield quarantined

        children = GaugeMetricFamily("vaka_children", "Children by stage (read model)",
                                     labels=["stage"])
        for stage, n in sorted(f.children.items()):
            children.add_metric([stage], n)
        yield children

        running = self.reading.journeys_running
        yield GaugeMetricFamily("vaka_temporal_up", "1 if Temporal answered this scrape",
                                value=int(running is not None))
        journeys = GaugeMetricFamily("vaka_journeys_running", "Journey workflows running in "
                                     "Temporal (no sample when it did not answer)")
        if running is not None:
            journeys.add_metric([], running)
        yield journeys


def _cumulative(histogram: Lateness) -> list[tuple[str, float]]:
    total = 0
    buckets = []
    for bound in LATENESS_BOUNDS:
        total += histogram.buckets.get(le_label(bound), 0)
        buckets.append((le_label(bound), float(total)))
    buckets.append((INF, float(total + histogram.buckets.get(INF, 0))))
    return buckets


def exposition(reading: Reading) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(VakaCollector(reading))
    return generate_latest(registry)
