"""Domain errors. Messages name fields and rules, never a child's personal data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    """Part of a refusal that is itself a text of the catalogue."""

    text: str


@dataclass(frozen=True)
class Term:
    """A value of the vocabulary in a refusal: a stage, a field, an event type."""

    kind: str
    value: str


def english(value: object) -> str:
    if isinstance(value, Phrase):
        return value.text
    if isinstance(value, Term):  # a field keeps its exact name; a stage reads as words
        return value.value if value.kind == "field" else value.value.replace("_", " ")
    return str(value)


class DomainError(Exception):
    """Base of every refusal the domain makes. The detail is an English template with
    named parameters ({stage}), so a page can say it whole in the reader's language."""

    title = "Refused"

    def __init__(self, detail: str, **params: object) -> None:
        self.template = detail
        self.params = params
        text = detail.format(**{k: english(v) for k, v in params.items()}) if params else detail
        super().__init__(text)
        self.detail = text


class InvalidField(DomainError):
    title = "Invalid field"

    def __init__(self, field: str, problem: str, **params: object) -> None:
        said = problem.format(**{k: english(v) for k, v in params.items()}) if params \
            else problem
        super().__init__(f"{field}: {said}")
        self.field = field
        self.problem = said
        self.problem_template = problem  # what the catalogue translates; params fill it
        self.problem_params = params


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
