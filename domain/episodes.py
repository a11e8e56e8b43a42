"""Missing episodes, for the supervisor's figures: when last seen, reported, ended.

Folded in the order things happened, and a police report counts for the disappearance
it answers (the one it names, else the one of its time), never for a later one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.entries import Entry
from domain.state import fold


@dataclass
class MissingEpisodeRecord:
    reported_seq: int
    last_seen_at: datetime
    reported_at: datetime
    police_report_at: datetime | None = None
    ended_at: datetime | None = None


def missing_episodes(entries: list[Entry]) -> list[MissingEpisodeRecord]:
    if not entries:
        return []
    state = fold("", entries)
    report_at = {e.seq: e.occurred_at for e in entries}
    return [MissingEpisodeRecord(
        ep.reported_seq, ep.last_seen_at, ep.reported_at,
        report_at.get(ep.police_report_seq) if ep.police_report_seq else None, ep.ended_at)
        for ep in state.episodes]
