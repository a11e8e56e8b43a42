"""The figures count in the municipality's own time: months in Stockholm, not UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.casefile import record_event, register_child, report_missing
from tests.support.readside import drain
from vaka.bootstrap import Services
from vaka.readside.figures import figures


def test_a_child_last_seen_just_after_midnight_in_stockholm_counts_in_the_new_month(
        services: Services) -> None:
    child = register_child(services.case_file,
                           arrived_at=datetime(2026, 1, 10, 9, 0, tzinfo=UTC))
    last_seen = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 February, Stockholm
    report_missing(services.case_file, child, last_seen)
    record_event(services.case_file, child, "PoliceReportFiled",
                 occurred_at=last_seen + timedelta(hours=3))
    drain(services.projector().step)

    result = figures(services.db, "Malmö", datetime(2026, 1, 1, tzinfo=UTC),
                     datetime(2026, 3, 1, tzinfo=UTC), services.policy.timezone)

    assert result.missing_per_month == [{"month": "2026-02", "children": 1}]
    assert result.median_hours_last_seen_to_police_report == 3.0
    assert result.police_reports_counted == 1


def test_another_municipalitys_children_are_not_counted(services: Services) -> None:
    child = register_child(services.case_file, municipality="Lund")
    report_missing(services.case_file, child, datetime.now(UTC) - timedelta(hours=1))
    drain(services.projector().step)
    start = datetime.now(UTC) - timedelta(days=1)
    result = figures(services.db, "Malmö", start, start + timedelta(days=2),
                     services.policy.timezone)
    assert result.missing_per_month == []
