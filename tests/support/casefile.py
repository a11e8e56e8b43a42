"""Case-file builders: realistic histories recorded through the case file's own commands,
with every check a caseworker's request meets. (Aggregate-level builders, without checks,
are tests.support.history.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.case_file import CaseFile
from domain.entries import Actor

CASEWORKER = Actor("caseworker-1", "caseworker")


def now() -> datetime:
    return datetime.now(UTC)


def register_child(case_file: CaseFile, *, municipality: str = "Malmö",
             date_of_birth: date | None = None, arrived_at: datetime | None = None,
             actor: Actor = CASEWORKER) -> UUID:
    arrived = arrived_at or now() - timedelta(hours=1)
    dob = date_of_birth or date(arrived.year - 15, 3, 10)
    result = case_file.register(
        {"arrived_at": arrived.isoformat(), "date_of_birth": dob.isoformat(),
         "date_of_birth_basis": "stated", "municipality": municipality},
        actor, now(),
    )
    return result.child_id


def record_event(case_file: CaseFile, child_id: UUID, event_type: str, *,
           occurred_at: datetime | None = None, actor: Actor = CASEWORKER, **fields: Any) -> int:
    result = case_file.record(child_id, event_type, fields, actor, now(),
                              occurred_at=occurred_at)
    return result.version


def report_missing(case_file: CaseFile, child_id: UUID, last_seen_at: datetime) -> int:
    return record_event(case_file, child_id, "ReportedMissing",
                        last_seen_at=last_seen_at.isoformat(), place="the residential home",
                        seen_by="night staff")
