"""After saving, the caseworker is told what the event did to the clocks, and why it did not
meet a clock it looks meant for."""

from __future__ import annotations

from datetime import date, timedelta

from domain.effects import effects
from tests.support.history import POLICY, at, record, registered

ARRIVED = at("2026-03-02T10:00:00+01:00")


def _clocks(case):  # type: ignore[no-untyped-def]
    from domain.judging import compute_clocks

    return compute_clocks(str(case.id), case.effective_entries, POLICY)


def test_an_information_talk_without_the_god_man_meets_nothing_and_says_why() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    before = _clocks(case)
    entry = record(case, "TalkHeld", ARRIVED + timedelta(days=1), kind="information",
                   guardian_present=False)
    done = effects(before, _clocks(case), entry)
    assert done.met == []
    assert [h.rule_id for h in done.hints] == ["arrival.information_talk"]
    assert "god man" in done.hints[0].why


def test_the_same_talk_with_the_god_man_present_meets_the_clock_and_gives_no_hint() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    before = _clocks(case)
    entry = record(case, "TalkHeld", ARRIVED + timedelta(days=1), kind="information",
                   guardian_present=True)
    done = effects(before, _clocks(case), entry)
    assert [c.rule_id for c in done.met] == ["arrival.information_talk"]
    assert done.hints == []


def test_a_disappearance_starts_the_police_report_and_search_clocks() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    before = _clocks(case)
    entry = record(case, "ReportedMissing", ARRIVED + timedelta(days=2),
                   last_seen_at=ARRIVED + timedelta(days=2) - timedelta(hours=1),
                   place="x", seen_by="y")
    done = effects(before, _clocks(case), entry)
    assert {"missing.police_report", "missing.search_review",
            "missing.long_term_review"} <= {c.rule_id for c in done.opened}
    assert done.met == [] and not done.nothing


def test_being_found_stops_the_search_clocks() -> None:
    case = registered(ARRIVED, date(2011, 5, 20))
    record(case, "ReportedMissing", ARRIVED + timedelta(days=2),
           last_seen_at=ARRIVED + timedelta(days=2), place="x", seen_by="y")
    before = _clocks(case)
    entry = record(case, "Found", ARRIVED + timedelta(days=2, hours=3), location="sweden")
    done = effects(before, _clocks(case), entry)
    assert {"missing.police_report", "missing.search_review"} <= {c.rule_id for c in done.stopped}
    assert {"found.debrief", "found.risk_reassessment"} <= {c.rule_id for c in done.opened}


def test_a_talk_years_before_18_gives_no_hint_about_preparing_for_adulthood() -> None:
    case = registered(ARRIVED, date(2014, 5, 20))
    before = _clocks(case)
    entry = record(case, "TalkHeld", ARRIVED + timedelta(days=1), kind="check_in")
    assert effects(before, _clocks(case), entry).hints == []


def test_a_talk_months_before_18_that_is_not_about_adulthood_says_what_would_meet_it() -> None:
    case = registered(ARRIVED, date(2008, 8, 20))  # turns 18 in August 2026
    before = _clocks(case)
    entry = record(case, "TalkHeld", ARRIVED + timedelta(days=1), kind="check_in")
    assert [h.rule_id for h in effects(before, _clocks(case), entry).hints] == [
        "age.prepare_adulthood"]
