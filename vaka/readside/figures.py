"""The municipality's figures for a date range, from the read models."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from vaka.readside.db import Database, from_ts, ts


@dataclass
class Figures:
    municipality: str | None
    from_: datetime
    to: datetime
    on_time_by_rule: list[dict[str, Any]] = field(default_factory=list)
    median_hours_last_seen_to_police_report: float | None = None
    police_reports_counted: int = 0
    missing_per_month: list[dict[str, Any]] = field(default_factory=list)
    age_outs_per_month: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["from"] = data.pop("from_")
        return data

    def as_rows(self) -> list[tuple[str, str, str, str]]:
        """(figure, key, measure, value) rows for CSV."""
        rows = [("on_time_by_rule", r["rule_id"], m, str(r[m]))
                for r in self.on_time_by_rule for m in ("on_time", "late_or_missed", "share")]
        rows.append(("police_report", "all", "median_hours_from_last_seen",
                     "" if self.median_hours_last_seen_to_police_report is None
                     else str(self.median_hours_last_seen_to_police_report)))
        rows += [("missing_per_month", r["month"], "children", str(r["children"]))
                 for r in self.missing_per_month]
        rows += [("age_outs_per_month", r["month"], "children", str(r["children"]))
                 for r in self.age_outs_per_month]
        return rows


def figures(db: Database, municipality: str | None, start: datetime, end: datetime,
            tz: ZoneInfo) -> Figures:
    scope, params = ("municipality = ? AND ", [municipality]) if municipality else ("", [])
    span = [ts(start), ts(end)]
    result = Figures(municipality, start, end)
    with db.transaction(readonly=True) as tx:
        for r in tx.execute(
                "SELECT rule_id, SUM(CASE WHEN status = 'met' AND on_time = 1 THEN 1 ELSE 0 END)"
                " AS on_time, SUM(CASE WHEN status = 'missed' OR on_time = 0 THEN 1 ELSE 0 END)"
                " AS late FROM clocks WHERE " + scope + "kind = 'deadline' AND due >= ?"
                " AND due < ? AND status IN ('met', 'missed') GROUP BY rule_id ORDER BY rule_id",
                (*params, *span)):
            on_time, late = int(r["on_time"] or 0), int(r["late"] or 0)
            result.on_time_by_rule.append({
                "rule_id": r["rule_id"], "on_time": on_time, "late_or_missed": late,
                "share": round(on_time / (on_time + late), 3) if on_time + late else None})
        hours = [
            (from_ts(r["police_report_at"]) - from_ts(r["last_seen_at"])).total_seconds() / 3600
            for r in tx.execute(
                "SELECT last_seen_at, police_report_at FROM missing_episodes WHERE " + scope
                + "last_seen_at >= ? AND last_seen_at < ? AND police_report_at IS NOT NULL",
                (*params, *span))]
        result.police_reports_counted = len(hours)
        if hours:
            result.median_hours_last_seen_to_police_report = round(statistics.median(hours), 2)
        missing = tx.execute(
            "SELECT child_id, last_seen_at AS at FROM missing_episodes WHERE " + scope
            + "last_seen_at >= ? AND last_seen_at < ?", (*params, *span))
        adults = tx.execute(
            "SELECT child_id, adult_at AS at FROM children WHERE " + scope
            + "adult_at >= ? AND adult_at < ?", (*params, *span))
    result.missing_per_month = _per_month(missing, tz)
    result.age_outs_per_month = _per_month(adults, tz)
    return result


def _per_month(rows: list[dict[str, Any]], tz: ZoneInfo) -> list[dict[str, Any]]:
    """Distinct children per calendar month in the policy's time zone, where the
    municipality is."""
    months: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        months[from_ts(row["at"]).astimezone(tz).strftime("%Y-%m")].add(row["child_id"])
    return [{"month": m, "children": len(c)} for m, c in sorted(months.items())]
