"""A missing child: the police report, the search reviews, and after: debrief, risk.

Each disappearance is an episode: its clocks carry the ReportedMissing entry, and an act
meets only the clocks of the disappearance it answers (the one it names, else the one of
its time), never those of an earlier one (RULEBOOK section 6, episodes).
"""

from __future__ import annotations

from datetime import datetime

from domain import facts
from domain.clock_rules.flags import raise_flag
from domain.clocks import ClockBook
from domain.entries import Entry
from domain.state import CaseState, MissingEpisode, act_episode

MISSING = ("missing.police_report", "missing.search_review", "missing.long_term_review")
FOUND = ("found.debrief", "found.risk_reassessment")


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    if isinstance(fact, facts.ReportedMissing):
        book.open_after("missing.police_report", entry, fact.last_seen_at,
                        reminder_key="reminders_after", episode=entry.seq)
        book.open_after("missing.search_review", entry, entry.occurred_at, episode=entry.seq)
        book.open_after("missing.long_term_review", entry, entry.occurred_at,
                        episode=entry.seq)
    elif isinstance(fact, facts.PoliceReportFiled):
        _meet(book, "missing.police_report", entry, act_episode(state, fact))
    elif isinstance(fact, facts.SearchActionTaken):
        episode = act_episode(state, fact)
        _meet(book, "missing.search_review", entry, episode)
        if episode is not None and episode.ended_seq is None:
            _next_search_review(book, entry, episode, entry.occurred_at)
    elif isinstance(fact, facts.DeadlineMissed) and fact.rule_id == "missing.search_review":
        # Nobody searched: the cadence goes on, so the gap keeps showing (003 L173-174).
        missed = book.clocks.get(fact.clock_id)
        episode = state.episode(missed.episode) if missed else None
        if episode is not None and episode.ended_seq is None and book.missed_by(entry):
            _next_search_review(book, entry, episode, fact.due)
    elif isinstance(fact, (facts.Found, facts.ContactMade, facts.FoundDeceased)):
        ended = state.last_episode
        ep = ended.reported_seq if ended else None
        book.cancel(entry, MISSING, where=lambda c: c.episode == ep)
        if not isinstance(fact, facts.FoundDeceased):
            book.open_after("found.debrief", entry, entry.occurred_at, episode=ep)
            book.open_after("found.risk_reassessment", entry, entry.occurred_at, episode=ep)
    elif isinstance(fact, facts.TalkHeld) and fact.kind == "debrief":
        _meet(book, "found.debrief", entry, act_episode(state, fact))
    elif isinstance(fact, facts.RiskAssessed):
        _meet(book, "found.risk_reassessment", entry, act_episode(state, fact))
    if getattr(fact, "suspected_exploitation", False):
        # Possible victimisation or crime, from the Found event or the debrief (section 5).
        raise_flag(book, "risk.flag.victimisation", entry, state)


def _meet(book: ClockBook, rule_id: str, entry: Entry, episode: MissingEpisode | None) -> None:
    if episode is not None:
        book.meet(rule_id, entry, episode=episode.reported_seq)


def _next_search_review(book: ClockBook, entry: Entry, episode: MissingEpisode,
                        since: datetime) -> None:
    dense_until = book.after("missing.search_review", episode.reported_at, "dense_for")
    if dense_until is None:
        return
    key = "due_after" if since < dense_until else "then_due_after"
    book.open_after("missing.search_review", entry, since, key, episode=episode.reported_seq)
