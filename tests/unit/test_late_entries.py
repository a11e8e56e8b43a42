"""Late entries (RULEBOOK section 6): the case file is judged by when things happened, not
by when Vaka learnt them. An event entered late that happened before a clock fell due
resolves that clock as if entered in time: the earlier DeadlineMissed stays in the
history, the clock's status becomes met or cancelled, figures count it that way, and its
escalations stop. Each case is played through the journey's own activities."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

from domain.clocks import Clock
from domain.policy import Policy
from tests.support.history import POLICY, at, custom_policy, default_rules
from tests.support.simulated_journey import Journey

ARRIVED = at("2030-01-07T09:00:00+00:00")
LAST_SEEN = at("2030-01-14T21:40:00+00:00")
REPORTED = LAST_SEEN + timedelta(hours=1)
POLICE_DUE = LAST_SEEN + timedelta(hours=24)


QUIET = custom_policy({k: v for k, v in default_rules().items() if k != "escalation"})


def journey(dob: date = date(2015, 5, 20), policy: Policy = POLICY) -> Journey:
    j = Journey({"arrived_at": ARRIVED, "date_of_birth": dob,
                 "date_of_birth_basis": "stated", "municipality": "Malmö"}, policy)
    j.tidy_arrival()
    return j


def missing() -> Journey:
    j = journey()
    j.enter("ReportedMissing", REPORTED, last_seen_at=LAST_SEEN, place="the station",
            seen_by="staff")
    return j


def only(j: Journey, rule_id: str) -> Clock:
    (found,) = j.clocks_of(rule_id)
    return found


def open_escalations(j: Journey, rule_id: str) -> list[Clock]:
    return [c for c in j.clocks_of("escalation")
            if c.status == "open" and (c.subject or "").startswith(rule_id)]


# ---- the police report ----


def test_found_before_the_24_hours_but_entered_after_the_miss_cancels_the_police_report(
        ) -> None:
    j = missing()
    j.enter("Found", LAST_SEEN + timedelta(hours=20), at=POLICE_DUE + timedelta(hours=3),
            location="sweden")
    police = only(j, "missing.police_report")
    assert (police.status, police.on_time) == ("cancelled", None)
    # The miss Vaka recorded stays in the history.
    assert "missing.police_report" in [e.fact.rule_id for e in j.entries("DeadlineMissed")]


def test_the_same_found_entered_in_time_gives_the_same_police_report_clock() -> None:
    late, in_time = missing(), missing()
    found_at = LAST_SEEN + timedelta(hours=20)
    late.enter("Found", found_at, at=POLICE_DUE + timedelta(hours=3), location="sweden")
    in_time.enter("Found", found_at, location="sweden")
    in_time.run_until(POLICE_DUE + timedelta(hours=3))
    def judged(j: Journey) -> Clock:  # entry numbers differ between the two case files
        return dataclasses.replace(only(j, "missing.police_report"), resolved_seq=None)

    assert judged(late) == judged(in_time)
    assert in_time.entries("DeadlineMissed") == []


def test_a_late_entry_stops_the_escalation_of_the_miss_that_never_happened() -> None:
    j = missing()
    j.run_until(POLICE_DUE + timedelta(hours=1))
    assert open_escalations(j, "missing.police_report")
    j.enter("Found", LAST_SEEN + timedelta(hours=20), location="sweden")
    j.run_until(POLICE_DUE + timedelta(days=3))
    assert open_escalations(j, "missing.police_report") == []
    assert j.entries("Escalated") == []


def test_police_report_made_in_time_but_entered_after_the_miss_is_met_on_time() -> None:
    j = missing()
    j.enter("PoliceReportFiled", LAST_SEEN + timedelta(hours=2),
            at=POLICE_DUE + timedelta(hours=5))
    police = only(j, "missing.police_report")
    assert (police.status, police.on_time) == ("met", True)
    assert open_escalations(j, "missing.police_report") == []


def test_found_after_the_24_hours_entered_late_leaves_the_police_report_missed() -> None:
    j = missing()
    j.enter("Found", POLICE_DUE + timedelta(hours=2), at=POLICE_DUE + timedelta(hours=6),
            location="sweden")
    police = only(j, "missing.police_report")
    assert (police.status, police.on_time) == ("missed", False)


# ---- the search reviews ----


def test_search_action_in_time_entered_after_the_miss_restarts_from_the_action() -> None:
    j = missing()
    first_due = REPORTED + timedelta(hours=24)
    action_at = REPORTED + timedelta(hours=10)
    j.enter("SearchActionTaken", action_at, at=first_due + timedelta(hours=5),
            action="called friends", taken_by="caseworker")
    reviews = j.clocks_of("missing.search_review")
    assert [(c.status, c.on_time) for c in reviews] == [("met", True), ("open", None)]
    assert reviews[1].due == action_at + timedelta(hours=24)  # no review spawned by the miss


# ---- windows that Vaka closed ----


def rejected_journey(notified: datetime) -> Journey:
    j = journey(policy=QUIET)  # weeks pass: escalations of the 90-day risk assessment aside
    j.enter("AsylumApplied", ARRIVED + timedelta(days=1))
    j.enter("DecisionIssued", notified, outcome="rejected", decided_at=notified,
            notified_at=notified)
    return j


def test_appeal_filed_in_time_but_entered_after_the_window_closed_reopens_the_appeal() -> None:
    notified = at("2030-03-04T10:00:00+00:00")
    j = rejected_journey(notified)
    j.run_until(notified + timedelta(weeks=4))
    assert j.case.state.stage == "rejected_final"
    j.enter("AppealFiled", notified + timedelta(days=20))
    j.run_until(notified + timedelta(weeks=4, hours=1))
    (expired,) = j.entries("AppealWindowExpired")
    assert [e.fact.entry for e in j.entries("ConclusionWithdrawn")] == [expired.seq]
    assert j.case.state.stage == "appealing"
    assert j.clocks_of("return.voluntary_departure") == []
    assert j.clocks_of("return.expulsion_lapse") == []


def test_departed_before_the_departure_window_closed_entered_after_withdraws_its_expiry(
        ) -> None:
    notified = at("2030-03-04T10:00:00+00:00")
    j = rejected_journey(notified)
    j.run_until(notified + timedelta(weeks=8))
    (expired,) = j.entries("DepartureWindowExpired")
    departed = j.enter("Departed", expired.occurred_at - timedelta(days=2))
    j.run_until(departed.recorded_at + timedelta(hours=1))
    window = only(j, "return.voluntary_departure")
    assert (window.status, window.on_time, window.resolved_seq) == ("met", True, departed.seq)
    assert expired.seq in [e.fact.entry for e in j.entries("ConclusionWithdrawn")]


def test_a_decision_made_before_long_processing_was_flagged_withdraws_the_flag() -> None:
    j = journey(policy=QUIET)
    applied_at = ARRIVED + timedelta(days=1)
    j.enter("AsylumApplied", applied_at)
    j.run_until(applied_at + timedelta(days=200))
    (flag,) = j.entries("RiskFlagRaised")
    assert flag.fact.factor == "A3.3"
    j.enter("DecisionIssued", flag.occurred_at - timedelta(days=3), outcome="granted",
            decided_at=flag.occurred_at - timedelta(days=3), permit_type="permanent")
    j.run_until(j.now + timedelta(hours=1))
    assert flag.seq in [e.fact.entry for e in j.entries("ConclusionWithdrawn")]
    assert "A3.3" not in j.case.state.risk_flags
    assert [c for c in j.clocks_of("risk.followup.asylum_placement")
            if c.anchor_seq == flag.seq] == []
