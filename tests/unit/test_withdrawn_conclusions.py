"""Corrections (RULEBOOK section 6): Vaka's own derived events are conclusions from other
facts. When a Corrected or Retracted removes or moves the facts one rests on, the
conclusion and everything that followed from it are withdrawn, with an entry that says so,
and the stage, the responsibility and the clocks are recomputed. Played through the
journey's own activities (plan_timers lists the withdrawal, fire_timer records it)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from domain.entries import Entry
from domain.legal_time import legal_due
from tests.support.history import POLICY, at, custom_policy, default_rules
from tests.support.simulated_journey import Journey
from workflows.messages import FireRequest, PlanRequest

ARRIVED = at("2030-01-07T09:00:00+00:00")
TYPED_DOB = date(2012, 2, 1)  # a typing error: 18 on 1 February 2030
TRUE_DOB = date(2014, 2, 1)  # the child is 15
BIRTHDAY = at("2030-02-01T00:00:00+01:00")
QUIET = custom_policy({k: v for k, v in default_rules().items() if k != "escalation"})


def journey(dob: date = TRUE_DOB) -> Journey:
    j = Journey({"arrived_at": ARRIVED, "date_of_birth": dob,
                 "date_of_birth_basis": "stated", "municipality": "Malmö"}, QUIET)
    j.tidy_arrival()
    return j


def withdrawn(j: Journey) -> list[str]:
    return [e.fact.conclusion for e in j.entries("ConclusionWithdrawn")]


def turned_18_by_mistake() -> Journey:
    j = journey(TYPED_DOB)
    j.run_until(BIRTHDAY + timedelta(days=2))
    assert j.case.state.stage == "adult"
    return j


# ---- Turned18: the date of birth and the age assessment ----


def test_a_corrected_date_of_birth_withdraws_turned18_and_the_child_is_a_child_again(
        ) -> None:
    j = turned_18_by_mistake()
    correction = j.correct(j.case.entries[0], j.now, date_of_birth=TRUE_DOB)
    j.run_until(j.now + timedelta(minutes=1))
    (withdrawal,) = j.entries("ConclusionWithdrawn")[-1:]
    (turned,) = j.entries("Turned18")
    assert withdrawal.fact.entry == turned.seq and "Turned18" in withdrawn(j)
    assert f"entry {correction.seq} (Corrected)" in (withdrawal.reason or "")
    state = j.case.state
    assert (state.stage, state.adult, state.responsibility) == ("arrived", False,
                                                                "social_services")
    assert state.guardian is not None  # the god man's task did not end after all


def test_after_the_withdrawal_the_child_only_clocks_and_the_new_birthday_run_again() -> None:
    j = turned_18_by_mistake()
    j.correct(j.case.entries[0], j.now, date_of_birth=TRUE_DOB)
    j.run_until(j.now + timedelta(minutes=1))
    birthday = [c for c in j.clocks_of("age.eighteenth_birthday") if c.status == "open"]
    assert [c.due for c in birthday] == [at("2032-02-01T00:00:00+01:00")]
    assert [c for c in j.clocks_of("risk.assessment") if c.status == "open"]


def test_the_approaching_18_flag_of_the_mistyped_date_is_withdrawn_too() -> None:
    j = turned_18_by_mistake()
    j.correct(j.case.entries[0], j.now, date_of_birth=TRUE_DOB)
    j.run_until(j.now + timedelta(minutes=1))
    assert "RiskFlagRaised" in withdrawn(j)
    assert "A3.6" not in j.case.state.risk_flags


def test_a_correction_that_makes_the_child_older_leaves_turned18_standing() -> None:
    j = turned_18_by_mistake()
    j.correct(j.case.entries[0], j.now, date_of_birth=date(2012, 1, 15))
    j.run_until(j.now + timedelta(days=1))
    assert withdrawn(j) == [] and j.case.state.stage == "adult"


def assessed_older_by_mistake() -> tuple[Journey, Entry]:
    j = journey()
    assessed = j.enter("AgeAssessed", ARRIVED + timedelta(days=3),
                       outcome="new_date_of_birth", date_of_birth=TYPED_DOB)
    j.run_until(BIRTHDAY + timedelta(days=1))
    assert j.entries("Turned18")
    return j, assessed


def test_a_corrected_age_assessment_withdraws_turned18() -> None:
    j, assessed = assessed_older_by_mistake()
    j.correct(assessed, j.now, date_of_birth=date(2013, 6, 1))
    j.run_until(j.now + timedelta(minutes=1))
    assert "Turned18" in withdrawn(j) and j.case.state.stage == "arrived"


def test_a_retracted_age_assessment_withdraws_turned18_and_the_age_upgrade_flag() -> None:
    j, assessed = assessed_older_by_mistake()
    j.retract(assessed, j.now)
    j.run_until(j.now + timedelta(minutes=1))
    assert {"Turned18", "RiskFlagRaised"} <= set(withdrawn(j))
    assert j.case.state.stage == "arrived" and "A3.7" not in j.case.state.risk_flags


def test_a_retracted_assessment_as_adult_returns_the_child_to_child_protection() -> None:
    j = journey()
    assessed = j.enter("AgeAssessed", ARRIVED + timedelta(days=3), outcome="adult")
    j.run_until(ARRIVED + timedelta(days=4))
    j.retract(assessed, j.now)
    j.run_until(j.now + timedelta(minutes=1))
    state = j.case.state
    assert (state.stage, state.responsibility) == ("arrived", "social_services")
    assert "RiskFlagRaised" in withdrawn(j)  # the age-upgrade flag rested on it


def test_a_withdrawn_conclusion_that_stands_again_is_recorded_again() -> None:
    j = turned_18_by_mistake()
    registration = j.case.entries[0]
    j.correct(registration, j.now, date_of_birth=TRUE_DOB)
    j.run_until(j.now + timedelta(minutes=1))
    j.correct(registration, j.now + timedelta(hours=1), date_of_birth=TYPED_DOB)
    j.run_until(j.now + timedelta(minutes=1))
    assert len(j.entries("Turned18")) == 2 and j.case.state.stage == "adult"


def test_the_withdrawal_is_recorded_once_however_often_its_timer_fires() -> None:
    j = turned_18_by_mistake()
    j.correct(j.case.entries[0], j.now, date_of_birth=TRUE_DOB)
    plan = j.activities.plan_timers(PlanRequest(str(j.child_id), j.now))
    (timer,) = [t for t in plan.timers if t.key.startswith("withdraw|")
                and t.key.endswith("|Turned18")]
    for _ in range(3):
        j.activities.fire_timer(FireRequest(str(j.child_id), timer.key, timer.at))
    assert withdrawn(j).count("Turned18") == 1


# ---- finality: the decision, notified_at, the decision kind ----


NOTIFIED = at("2030-03-04T10:00:00+00:00")  # a Monday


def final_by_expiry(notified: datetime = NOTIFIED,
                    decided: datetime | None = None) -> tuple[Journey, Entry]:
    j = journey()
    j.enter("AsylumApplied", ARRIVED + timedelta(days=1))  # 8 January
    decision = j.enter("DecisionIssued", notified, outcome="rejected",
                       decided_at=decided or notified, notified_at=notified)
    j.run_until(notified + timedelta(weeks=3, days=2))
    assert j.case.state.stage == "rejected_final" and j.entries("AppealWindowExpired")
    return j, decision


def test_a_retracted_rejection_withdraws_finality_and_stops_the_return_clocks() -> None:
    j, decision = final_by_expiry()
    j.run_until(NOTIFIED + timedelta(weeks=6))  # the departure window closed too
    assert j.entries("DepartureWindowExpired")
    j.retract(decision, j.now)
    j.run_until(j.now + timedelta(minutes=1))
    assert {"AppealWindowExpired", "DepartureWindowExpired", "RiskFlagRaised"} <= set(
        withdrawn(j))
    assert j.case.state.stage == "in_asylum_process"
    assert not [c for c in j.clocks() if c.rule_id.startswith("return.")]


def test_a_later_notification_date_reopens_the_window_and_an_appeal_in_time_is_taken(
        ) -> None:
    j, decision = final_by_expiry()
    later = NOTIFIED + timedelta(days=10)
    j.correct(decision, j.now, notified_at=later)
    j.run_until(j.now + timedelta(minutes=1))
    assert "AppealWindowExpired" in withdrawn(j)
    window = [c for c in j.clocks_of("decision.appeal_window") if c.status == "open"]
    assert [c.due for c in window] == [legal_due(later, "3w", POLICY.timezone)]
    j.enter("AppealFiled", j.now)
    assert j.case.state.stage == "appealing"


def test_a_rejection_corrected_to_a_grant_withdraws_finality_and_the_rejection_flag() -> None:
    j, decision = final_by_expiry()
    j.correct(decision, j.now, outcome="granted", permit_type="permanent")
    j.run_until(j.now + timedelta(minutes=1))
    assert {"AppealWindowExpired", "RiskFlagRaised"} <= set(withdrawn(j))
    assert j.case.state.stage == "granted"
    assert [c.status for c in j.clocks_of("permit.special_custodian")] == ["open"]


def test_a_decision_date_corrected_to_utvisning_withdraws_the_early_departure_expiry() -> None:
    # Decided 7 April, within three months of the application: avvisning, two weeks.
    notified = at("2030-04-23T10:00:00+00:00")
    j, decision = final_by_expiry(notified, decided=at("2030-04-07T10:00:00+00:00"))
    j.run_until(notified + timedelta(weeks=6))
    (expired,) = j.entries("DepartureWindowExpired")
    (closed,) = j.entries("AppealWindowExpired")
    # It was in fact decided on 9 April, after the three months: utvisning, four weeks.
    j.correct(decision, j.now, decided_at=at("2030-04-09T10:00:00+00:00"))
    j.run_until(j.now + timedelta(minutes=1))
    assert expired.seq in [e.fact.entry for e in j.entries("ConclusionWithdrawn")]
    (window,) = [c for c in j.clocks_of("return.voluntary_departure")]
    assert window.due == legal_due(closed.occurred_at, "4w", POLICY.timezone)


def test_a_permit_granted_before_18_but_entered_after_turned18_keeps_social_services() -> None:
    j = journey(TYPED_DOB)
    j.enter("AsylumApplied", ARRIVED + timedelta(days=1))
    j.run_until(BIRTHDAY + timedelta(days=1))
    assert j.case.state.responsibility == "migration_agency"
    j.enter("DecisionIssued", BIRTHDAY - timedelta(days=5), outcome="granted",
            decided_at=BIRTHDAY - timedelta(days=5), permit_type="permanent")
    j.run_until(j.now + timedelta(minutes=1))
    first, again = j.entries("Turned18")
    assert "Turned18" in withdrawn(j)
    assert (first.fact.responsibility_to, again.fact.responsibility_to) == (
        "migration_agency", "social_services")
    assert (again.occurred_at, j.case.state.responsibility) == (BIRTHDAY, "social_services")
