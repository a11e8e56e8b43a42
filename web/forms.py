"""Event forms, built from the fact catalogue (domain.schema) and read back into the
JSON-shaped fields the API takes, so both go through the same parsing in the domain.

Date-times are typed as local wall-clock time; the server works out +01:00 or +02:00 in
the policy's zone. A time that does not exist there (the hour skipped when summer time
begins) is refused; in the hour that repeats when it ends, the first is meant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.schema import EventSpec, FieldSpec

INPUT_TYPES = {"line": "text", "date": "date", "datetime": "datetime-local", "int": "number"}


class FormProblem(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem


@dataclass
class FormField:
    spec: FieldSpec
    value: Any = None
    error: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label) to pick

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def input_type(self) -> str:
        if self.spec.kind == "line" and self.name.endswith("email"):
            return "email"
        if self.spec.kind == "line" and self.name.endswith("phone"):
            return "tel"
        return INPUT_TYPES.get(self.spec.kind, "text")

    @property
    def widget(self) -> str:
        """How the template draws it."""
        if self.options:
            return "select"
        if self.spec.kind == "choice":
            return "radios" if len(self.spec.choices) <= 6 else "select"
        if self.spec.kind == "choices":
            return "checkboxes"
        if self.spec.kind in ("text", "lines"):
            return "textarea"
        if self.spec.kind == "bool":
            return "checkbox"
        return "input"


def local_datetime(text: str, tz: ZoneInfo, name: str) -> datetime:
    """A wall-clock time typed in the zone (YYYY-MM-DDTHH:MM) as an aware instant."""
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        raise FormProblem(name, "must be a date and a time") from None
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    aware = naive.replace(tzinfo=tz, fold=0)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise FormProblem(name, "does not exist in local time (the clocks were put forward)")
    return aware.astimezone(UTC)


def read(spec: EventSpec, form: Mapping[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    """The event's fields as JSON-shaped data, from a posted form; empty means not given."""
    fields: dict[str, Any] = {}
    problems: list[FormProblem] = []
    for item in spec.fields:
        try:
            value = _read(item, form, tz)
        except FormProblem as problem:
            problems.append(problem)
            continue
        if value is not None:
            fields[item.name] = value
    if problems:
        raise FormProblems(problems)
    return fields


class FormProblems(ValueError):
    def __init__(self, problems: list[FormProblem]) -> None:
        super().__init__("; ".join(p.problem for p in problems))
        self.problems = problems


def _read(item: FieldSpec, form: Mapping[str, Any], tz: ZoneInfo) -> Any:
    getall = getattr(form, "getlist", None)
    raw = form.get(item.name)
    if item.kind == "bool":
        return raw is not None and raw != ""
    if item.kind == "choices":
        values = getall(item.name) if getall else ([raw] if raw else [])
        return [v for v in values if v] or None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str):
        raise FormProblem(item.name, "must be text")
    if item.kind == "datetime":
        return local_datetime(raw.strip(), tz, item.name).isoformat()
    if item.kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise FormProblem(item.name, "must be a whole number") from None
    if item.kind == "lines":
        return [line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip()]
    return raw


def fields_of(spec: EventSpec, values: Mapping[str, Any] | None = None,
              errors: Mapping[str, str] | None = None) -> list[FormField]:
    values, errors = values or {}, errors or {}
    return [FormField(item, values.get(item.name), errors.get(item.name))
            for item in spec.fields]
