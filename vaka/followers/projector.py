"""Read models of children and clocks, for the supervisor's worklists.

Each batch rewrites the rows of the children it touched from their current case file,
and moves the tracked position in the same transaction: a restart resumes exactly where
it stopped, and replaying a batch rewrites the same rows rather than adding any.
"""

from __future__ import annotations

from domain.case_file import CaseFile
from domain.child_case import ChildCase
from domain.clocks import Clock
from domain.episodes import missing_episodes
from vaka.followers.follower import Follower
from vaka.followers.log import Change, latest_versions
from vaka.followers.quarantine import Quarantine
from vaka.readside.children import Card, ChildDirectory
from vaka.readside.db import Database, Tx, ts

NAME = "projector"


class Projector(Follower):
    name = NAME

    def __init__(self, case_file: CaseFile, db: Database, quarantine: Quarantine,
                 children: ChildDirectory, batch_size: int = 500) -> None:
        super().__init__(case_file, db, quarantine, batch_size)
        self.children = children

    def prepare(self, changes: list[Change], isolated: bool = False
                ) -> list[tuple[ChildCase, list[Clock]]]:
        rows = []
        for child_id, version in latest_versions(changes).items():
            case = self.case_file.get_case(child_id, version if isolated else None)
            rows.append((case, self.case_file.clocks(case)))
        return rows

    def write(self, tx: Tx, prepared: list[tuple[ChildCase, list[Clock]]]) -> None:
        for case, clocks in prepared:
            self._write(tx, case, clocks)
            self.children.write(tx, str(case.id), _card(case))

    @staticmethod
    def _write(tx: Tx, case: ChildCase, clocks: list[Clock]) -> None:
        state = case.state
        child_id = str(case.id)
        missing = state.missing
        birthday = next((c.due for c in clocks if c.rule_id == "age.eighteenth_birthday"
                         and c.status == "open"), None)
        tx.execute(
            "INSERT INTO children (child_id, municipality, stage, caseworker_id, missing_since,"
            " police_report_filed, turns_18_at, adult_at, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (child_id) DO UPDATE SET"
            " municipality = excluded.municipality, stage = excluded.stage,"
            " caseworker_id = excluded.caseworker_id, missing_since = excluded.missing_since,"
            " police_report_filed = excluded.police_report_filed,"
            " turns_18_at = excluded.turns_18_at, adult_at = excluded.adult_at,"
            " version = excluded.version",
            (child_id, state.municipality, state.stage, state.caseworker_id,
             ts(missing.last_seen_at) if missing else None,
             int(missing.police_report_seq is not None) if missing else None,
             ts(birthday), ts(state.adult_at), case.version),
        )
        tx.execute("DELETE FROM clocks WHERE child_id = ?", (child_id,))
        for clock in clocks:
            tx.execute(
                "INSERT INTO clocks (child_id, clock_id, rule_id, kind, municipality,"
                " caseworker_id, owner, due, status, policy_version, resolved_at, on_time)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (child_id, clock.clock_id, clock.rule_id, clock.kind, state.municipality,
                 state.caseworker_id, clock.owner, ts(clock.due), clock.status,
                 clock.policy_version, ts(clock.resolved_at),
                 None if clock.on_time is None else int(clock.on_time)),
            )
        tx.execute("DELETE FROM missing_episodes WHERE child_id = ?", (child_id,))
        for episode in missing_episodes(case.effective_entries):
            tx.execute(
                "INSERT INTO missing_episodes (child_id, reported_seq, municipality,"
                " caseworker_id, last_seen_at, reported_at, police_report_at, ended_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (child_id, episode.reported_seq, state.municipality, state.caseworker_id,
                 ts(episode.last_seen_at), ts(episode.reported_at),
                 ts(episode.police_report_at), ts(episode.ended_at)),
            )


def _card(case: ChildCase) -> Card:
    registration = case.effective_entries[0].fact
    return Card(getattr(registration, "given_name", None),
                getattr(registration, "family_name", None), case.state.date_of_birth,
                getattr(registration, "mv_reference", None))
