"""Asylum: the decision, its SIP meeting and talks, the appeal window, finality, permits.

Each decision is an episode: its SIP meeting and its talks carry the decision's entry, and
a meeting or talk meets only those of the decision it follows (the one it names, else the
latest one when it was held). The appeal and departure windows are legal time limits
(`legal_time_limit` in the policy): counted as the law counts them.
"""

from __future__ import annotations

from domain import facts
from domain.clock_rules.flags import raise_flag
from domain.clocks import ClockBook
from domain.entries import Entry
from domain.state import CaseState, rejection_kind
from domain.timing import local_midnight

FINAL = (facts.DecisionFinal, facts.AppealWindowExpired, facts.ApplicationWithdrawn)


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    if isinstance(fact, facts.AsylumApplied):
        raise_flag(book, "risk.flag.long_processing", entry, state)
    elif isinstance(fact, facts.DecisionIssued):
        _decision(book, entry, state, fact)
    elif isinstance(fact, facts.SipMeetingHeld):
        book.meet("decision.sip_meeting", entry, episode=fact.episode or state.decision_episode)
    elif isinstance(fact, facts.TalkHeld) and fact.kind == "after_rejection":
        rejection = state.decision.seq if state.decision else None
        book.meet("decision.after_rejection_talk", entry, episode=fact.episode or rejection)
        if state.rejected and fact.episode in (None, rejection):
            book.open_after("decision.after_rejection_talk", entry, entry.occurred_at,
                            "then_every", episode=rejection)
    elif isinstance(fact, (facts.SpecialCustodianApplied, facts.SpecialCustodianAppointed)):
        book.meet("permit.special_custodian", entry)
    elif isinstance(fact, facts.AppealFiled):
        book.meet("decision.appeal_window", entry)
        # Filed in time though recorded after the window closed: not final after all.
        book.cancel(entry, ["return.voluntary_departure", "return.expulsion_lapse"])
        raise_flag(book, "risk.flag.appeal", entry, state)
    elif isinstance(fact, facts.AppealDecided):
        # A decision on appeal, grant or rejection, calls a SIP meeting of its own (section
        # 5); the first decision's meeting is not met or cancelled by it.
        book.open_after("decision.sip_meeting", entry, entry.occurred_at, episode=entry.seq)
        if fact.outcome == "granted":
            _granted(book, entry, state)
        else:
            _became_final(book, entry, state)
    elif isinstance(fact, FINAL):
        book.cancel(entry, ["decision.appeal_window", "risk.flag.long_processing"])
        _became_final(book, entry, state)
    elif isinstance(fact, facts.InterviewHeld) and state.lvu_placed and \
            not state.statement_submitted:
        book.open_after("decision.lvu_statement", entry, entry.occurred_at)
    elif isinstance(fact, facts.StatementSubmitted):
        book.meet("decision.lvu_statement", entry)


def _decision(book: ClockBook, entry: Entry, state: CaseState,
              fact: facts.DecisionIssued) -> None:
    book.cancel(entry, ["risk.flag.long_processing"])
    book.meet("permit.expiry", entry)  # a new decision meets an expiring permit
    book.open_after("decision.sip_meeting", entry, entry.occurred_at, episode=entry.seq)
    if fact.outcome == "granted":
        _granted(book, entry, state)
        return
    book.open_after("decision.after_rejection_talk", entry, entry.occurred_at, episode=entry.seq)
    assert state.decision is not None
    book.open_after("decision.appeal_window", entry, state.decision.notified_at,
                    fires="AppealWindowExpired", episode=entry.seq)
    raise_flag(book, "risk.flag.rejection", entry, state)


def _granted(book: ClockBook, entry: Entry, state: CaseState) -> None:
    book.cancel(entry, ["decision.after_rejection_talk", "decision.appeal_window"])
    decision = state.decision
    if decision is not None and decision.permit_expires_on is not None:
        expiry = local_midnight(decision.permit_expires_on, book.policy.timezone)
        book.open("permit.expiry", entry, expiry)
    # After a permit the god man is replaced by a special custodian (002 L189).
    if not (state.special_custodian or state.special_custodian_applied
            or book.is_open("permit.special_custodian")):
        book.open_after("permit.special_custodian", entry, entry.occurred_at)


def _became_final(book: ClockBook, entry: Entry, state: CaseState) -> None:
    if state.asylum_stage != "rejected_final" or state.rejection_final_at != entry.occurred_at:
        return
    kind = rejection_kind(state, book.policy.rejection_kind_months) or "utvisning"
    book.open_after("return.voluntary_departure", entry, entry.occurred_at, f"{kind}_after",
                    fires="DepartureWindowExpired")
    book.open_after("return.expulsion_lapse", entry, entry.occurred_at,
                    fires="ExpulsionLapsed")
