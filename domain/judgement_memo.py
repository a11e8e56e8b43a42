"""The last judgement of each recently judged case, kept for the next read of the same
entries: the journey judges a case when it plans its timers and again when one of them
fires, and the case has not changed in between.

Keyed by the case's last entry itself (the object, not its number): copies of a case handed
out by the case file share their entries, while a case changed in memory and not (yet)
saved has a last entry of its own, so it is never answered with the stored case's judgement.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from uuid import UUID

from domain.child_case import ChildCase
from domain.entries import Entry
from domain.judging import Judgement


class JudgementMemo:
    def __init__(self, size: int = 500) -> None:
        self._size = size
        self._kept: OrderedDict[UUID, tuple[Entry, Judgement]] = OrderedDict()
        self._lock = threading.Lock()

    def judgement(self, case: ChildCase, judge: Callable[[], Judgement]) -> Judgement:
        last = case.entries[-1]
        with self._lock:
            kept = self._kept.get(case.id)
            found = kept[1] if kept is not None and kept[0] is last else None
            if found is not None:
                self._kept.move_to_end(case.id)
        if found is None:
            found = judge()
            with self._lock:
                self._kept[case.id] = (last, found)
                self._kept.move_to_end(case.id)
                while len(self._kept) > self._size:
                    self._kept.popitem(last=False)
        # The lists are the caller's own; clocks and entries are immutable values.
        return Judgement(list(found.clocks), found.state, list(found.unfounded))
