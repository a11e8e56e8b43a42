"""Domain errors. Messages name fields and rules, never a child's personal data."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal the domain makes."""

    title = "Refused"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidField(DomainError):
    title = "Invalid field"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class InvalidFields(DomainError):
    """Several field problems at once, so the caller can fix them all in one go."""

    title = "Invalid fields"

    def __init__(self, problems: list[InvalidField]) -> None:
        super().__init__("; ".join(p.detail for p in problems))
        self.problems = problems


class UnknownEventType(DomainError):
    title = "Unknown event type"


class TransitionRefused(DomainError):
    title = "Not possible in the child's current state"


class NotAChild(DomainError):
    title = "Not a child"


class OccurredInFuture(DomainError):
    title = "occurred_at lies in the future"


class ChildNotFound(DomainError):
    title = "No such child"


class VersionConflict(DomainError):
    title = "The case has changed"


class IdempotencyKeyReused(DomainError):
    title = "Idempotency key reused with a different request"


class UnreadableEntry(DomainError):
    """A stored entry this version of Vaka cannot read (written by another version)."""

    title = "Case file entry unreadable"

    def __init__(self, seq: int, event_type: str) -> None:
        super().__init__(f"entry {seq} ({event_type}) cannot be read by this version of Vaka; "
                         "an administrator can see it under quarantined events")
        self.seq = seq
        self.event_type = event_type


class PolicyError(DomainError):
    title = "Invalid policy"
