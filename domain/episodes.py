"""Missing episodes, for the supervisor's figures: when last seen, reported, ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain import facts
from domain.entries import Entry


@dataclass
class MissingEpisodeRecord:
    reported_seq: int
    last_seen_at: datetime
    reported_at: datetime
    police_report_at: datetime | None = None
    ended_at: datetime | None = None


def missing_episodes(entries: list[Entry]) -> list[MissingEpisodeRecord]:
    episodes: list[MissingEpisodeRecord] = []
    current: MissingEpisodeRecord | None = None
    for entry in entries:
        fact = entry.fact
        if isinstance(fact, facts.ReportedMissing):
            current = MissingEpisodeRecord(entry.seq, fact.last_seen_at, entry.occurred_at)
            episodes.append(current)
        elif current is None:
            continue
        elif isinstance(fact, facts.PoliceReportFiled) and current.police_report_at is None:
            current.police_report_at = entry.occurred_at
        elif isinstance(fact, (facts.Found, facts.ContactMade, facts.FoundDeceased)):
            current.ended_at = entry.occurred_at
            current = None
    return episodes
