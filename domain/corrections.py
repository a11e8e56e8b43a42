"""A correction meets the rules its entry met: the entry as the correction makes it read
(the effective fact with the corrected fields applied) is checked like a new entry, against
the case as it stood before that entry, with what is now known of the entries before it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from domain import facts
from domain.entries import Entry, corrected, effective
from domain.fields import to_json
from domain.state import CaseState, fold

# Entries about an earlier entry: they belong to what is known of the history before it.
_ABOUT_AN_ENTRY = (facts.Retracted, facts.Corrected, facts.ConclusionWithdrawn)


@dataclass(frozen=True)
class Amended:
    entry: Entry  # the corrected entry as the correction makes it read
    before: list[Entry]  # the history it was recorded on, with later corrections of it
    state: CaseState  # the state that history folds to
    correction: facts.Corrected  # its fields as they will be stored (cleaned like input)


def amend(child_id: str, entries: list[Entry], correction: facts.Corrected) -> Amended:
    """The entry a correction names as it would read, and the case before it. The entry
    must exist (domain.transitions checks that first); InvalidFields if a corrected field
    does not parse."""
    target = next(e for e in entries if e.seq == correction.entry)
    now_reads = next((e for e in effective(entries) if e.seq == target.seq), target)
    fact = corrected(now_reads.fact, correction.fields)
    before = [e for e in entries if e.seq < target.seq or (
        isinstance(e.fact, _ABOUT_AN_ENTRY) and e.fact.entry < target.seq)]
    stored = to_json(fact)
    cleaned = facts.Corrected(correction.entry,
                              {name: stored.get(name) for name in correction.fields})
    return Amended(replace(target, fact=fact), before, fold(child_id, effective(before)),
                   cleaned)
