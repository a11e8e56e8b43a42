"""What Vaka records when one of its timers comes: a reminder, a miss, or its own action."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.clocks import Clock
from domain.risk import DERIVED
from domain.state import CaseState, responsibility_at_18

__all__ = ["falling_due", "reminder", "responsibility_at_18"]


def reminder(clock: Clock) -> tuple[str, dict[str, Any]]:
    return "DeadlineReminded", _deadline(clock)


def falling_due(clock: Clock, state: CaseState) -> tuple[str, dict[str, Any]]:
    """The system event a clock records at its due instant."""
    if clock.fires == "DeadlineMissed":
        return "DeadlineMissed", _deadline(clock)
    if clock.fires == "Turned18":
        return "Turned18", {"responsibility_to": responsibility_at_18(state),
                            "clock_id": clock.clock_id}
    if clock.fires == "Escalated":
        assert clock.subject is not None
        rule_id, _, _ = clock.subject.partition("@")
        return "Escalated", {"clock_id": clock.clock_id, "subject": clock.subject,
                             "rule_id": rule_id, "due": clock.due.isoformat()}
    if clock.fires == "RiskFlagRaised":
        return "RiskFlagRaised", {"factor": DERIVED[clock.rule_id], "clock_id": clock.clock_id}
    return clock.fires, {"clock_id": clock.clock_id}


def _deadline(clock: Clock) -> dict[str, Any]:
    due: datetime = clock.due
    return {"clock_id": clock.clock_id, "rule_id": clock.rule_id, "due": due.isoformat()}
