"""Who must be told of a hand-over between municipalities (RULEBOOK section 5, found
routine): both municipalities' caseworkers and supervisors, when a child is found in, or
moves to, another municipality and when responsibility is transferred. The runtime
resolves the people; the domain says which municipalities."""

from __future__ import annotations

from domain import facts
from domain.entries import Entry
from domain.state import CaseState


def municipalities_to_tell(state: CaseState, entry: Entry) -> tuple[str, ...]:
    """The municipalities whose caseworkers and supervisors an entry concerns, the case's
    own first. `state` is the state after the entry."""
    fact = entry.fact
    if isinstance(fact, facts.ResponsibilityTransferred):
        moved = next((t for t in reversed(state.transfers) if t.seq == entry.seq), None)
        if moved is not None and moved.from_municipality != moved.to_municipality:
            return (moved.to_municipality, moved.from_municipality)
    other = getattr(fact, "municipality", None) if isinstance(
        fact, (facts.Found, facts.PlacementChanged)) else None
    if other and other != state.municipality:
        return (state.municipality, other)
    return (state.municipality,)
