"""The figures behind /metrics, read from the stores on SQLite and PostgreSQL: events by
type counted exactly once, follower lag, clock lateness, deliveries and quarantine."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from domain.firing import falling_due
from tests.support.casefile import now, register_child, report_missing
from tests.support.metrics import Scrape
from tests.support.readside import caseworker_and_supervisor, drain, follow
from vaka.bootstrap import Services
from vaka.followers.log import Change
from vaka.observe.figures import read_figures
from vaka.observe.metrics import Reading, exposition


def scrape(services: Services, journeys: int | None = None) -> Scrape:
    return Scrape(exposition(Reading(read_figures(services.db, services.case_file),
                                     journeys)).decode())


def _miss_police_report(services: Services, child_id: UUID) -> None:
    """What the worker records when the police-report clock falls due (activities)."""
    case = services.case_file.get_case(child_id)
    clock = next(c for c in services.case_file.clocks(case)
                 if c.rule_id == "missing.police_report")
    event_type, fields = falling_due(clock, case.state)
    services.case_file.record_system(child_id, event_type, fields, clock.due,
                                     f"due:{clock.clock_id}")


def test_events_are_counted_by_type_exactly_once(services: Services) -> None:
    child_id = register_child(services.case_file)
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    drain(services.tally(batch_size=1).step)
    drain(services.tally().step)  # a second instance finds nothing left to count
    with services.db.transaction() as tx:  # the projector rewound, as a new policy does
        tx.execute("UPDATE tracking SET position = 0 WHERE follower = 'projector'")
    drain(services.projector().step)
    drain(services.tally().step)
    metrics = scrape(services)
    assert metrics.value("vaka_events_recorded_total", event_type="Registered") == 1
    assert metrics.value("vaka_events_recorded_total", event_type="ReportedMissing") == 1


def test_follower_lag_is_the_log_head_minus_each_followers_position(
        services: Services) -> None:
    for _ in range(3):
        register_child(services.case_file)
    drain(services.projector().step)
    services.tally(batch_size=1).step()
    metrics = scrape(services)
    assert metrics.value("vaka_log_head") == 3
    assert metrics.value("vaka_follower_lag_events", follower="projector") == 0
    assert metrics.value("vaka_follower_lag_events", follower="tally") == 2


def test_a_missed_deadline_lands_in_the_lateness_histogram(services: Services) -> None:
    child_id = register_child(services.case_file)
    # Reported a day late: the clock was overdue when Vaka learnt of it, so Vaka's
    # lateness runs from the report, not from the due instant a day ago.
    report_missing(services.case_file, child_id, now() - timedelta(hours=25))
    _miss_police_report(services, child_id)
    drain(services.tally().step)
    metrics = scrape(services)
    name = "vaka_clock_lateness_seconds"
    assert metrics.value(f"{name}_count", event_type="DeadlineMissed") == 1
    assert metrics.value(f"{name}_bucket", event_type="DeadlineMissed", le="2.0") == 1
    assert metrics.value(f"{name}_sum", event_type="DeadlineMissed") < 2
    assert not metrics.has(f"{name}_count", event_type="ReportedMissing")


def test_deliveries_are_shown_by_channel_and_status(services: Services) -> None:
    caseworker_id, _ = caseworker_and_supervisor(services)
    child_id = register_child(services.case_file)
    services.case_file.record(child_id, "CaseworkerAssigned", {"caseworker_id": caseworker_id},
                              services.case_file.get_case(child_id).entries[0].actor, now())
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    follow(services, email=True)
    metrics = scrape(services)
    posted = metrics.value("vaka_deliveries", channel="inbox", status="delivered")
    assert posted >= 2  # the caseworker and the supervisor are told of the disappearance
    assert metrics.value("vaka_deliveries", channel="email", status="pending") == posted
    assert metrics.value("vaka_deliveries_retrying") == 0


def test_quarantined_events_are_shown_per_follower(services: Services) -> None:
    child_id = register_child(services.case_file)
    quarantine = services.quarantine()
    with services.db.transaction() as tx:
        quarantine.put(tx, "notifier", Change(1, child_id, 1), ValueError("x"), None, [])
    metrics = scrape(services)
    assert metrics.value("vaka_quarantined_events", follower="notifier",
                         status="quarantined") == 1


def test_journeys_running_is_shown_only_when_temporal_answered(services: Services) -> None:
    assert scrape(services, journeys=4).value("vaka_journeys_running") == 4
    assert scrape(services, journeys=4).value("vaka_temporal_up") == 1
    silent = scrape(services, journeys=None)
    assert not silent.has("vaka_journeys_running")
    assert silent.value("vaka_temporal_up") == 0
