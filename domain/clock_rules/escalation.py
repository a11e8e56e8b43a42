"""The escalation ladder: a missed clock still not done after its grace period goes to the
head of unit, and again after each further grace period, until someone acknowledges it
or it is done. Reminders before due and the miss itself are the earlier rungs."""

from __future__ import annotations

from datetime import datetime

from domain import facts
from domain.clocks import MISSED, Clock, ClockBook
from domain.entries import Entry
from domain.state import CaseState
from domain.timing import add_rule_duration

RULE = "escalation"


def rule(book: ClockBook, entry: Entry, state: CaseState) -> None:
    fact = entry.fact
    # The grace period runs from when Vaka knew: a miss recorded late (a late entry, or
    # Vaka was down) gets its full grace, and repeats never come in a burst.
    known = max(entry.occurred_at, entry.recorded_at)
    if isinstance(fact, facts.DeadlineMissed) and book.missed_by(entry):
        _escalate(book, entry, fact.clock_id, fact.rule_id, known)
    elif isinstance(fact, facts.Escalated):
        subject = book.clocks.get(fact.subject)
        if subject is not None and subject.status == MISSED and \
                fact.subject not in book.acknowledged:
            _escalate(book, entry, fact.subject, fact.rule_id, known)
    elif isinstance(fact, (facts.Found, facts.ContactMade, facts.FoundDeceased)):
        # The child is back: the misses of this disappearance stay missed (an act naming
        # the episode can still meet them), but the head of unit is not told again.
        ended = state.last_episode
        ep = ended.reported_seq if ended else None
        book.cancel(entry, [RULE], where=lambda c: _subject_of(book, c, "missing.", ep))
    elif isinstance(fact, facts.EscalationAcknowledged):
        book.acknowledged.add(fact.clock_id)
        book.cancel(entry, [RULE], where=lambda c: c.subject == fact.clock_id)
    # A missed clock met late, or cancelled with its journey, escalates no further.
    settled = [c for c in book.of_rule(RULE)
               if c.subject and book.clocks[c.subject].status != MISSED]
    if settled:
        ids = {c.clock_id for c in settled}
        book.cancel(entry, [RULE], where=lambda c: c.clock_id in ids)


def _subject_of(book: ClockBook, escalation: Clock, prefix: str, episode: int | None) -> bool:
    subject = book.clocks.get(escalation.subject or "")
    return subject is not None and subject.rule_id.startswith(prefix) and \
        subject.episode == episode


def _escalate(book: ClockBook, entry: Entry, subject: str, rule_id: str,
              since: datetime) -> None:
    ladder = book.policy.rule(RULE)
    missed_rule = book.policy.rule(rule_id)
    if ladder is None or missed_rule is None:
        return
    grace = missed_rule.values.get("escalate_after") or ladder.values.get("default_after")
    if not grace:
        return
    due = add_rule_duration(since, str(grace), book.policy.timezone)
    book.open(RULE, entry, due, fires="Escalated", subject=subject)
