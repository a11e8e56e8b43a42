"""Reading the case file's notification log: the changes a follower has yet to apply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import Notification

from domain.case_file import CaseFile


@dataclass(frozen=True)
class Change:
    """One recorded event, as a follower needs it: which child, which version."""

    position: int
    child_id: UUID
    version: int


def read_changes(case_file: CaseFile, after: int, limit: int) -> list[Change]:
    notifications: Sequence[Notification] = case_file.recorder.select_notifications(
        start=after, limit=limit, inclusive_of_start=False)
    return [Change(n.id, UUID(str(n.originator_id)), n.originator_version)
            for n in notifications]


def latest_versions(changes: list[Change]) -> dict[UUID, int]:
    latest: dict[UUID, int] = {}
    for change in changes:
        latest[change.child_id] = max(latest.get(change.child_id, 0), change.version)
    return latest
