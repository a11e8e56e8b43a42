"""What list endpoints share: paging parameters and turning a read-side slice into a page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Query

from api.schemas import Page, WorklistClock
from domain.references import case_reference
from vaka.readside.paging import MAX_LIMIT, MAX_OFFSET, Slice, Window
from vaka.readside.worklists import ClockRow

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def window(limit: int, offset: int) -> Window:
    return Window(limit, offset)


def page(found: Slice[T], shape: Callable[[T], Any]) -> Page[Any]:
    return Page(items=[shape(item) for item in found.items], limit=found.limit,
                offset=found.offset, next_offset=found.next_offset)


def clock_row(r: ClockRow) -> WorklistClock:
    return WorklistClock(
        child_id=r.child_id, reference=case_reference(r.child_id), clock_id=r.clock_id,
        rule_id=r.rule_id, due=r.due, status=r.status, owner=r.owner,
        municipality=r.municipality, caseworker_id=r.caseworker_id,
        caseworker_name=r.caseworker_name, policy_version=r.policy_version)
