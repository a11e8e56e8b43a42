"""missing.police_report: 24 hours after last seen, the latest limit (RULEBOOK section 6)."""

from __future__ import annotations

from datetime import timedelta

from tests.support.history import (
    POLICY,
    at,
    clock,
    clocks,
    custom_policy,
    default_rules,
    miss,
    record,
    registered,
    report_missing,
)

ARRIVED = at("2026-01-05T09:00:00+00:00")
LAST_SEEN = at("2026-01-12T21:40:00+00:00")
REPORTED = at("2026-01-13T07:15:00+00:00")  # staff noticed next morning


def missing_case():  # type: ignore[no-untyped-def]
    case = registered(ARRIVED)
    report_missing(case, REPORTED, LAST_SEEN)  # entry 2
    return case


def test_police_report_deadline_is_24_hours_after_last_seen() -> None:
    case = missing_case()
    assert clock(case, "missing.police_report@2").due == LAST_SEEN + timedelta(hours=24)


def test_police_report_deadline_counts_from_last_seen_not_from_when_it_was_reported() -> None:
    case = missing_case()
    due = clock(case, "missing.police_report@2").due
    assert due != REPORTED + timedelta(hours=24)
    assert due - LAST_SEEN == timedelta(hours=24)


def test_police_report_deadline_is_an_exact_instant_not_local_midnight() -> None:
    case = missing_case()
    assert clock(case, "missing.police_report@2").due == at("2026-01-13T21:40:00+00:00")


def test_police_report_reminders_fall_2_and_12_hours_after_last_seen() -> None:
    case = missing_case()
    assert clock(case, "missing.police_report@2").reminders == (
        LAST_SEEN + timedelta(hours=2), LAST_SEEN + timedelta(hours=12),
    )


def test_police_report_clock_opens_open_and_owned_by_the_caseworker() -> None:
    police = clock(missing_case(), "missing.police_report@2")
    assert (police.status, police.owner, police.fires) == ("open", "caseworker", "DeadlineMissed")


def test_police_report_clock_is_anchored_on_the_reported_missing_entry() -> None:
    police = clock(missing_case(), "missing.police_report@2")
    assert police.anchor_seq == 2


def test_police_report_deadline_comes_from_the_policy_file() -> None:
    rules = default_rules()
    rules["missing.police_report"]["due_after"] = "6h"
    rules["missing.police_report"]["reminders_after"] = ["1h"]
    policy = custom_policy(rules)
    police = clock(missing_case(), "missing.police_report@2", policy)
    assert police.due == LAST_SEEN + timedelta(hours=6)
    assert police.reminders == (LAST_SEEN + timedelta(hours=1),)


def test_police_report_reminders_at_or_after_the_due_instant_are_dropped() -> None:
    rules = default_rules()
    rules["missing.police_report"]["reminders_after"] = ["2h", "24h", "30h"]
    police = clock(missing_case(), "missing.police_report@2", custom_policy(rules))
    assert police.reminders == (LAST_SEEN + timedelta(hours=2),)


def test_a_rule_absent_from_the_policy_opens_no_clock() -> None:
    rules = default_rules()
    del rules["missing.police_report"]
    case = missing_case()
    assert "missing.police_report" not in {c.rule_id for c in clocks(case, custom_policy(rules))}
    assert "missing.police_report" in {c.rule_id for c in clocks(case, POLICY)}


def test_police_report_filed_in_time_meets_the_clock_on_time() -> None:
    case = missing_case()
    filed = record(case, "PoliceReportFiled", LAST_SEEN + timedelta(hours=11),
                   police_reference="5000-K123-26")
    police = clock(case, "missing.police_report@2")
    assert (police.status, police.on_time) == ("met", True)
    assert (police.resolved_seq, police.resolved_at) == (filed.seq, filed.occurred_at)


def test_police_report_filed_at_exactly_the_due_instant_is_on_time() -> None:
    case = missing_case()
    record(case, "PoliceReportFiled", LAST_SEEN + timedelta(hours=24))
    assert clock(case, "missing.police_report@2").on_time is True


def test_police_report_deadline_missed_marks_the_clock_missed() -> None:
    case = missing_case()
    missed = miss(case, clock(case, "missing.police_report@2"))
    police = clock(case, "missing.police_report@2")
    assert (police.status, police.on_time, police.resolved_seq) == ("missed", False, missed.seq)


def test_police_report_filed_after_a_miss_is_met_but_not_on_time() -> None:
    case = missing_case()
    miss(case, clock(case, "missing.police_report@2"))
    filed = record(case, "PoliceReportFiled", LAST_SEEN + timedelta(hours=30))
    police = clock(case, "missing.police_report@2")
    assert (police.status, police.on_time) == ("met", False)
    assert police.resolved_seq == filed.seq


def test_police_report_filed_late_without_a_recorded_miss_is_not_on_time() -> None:
    case = missing_case()
    record(case, "PoliceReportFiled", LAST_SEEN + timedelta(hours=24, seconds=1))
    police = clock(case, "missing.police_report@2")
    assert (police.status, police.on_time) == ("met", False)


def test_found_cancels_the_open_police_report_clock() -> None:
    case = missing_case()
    found = record(case, "Found", LAST_SEEN + timedelta(hours=5), location="sweden")
    police = clock(case, "missing.police_report@2")
    assert (police.status, police.resolved_seq, police.on_time) == ("cancelled", found.seq, None)


def test_contact_made_cancels_the_open_police_report_clock() -> None:
    case = missing_case()
    record(case, "ContactMade", LAST_SEEN + timedelta(hours=5), channel="phone")
    assert clock(case, "missing.police_report@2").status == "cancelled"


def test_found_after_a_missed_police_report_leaves_it_missed() -> None:
    case = missing_case()
    miss(case, clock(case, "missing.police_report@2"))
    record(case, "Found", LAST_SEEN + timedelta(hours=40), location="sweden")
    assert clock(case, "missing.police_report@2").status == "missed"


def test_a_second_disappearance_opens_a_new_police_report_clock() -> None:
    case = missing_case()
    record(case, "PoliceReportFiled", LAST_SEEN + timedelta(hours=3))
    record(case, "Found", LAST_SEEN + timedelta(hours=20), location="sweden")  # entry 4
    again = LAST_SEEN + timedelta(days=5)
    report_missing(case, again + timedelta(hours=1), again)  # entry 5
    assert clock(case, "missing.police_report@2").status == "met"
    second = clock(case, "missing.police_report@5")
    assert (second.status, second.due) == ("open", again + timedelta(hours=24))


def test_police_report_clock_carries_the_policy_version() -> None:
    assert clock(missing_case(), "missing.police_report@2").policy_version == POLICY.version
