"""The projector: read models follow the case file, resume after a restart, never double."""

from __future__ import annotations

from datetime import timedelta

from tests.support.casefile import now, register_child, report_missing
from tests.support.readside import drain, rows
from vaka.bootstrap import Services


def test_projector_shows_a_missing_child_and_its_open_police_report(services: Services) -> None:
    child_id = register_child(services.case_file)
    report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    drain(services.projector().step)
    child = rows(services, "SELECT * FROM children WHERE child_id = ?", (str(child_id),))[0]
    assert child["missing_since"] is not None
    rules = {r["rule_id"]: r["status"] for r in rows(
        services, "SELECT * FROM clocks WHERE child_id = ?", (str(child_id),))}
    assert rules["missing.police_report"] == "open"


def test_projector_resumes_after_a_restart_without_doubling_rows(services: Services) -> None:
    children = [register_child(services.case_file) for _ in range(5)]
    for child_id in children:
        report_missing(services.case_file, child_id, now() - timedelta(hours=1))
    services.projector(batch_size=3).step()  # then "crashes"
    drain(services.projector(batch_size=3).step)
    with services.db.transaction() as tx:  # a replay from the start rewrites, never adds
        tx.execute("UPDATE tracking SET position = 0 WHERE follower = 'projector'")
    drain(services.projector().step)
    counts = rows(services, "SELECT child_id, COUNT(*) AS n FROM clocks"
                   " WHERE rule_id = 'missing.police_report' GROUP BY child_id")
    assert sorted(r["child_id"] for r in counts) == sorted(str(c) for c in children)
    assert {r["n"] for r in counts} == {1}
