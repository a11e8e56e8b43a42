"""Where every child stands and what is slipping: the worklists of caseworkers and
supervisors, answered from the read models' indexes, scoped, ordered and paged.

Caseworkers are named: the users table sits beside the read models and is joined in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vaka.readside.db import Database, from_ts, ts
from vaka.readside.paging import Slice, Window


@dataclass(frozen=True)
class Scope:
    """What a list may cover: one municipality (None: all, for admins and auditors), and
    optionally one caseworker's children."""

    municipality: str | None
    caseworker_id: str | None = None

    def terms(self, table: str) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if self.municipality:
            where.append(f"{table}.municipality = ?")
            params.append(self.municipality)
        if self.caseworker_id:
            where.append(f"{table}.caseworker_id = ?")
            params.append(self.caseworker_id)
        return where, params


@dataclass(frozen=True)
class ClockRow:
    child_id: str
    clock_id: str
    rule_id: str
    kind: str
    due: datetime
    status: str
    owner: str
    municipality: str
    caseworker_id: str | None
    caseworker_name: str | None
    policy_version: str


@dataclass(frozen=True)
class MissingRow:
    child_id: str
    last_seen_at: datetime
    caseworker_id: str | None
    caseworker_name: str | None
    police_report_filed: bool


@dataclass(frozen=True)
class BirthdayRow:
    child_id: str
    turns_18_at: datetime
    stage: str
    caseworker_id: str | None
    caseworker_name: str | None


@dataclass(frozen=True)
class CaseworkerCount:
    caseworker_id: str | None
    caseworker_name: str | None
    missed: int = 0
    due_soon: int = 0
    children: int = 0


_NAMED = " LEFT JOIN users u ON u.user_id = {t}.caseworker_id"


def _where(terms: list[str]) -> str:
    return (" WHERE " + " AND ".join(terms)) if terms else ""


def clocks(db: Database, scope: Scope, window: Window, *, statuses: list[str] | None = None,
           due_before: datetime | None = None, rule_id: str | None = None,
           deadlines_only: bool = False) -> Slice[ClockRow]:
    """Clocks across children, most urgent (earliest due) first."""
    where, params = scope.terms("c")
    if statuses:
        where.append("c.status IN (" + ", ".join("?" for _ in statuses) + ")")
        params.extend(statuses)
    if due_before is not None:
        where.append("c.due < ?")
        params.append(ts(due_before))
    if rule_id:
        where.append("c.rule_id = ?")
        params.append(rule_id)
    if deadlines_only:
        where.append("c.kind = 'deadline'")
    sql = ("SELECT c.*, u.name AS caseworker_name FROM clocks c" + _NAMED.format(t="c")
           + _where(where) + " ORDER BY c.due, c.child_id, c.clock_id LIMIT ? OFFSET ?")
    with db.transaction(readonly=True) as tx:
        rows = tx.execute(sql, (*params, window.limit + 1, window.offset))
    return window.slice([ClockRow(
        r["child_id"], r["clock_id"], r["rule_id"], r["kind"], from_ts(r["due"]), r["status"],
        r["owner"], r["municipality"], r["caseworker_id"], r["caseworker_name"],
        r["policy_version"]) for r in rows])


def missed_and_due_soon(db: Database, scope: Scope, now: datetime, soon: datetime
                        ) -> list[CaseworkerCount]:
    """Missed deadlines, and open ones due before `soon`, per caseworker: most missed first."""
    where, params = scope.terms("c")
    where += ["c.kind = 'deadline'", "c.status IN ('missed', 'open')"]
    sql = ("SELECT c.caseworker_id, u.name AS caseworker_name,"
           " SUM(CASE WHEN c.status = 'missed' THEN 1 ELSE 0 END) AS missed,"
           " SUM(CASE WHEN c.status = 'open' AND c.due < ? THEN 1 ELSE 0 END) AS due_soon"
           " FROM clocks c" + _NAMED.format(t="c") + _where(where)
           + " GROUP BY c.caseworker_id, u.name"
           " ORDER BY missed DESC, due_soon DESC, c.caseworker_id")
    with db.transaction(readonly=True) as tx:
        rows = tx.execute(sql, (ts(soon), *params))
    return [CaseworkerCount(r["caseworker_id"], r["caseworker_name"], int(r["missed"] or 0),
                            int(r["due_soon"] or 0)) for r in rows]


def _children(db: Database, scope: Scope, window: Window, terms: list[str],
              params: list[Any], order: str) -> list[dict[str, Any]]:
    where, scoped = scope.terms("ch")
    sql = ("SELECT ch.*, u.name AS caseworker_name FROM children ch" + _NAMED.format(t="ch")
           + _where(where + terms) + f" ORDER BY {order}, ch.child_id LIMIT ? OFFSET ?")
    with db.transaction(readonly=True) as tx:
        return tx.execute(sql, (*scoped, *params, window.limit + 1, window.offset))


def missing(db: Database, scope: Scope, window: Window) -> Slice[MissingRow]:
    """Missing children, longest missing first."""
    rows = _children(db, scope, window, ["ch.missing_since IS NOT NULL"], [],
                     "ch.missing_since")
    return window.slice([MissingRow(
        r["child_id"], from_ts(r["missing_since"]), r["caseworker_id"], r["caseworker_name"],
        bool(r["police_report_filed"])) for r in rows])


def birthdays(db: Database, scope: Scope, window: Window, start: datetime, end: datetime
              ) -> Slice[BirthdayRow]:
    """18th birthdays between start and end, soonest first."""
    rows = _children(db, scope, window, ["ch.turns_18_at >= ?", "ch.turns_18_at < ?"],
                     [ts(start), ts(end)], "ch.turns_18_at")
    return window.slice([BirthdayRow(
        r["child_id"], from_ts(r["turns_18_at"]), r["stage"], r["caseworker_id"],
        r["caseworker_name"]) for r in rows])


def stages(db: Database, scope: Scope) -> list[tuple[str, int]]:
    """How many children are at each stage."""
    where, params = scope.terms("children")
    sql = ("SELECT stage, COUNT(*) AS n FROM children" + _where(where)
           + " GROUP BY stage ORDER BY stage")
    with db.transaction(readonly=True) as tx:
        return [(r["stage"], int(r["n"])) for r in tx.execute(sql, params)]


def caseload(db: Database, scope: Scope) -> list[CaseworkerCount]:
    """Open cases per caseworker, the heaviest first."""
    where, params = scope.terms("ch")
    where.append("ch.stage NOT IN ('closed', 'departed')")
    sql = ("SELECT ch.caseworker_id, u.name AS caseworker_name, COUNT(*) AS n FROM children ch"
           + _NAMED.format(t="ch") + _where(where)
           + " GROUP BY ch.caseworker_id, u.name ORDER BY n DESC, ch.caseworker_id")
    with db.transaction(readonly=True) as tx:
        return [CaseworkerCount(r["caseworker_id"], r["caseworker_name"], children=int(r["n"]))
                for r in tx.execute(sql, params)]


def children_of(db: Database, caseworker_id: str, open_only: bool = True) -> list[str]:
    """The ids of a caseworker's children (whose journey has not ended)."""
    sql = "SELECT child_id FROM children WHERE caseworker_id = ?"
    if open_only:
        sql += " AND stage NOT IN ('closed', 'departed')"
    with db.transaction(readonly=True) as tx:
        return [r["child_id"] for r in tx.execute(sql + " ORDER BY child_id", (caseworker_id,))]
