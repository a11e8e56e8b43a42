"""Paging through a list: a window asked for, and the slice of rows it gives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000


@dataclass(frozen=True)
class Slice(Generic[T]):
    items: list[T]
    limit: int
    offset: int
    next_offset: int | None


@dataclass(frozen=True)
class Window:
    limit: int = 100
    offset: int = 0

    def slice(self, rows: list[T]) -> Slice[T]:
        """Rows fetched with LIMIT limit + 1: the extra one says whether there is more."""
        more = len(rows) > self.limit
        return Slice(rows[: self.limit], self.limit, self.offset,
                     self.offset + self.limit if more else None)
