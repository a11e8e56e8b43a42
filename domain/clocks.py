"""Clocks: computed, never typed. A pure function of the case history and the policy.

A clock is `open` until `met` (its fulfilling event is recorded), `cancelled` (it no longer
applies) or `missed` (Vaka recorded `DeadlineMissed` at its due instant). A missed clock
that is met later becomes `met` with `on_time` false, so the worklist shows what still
needs doing and the figures show what was late. Some clocks are Vaka's own actions
(`fires` another system event, e.g. `Turned18`, `RiskFlagRaised`): recording that event
meets them.

A clock belongs to the episode (one disappearance, one decision) whose event opened it:
`episode` names that event's entry, and only acts of that episode meet it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from domain import facts
from domain.entries import Entry
from domain.legal_time import legal_due
from domain.policy import Policy
from domain.state import CaseState, responsibility_at_18
from domain.timing import add_rule_duration

OPEN, MET, CANCELLED, MISSED = "open", "met", "cancelled", "missed"


@dataclass(frozen=True)
class Clock:
    clock_id: str
    rule_id: str
    anchor_seq: int
    due: datetime
    owner: str
    policy_version: str
    fires: str = "DeadlineMissed"  # what falls due records
    reminders: tuple[datetime, ...] = ()
    reminded: tuple[datetime, ...] = ()
    status: str = OPEN
    resolved_seq: int | None = None
    resolved_at: datetime | None = None
    on_time: bool | None = None
    subject: str | None = None  # for an escalation: the missed clock it is about
    episode: int | None = None  # the entry that opened its episode, for episode clocks

    @property
    def kind(self) -> str:
        """A deadline someone must meet, or an action Vaka takes itself."""
        return "deadline" if self.fires == "DeadlineMissed" else "action"


@dataclass
class ClockBook:
    """The clocks as the history unfolds; rules open and resolve them."""

    policy: Policy
    clocks: dict[str, Clock] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)  # missed clocks someone took on
    state: CaseState | None = None  # the state as of the entry being applied
    # The same clocks by rule, in the order they were opened, and the open ones by rule:
    # rules ask about one rule's clocks at every entry, and a long journey has hundreds of
    # clocks (an escalation each day), so scanning them all made judging quadratic.
    _by_rule: dict[str, dict[str, Clock]] = field(default_factory=dict, repr=False)
    _open_by_rule: dict[str, dict[str, Clock]] = field(default_factory=dict, repr=False)

    def _put(self, clock: Clock) -> None:
        self.clocks[clock.clock_id] = clock
        self._by_rule.setdefault(clock.rule_id, {})[clock.clock_id] = clock
        open_clocks = self._open_by_rule.setdefault(clock.rule_id, {})
        if clock.status == OPEN:
            open_clocks[clock.clock_id] = clock
        else:
            open_clocks.pop(clock.clock_id, None)

    # ---- opening ----

    def open(self, rule_id: str, anchor: Entry, due: datetime,
             reminders: Iterable[datetime] = (), fires: str = "DeadlineMissed",
             subject: str | None = None, episode: int | None = None) -> None:
        rule = self.policy.rule(rule_id)
        if rule is None:  # a rule the policy does not carry is switched off
            return
        if rule.child_only and self.state is not None and self.state.is_adult:
            return  # child-only clocks stop at 18 and do not start again
        tz = self.policy.timezone
        before = [add_rule_duration(due, d, tz, sign=-1)
                  for d in rule.durations("reminders_before")]
        clock_id = f"{rule_id}@{anchor.seq}"
        self._put(Clock(
            clock_id=clock_id, rule_id=rule_id, anchor_seq=anchor.seq, due=due,
            owner=rule.owner, policy_version=self.policy.version, fires=fires,
            reminders=tuple(sorted(r for r in [*reminders, *before] if r < due)),
            subject=subject, episode=episode,
        ))

    def after(self, rule_id: str, since: datetime, key: str = "due_after") -> datetime | None:
        """The due instant `key` of the rule after `since`, or None if the rule is off."""
        rule = self.policy.rule(rule_id)
        if rule is None or key not in rule.values:
            return None
        if rule.values.get("legal_time_limit"):  # counted as the law counts (legal_time)
            return legal_due(since, rule.duration(key), self.policy.timezone)
        return add_rule_duration(since, rule.duration(key), self.policy.timezone)

    def open_after(self, rule_id: str, anchor: Entry, since: datetime, key: str = "due_after",
                   fires: str = "DeadlineMissed", reminder_key: str | None = None,
                   episode: int | None = None) -> None:
        due = self.after(rule_id, since, key)
        if due is None:
            return
        rule = self.policy.rule(rule_id)
        reminders = []
        if reminder_key and rule is not None:
            tz = self.policy.timezone
            reminders = [add_rule_duration(since, d, tz) for d in rule.durations(reminder_key)]
        self.open(rule_id, anchor, due, reminders, fires, episode=episode)

    def restart(self, rule_id: str, entry: Entry, key: str = "every",
                episode: int | None = None) -> None:
        """A cadence: the entry meets the open clock and the next one runs from it."""
        self.meet(rule_id, entry, episode=episode)
        self.open_after(rule_id, entry, entry.occurred_at, key, episode=episode)

    # ---- reading ----

    def of_rule(self, rule_id: str, *statuses: str) -> list[Clock]:
        wanted = statuses or (OPEN,)
        if wanted == (OPEN,):
            return list(self._open_by_rule.get(rule_id, {}).values())
        return [c for c in self._by_rule.get(rule_id, {}).values() if c.status in wanted]

    def latest(self, rule_id: str) -> Clock | None:
        """The clock of the rule opened last."""
        clocks = self._by_rule.get(rule_id)
        return next(reversed(clocks.values())) if clocks else None

    def is_open(self, rule_id: str) -> bool:
        return bool(self.of_rule(rule_id))

    # ---- resolving ----

    def meet(self, rule_id: str, entry: Entry, where: Callable[[Clock], bool] = lambda c: True,
             episode: int | None = None) -> None:
        """The fulfilling event: open and missed clocks of the rule are met, of the given
        episode only when one is given."""
        for clock in self.of_rule(rule_id, OPEN, MISSED):
            if where(clock) and (episode is None or clock.episode == episode):
                self._resolve(clock, MET, entry, on_time=entry.occurred_at <= clock.due)

    def cancel(self, entry: Entry, rule_ids: Iterable[str] | None = None,
               where: Callable[[Clock], bool] = lambda c: True) -> None:
        """The clock no longer applies. One that fell due before the cancelling event
        happened was missed all the same: a late entry does not undo that."""
        if rule_ids is None:
            candidates = list(self.clocks.values())
        else:
            candidates = [c for r in dict.fromkeys(rule_ids)
                          for c in self._open_by_rule.get(r, {}).values()]
        for clock in candidates:
            if clock.status != OPEN:
                continue
            if not where(clock):
                continue
            if clock.due < entry.occurred_at and clock.fires == "DeadlineMissed":
                self._resolve(clock, MISSED, entry, on_time=False)
            else:
                self._resolve(clock, CANCELLED, entry, on_time=None)

    def _resolve(self, clock: Clock, status: str, entry: Entry, on_time: bool | None) -> None:
        self._put(dataclasses.replace(
            clock, status=status, resolved_seq=entry.seq, resolved_at=entry.occurred_at,
            on_time=on_time,
        ))

    def named_clock(self, entry: Entry) -> Clock | None:
        """The clock a system entry is about. Turned18 recorded before it named its clock
        is about the birthday clock open when it was recorded."""
        clock_id = getattr(entry.fact, "clock_id", None)
        if clock_id:
            return self.clocks.get(clock_id)
        if isinstance(entry.fact, facts.Turned18):
            return next((c for c in self.clocks.values()
                         if c.fires == "Turned18" and c.status == OPEN), None)
        return None

    def stands(self, entry: Entry) -> bool:
        """Whether a system entry still follows from the history before it. A miss or a
        conclusion (Turned18, AppealWindowExpired, RiskFlagRaised, ...) stands only if its
        clock is still open and due at its instant: a correction that moved or removed the
        clock's ground, or a late entry of an act done before it, leaves it standing on
        nothing (RULEBOOK section 6, late entries and corrections)."""
        fact = entry.fact
        if isinstance(fact, (facts.DeadlineReminded, facts.ConclusionWithdrawn)) or \
                entry.event_type not in facts.SYSTEM_FACTS:
            return True
        clock = self.named_clock(entry)
        if clock is None or clock.status != OPEN or clock.due > entry.occurred_at:
            return False
        if isinstance(fact, facts.DeadlineMissed):
            return fact.due == clock.due and clock.fires == "DeadlineMissed"
        if isinstance(fact, facts.Turned18) and self.state is not None and \
                fact.responsibility_to != responsibility_at_18(self.state):
            return False  # e.g. a permit granted before the birthday, entered after it
        return clock.fires == entry.event_type

    def record_system(self, entry: Entry) -> None:
        """Vaka's own entries that name a clock: reminders, misses and actions done."""
        fact = entry.fact
        clock = self.named_clock(entry)
        if clock is None:
            return
        if isinstance(fact, facts.DeadlineReminded):
            clock = dataclasses.replace(clock, reminded=(*clock.reminded, entry.occurred_at))
        elif isinstance(fact, facts.DeadlineMissed):
            if clock.status != OPEN or fact.due != clock.due:
                return  # a miss of a due since moved by a correction does not stand
            clock = dataclasses.replace(clock, status=MISSED, resolved_seq=entry.seq,
                                        resolved_at=entry.occurred_at, on_time=False)
        elif entry.event_type == clock.fires and clock.status == OPEN:
            clock = dataclasses.replace(clock, status=MET, resolved_seq=entry.seq,
                                        resolved_at=entry.occurred_at, on_time=True)
        self._put(clock)

    def missed_by(self, entry: Entry) -> bool:
        """Whether this DeadlineMissed entry is what made its clock missed."""
        clock = self.clocks.get(getattr(entry.fact, "clock_id", ""))
        return clock is not None and clock.status == MISSED and clock.resolved_seq == entry.seq
