"""found.debrief (+72 h) and found.risk_reassessment (+7 days) after Found or ContactMade."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.support.history import (
    POLICY,
    at,
    clock,
    clocks_of,
    custom_policy,
    default_rules,
    miss,
    record,
    registered,
    report_missing,
)

ARRIVED = at("2026-01-02T09:00:00+00:00")
LAST_SEEN = at("2026-02-01T18:00:00+00:00")
FOUND_AT = at("2026-02-03T14:20:00+00:00")  # 15:20 in Stockholm


def found_case(ending: str = "Found"):  # type: ignore[no-untyped-def]
    case = registered(ARRIVED)
    report_missing(case, LAST_SEEN + timedelta(hours=1), LAST_SEEN)  # entry 2
    fields: dict[str, Any] = (
        {"location": "sweden", "place": "Göteborg"} if ending == "Found" else {})
    record(case, ending, FOUND_AT, **fields)  # entry 3
    return case


@pytest.mark.parametrize("ending", ["Found", "ContactMade"])
def test_debrief_talk_is_due_72_hours_after_the_child_is_found_or_in_touch(ending: str) -> None:
    case = found_case(ending)
    debrief = clock(case, "found.debrief@3")
    assert (debrief.status, debrief.due) == ("open", FOUND_AT + timedelta(hours=72))


@pytest.mark.parametrize("ending", ["Found", "ContactMade"])
def test_risk_reassessment_is_due_7_days_after_found_at_stockholm_midnight(ending: str) -> None:
    case = found_case(ending)
    assert clock(case, "found.risk_reassessment@3").due == at("2026-02-10T00:00:00+01:00")


def test_no_found_clocks_while_the_child_is_still_missing() -> None:
    case = registered(ARRIVED)
    report_missing(case, LAST_SEEN + timedelta(hours=1), LAST_SEEN)
    assert clocks_of(case, "found.debrief") == []
    assert clocks_of(case, "found.risk_reassessment") == []


def test_debrief_talk_meets_the_debrief_clock() -> None:
    case = found_case()
    talk = record(case, "TalkHeld", FOUND_AT + timedelta(hours=30), kind="debrief")
    debrief = clock(case, "found.debrief@3")
    assert (debrief.status, debrief.on_time, debrief.resolved_seq) == ("met", True, talk.seq)


def test_a_talk_of_another_kind_does_not_meet_the_debrief_clock() -> None:
    case = found_case()
    record(case, "TalkHeld", FOUND_AT + timedelta(hours=30), kind="check_in")
    assert clock(case, "found.debrief@3").status == "open"


def test_a_debrief_the_child_declined_still_meets_the_debrief_clock() -> None:
    case = found_case()
    record(case, "TalkHeld", FOUND_AT + timedelta(hours=30), kind="debrief",
           child_response="declined")
    assert clock(case, "found.debrief@3").status == "met"


def test_debrief_after_a_missed_deadline_is_met_late() -> None:
    case = found_case()
    miss(case, clock(case, "found.debrief@3"))
    record(case, "TalkHeld", FOUND_AT + timedelta(hours=80), kind="debrief")
    debrief = clock(case, "found.debrief@3")
    assert (debrief.status, debrief.on_time) == ("met", False)


def test_risk_assessment_meets_the_risk_reassessment_clock() -> None:
    case = found_case()
    assessed = record(case, "RiskAssessed", FOUND_AT + timedelta(days=2), factors=["A1.1"])
    risk = clock(case, "found.risk_reassessment@3")
    assert (risk.status, risk.on_time, risk.resolved_seq) == ("met", True, assessed.seq)


def test_risk_assessment_does_not_meet_the_debrief_clock() -> None:
    case = found_case()
    record(case, "RiskAssessed", FOUND_AT + timedelta(days=2))
    assert clock(case, "found.debrief@3").status == "open"


def test_debrief_window_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["found.debrief"]["due_after"] = "48h"
    debrief = clock(found_case(), "found.debrief@3", custom_policy(rules))
    assert debrief.due == FOUND_AT + timedelta(hours=48)


def test_found_clocks_carry_the_policy_version_and_owner() -> None:
    case = found_case()
    for rule_id in ("found.debrief", "found.risk_reassessment"):
        opened = clock(case, f"{rule_id}@3")
        assert (opened.policy_version, opened.owner) == (POLICY.version, "caseworker")
