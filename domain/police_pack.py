"""The police information pack (RULEBOOK section 8): kept current while the child is
present, handed over at once when the child goes missing, as one document."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain import facts
from domain.child_case import ChildCase


@dataclass(frozen=True)
class LastSeen:
    at: datetime
    place: str
    seen_by: str
    reported_at: datetime


@dataclass(frozen=True)
class PolicePack:
    child_id: str
    missing: bool
    given_name: str | None
    family_name: str | None
    date_of_birth: date | None
    date_of_birth_basis: str
    languages: list[str]
    interpreter_needed: bool
    mv_reference: str | None
    placement: str | None
    pack: dict[str, str] = field(default_factory=dict)  # PolicePackUpdated fields, current
    last_seen: LastSeen | None = None


def police_pack(case: ChildCase) -> PolicePack:
    state = case.state
    registration = case.effective_entries[0].fact
    assert isinstance(registration, facts.Registered)
    missing = state.missing
    return PolicePack(
        child_id=str(case.id), missing=missing is not None,
        given_name=registration.given_name, family_name=registration.family_name,
        date_of_birth=state.date_of_birth, date_of_birth_basis=state.date_of_birth_basis,
        languages=list(registration.languages),
        interpreter_needed=registration.interpreter_needed,
        mv_reference=registration.mv_reference, placement=state.placement_type,
        pack=dict(state.police_pack),
        last_seen=LastSeen(missing.last_seen_at, missing.place, missing.seen_by,
                           missing.reported_at) if missing else None,
    )
