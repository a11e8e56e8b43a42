"""History builders: a ChildCase aggregate in memory, entries recorded straight on it without
the checks a request meets (tests.support.casefile has those), and clocks from the policy."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from domain.case_file import CaseFile
from domain.child_case import ChildCase
from domain.clocks import Clock
from domain.entries import Actor, Entry
from domain.facts import parse_fact
from domain.firing import falling_due
from domain.judging import compute_clocks
from domain.policy import Policy, load_policy, parse_policy
from domain.state import CaseState, fold
from domain.transitions import check_fits

POLICY = load_policy()
CASEWORKER = Actor("caseworker-1", "caseworker")
SYSTEM = Actor.system()


def at(text: str) -> datetime:
    """An aware instant from ISO text, e.g. '2026-01-10T08:00:00+00:00'."""
    parsed = datetime.fromisoformat(text)
    assert parsed.tzinfo is not None, "give builders aware instants"
    return parsed.astimezone(UTC)


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def registered(arrived_at: datetime, date_of_birth: date = date(2011, 5, 20), *,
               child_id: UUID | None = None, **extra: Any) -> ChildCase:
    """A case file holding only the registration (entry 1)."""
    fields = {
        "arrived_at": arrived_at, "date_of_birth": date_of_birth,
        "date_of_birth_basis": "stated", "municipality": "Malmö", **extra,
    }
    return ChildCase.open(child_id or uuid4(), _json(fields), arrived_at, CASEWORKER, None, None)


def record(case: ChildCase, event_type: str, occurred_at: datetime, *,
           reason: str | None = None, actor: Actor = CASEWORKER, **fields: Any) -> Entry:
    """A caseworker's fact, recorded straight on the aggregate (no guards)."""
    return case.record(event_type, _json(fields), occurred_at, actor, reason, None)


def system(case: ChildCase, event_type: str, occurred_at: datetime, **fields: Any) -> Entry:
    """A fact Vaka itself records (DeadlineMissed, DeadlineReminded, Turned18)."""
    command_id = f"test|{event_type}|{len(case.entries) + 1}"
    return case.record(event_type, _json(fields), occurred_at, SYSTEM, None, command_id)


def report_missing(case: ChildCase, occurred_at: datetime, last_seen_at: datetime) -> Entry:
    return record(case, "ReportedMissing", occurred_at, last_seen_at=last_seen_at,
                  place="the residential home", seen_by="night staff")


def miss(case: ChildCase, clock: Clock) -> Entry:
    """What the workflow records when an open clock falls due."""
    return system(case, "DeadlineMissed", clock.due, clock_id=clock.clock_id,
                  rule_id=clock.rule_id, due=clock.due)


def remind(case: ChildCase, clock: Clock, reminder: datetime) -> Entry:
    return system(case, "DeadlineReminded", reminder, clock_id=clock.clock_id,
                  rule_id=clock.rule_id, due=clock.due)


def clocks(case: ChildCase, policy: Policy = POLICY) -> list[Clock]:
    return compute_clocks(str(case.id), case.effective_entries, policy)


def clocks_of(case: ChildCase, rule_id: str, policy: Policy = POLICY) -> list[Clock]:
    return [c for c in clocks(case, policy) if c.rule_id == rule_id]


def clock(case: ChildCase, clock_id: str, policy: Policy = POLICY) -> Clock:
    """The one clock with that id; fails the test when there is none."""
    found = [c for c in clocks(case, policy) if c.clock_id == clock_id]
    assert len(found) == 1, f"no clock {clock_id}; have {[c.clock_id for c in clocks(case)]}"
    return found[0]


def only_open(case: ChildCase, rule_id: str, policy: Policy = POLICY) -> Clock:
    """The single open clock of a rule; fails the test when there are none or several."""
    found = [c for c in clocks_of(case, rule_id, policy) if c.status == "open"]
    assert len(found) == 1, f"expected one open {rule_id}, got {[c.clock_id for c in found]}"
    return found[0]


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string


def custom_policy(rules: dict[str, dict[str, Any]], *, version: str = "test-1",
                  timezone: str = "Europe/Stockholm", leap_day_birthday: str = "03-01",
                  rejection_kind_months: int | None = None) -> Policy:
    """A policy file written out as TOML text and parsed like the real one."""
    lines = [f'version = "{version}"', f'timezone = "{timezone}"',
             f'leap_day_birthday = "{leap_day_birthday}"']
    if rejection_kind_months is not None:
        lines.append(f"rejection_kind_months = {rejection_kind_months}")
    for rule_id, values in rules.items():
        lines.append(f'[rules."{rule_id}"]')
        lines.extend(f"{key} = {_toml(value)}" for key, value in values.items())
    return parse_policy("\n".join(lines) + "\n")


def default_rules() -> dict[str, dict[str, Any]]:
    """The default policy's rules as plain dicts, to change one number in a test."""
    return {rule_id: dict(rule.values) for rule_id, rule in POLICY.rules.items()}


def in_memory_case_file(policy: Policy = POLICY) -> CaseFile:
    return CaseFile(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, policy=policy)


# ---- the whole journey: state, guards and Vaka's own actions ----


def state_of(case: ChildCase) -> CaseState:
    """The child's state as the effective history folds to it."""
    return fold(str(case.id), case.effective_entries)


def fits(case: ChildCase, event_type: str, **fields: Any) -> None:
    """Run the guards the case file runs before recording; raises when refused."""
    fact = parse_fact(event_type, _json(fields))
    check_fits(state_of(case), case.entries, event_type, fact)


def lawful(case: ChildCase, event_type: str, occurred_at: datetime, **fields: Any) -> Entry:
    """A caseworker's fact recorded only after the guards let it through."""
    fits(case, event_type, **fields)
    return record(case, event_type, occurred_at, **fields)


def fire(case: ChildCase, clock: Clock) -> Entry:
    """What the workflow records when a clock falls due (domain.firing), at its due."""
    event_type, fields = falling_due(clock, state_of(case))
    return system(case, event_type, clock.due, **fields)


def applied(case: ChildCase, occurred_at: datetime) -> Entry:
    return record(case, "AsylumApplied", occurred_at)


def rejected(case: ChildCase, occurred_at: datetime, *, decided_at: datetime | None = None,
             notified_at: datetime | None = None) -> Entry:
    """DecisionIssued(rejected), decided when recorded unless told otherwise."""
    fields: dict[str, Any] = {"outcome": "rejected", "decided_at": decided_at or occurred_at}
    if notified_at is not None:
        fields["notified_at"] = notified_at
    return record(case, "DecisionIssued", occurred_at, **fields)


def granted(case: ChildCase, occurred_at: datetime, *, permit_type: str = "temporary",
            permit_expires_on: date | None = None) -> Entry:
    fields: dict[str, Any] = {"outcome": "granted", "decided_at": occurred_at,
                              "permit_type": permit_type}
    if permit_expires_on is not None:
        fields["permit_expires_on"] = permit_expires_on
    return record(case, "DecisionIssued", occurred_at, **fields)
