"""Rendering pages: Jinja templates with the catalogue in the request's language, times in
the policy's zone, and labels from domain.descriptions."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from domain import descriptions
from domain.references import case_reference
from domain.return_checklist import ITEMS
from domain.schema import event_spec
from vaka.i18n import DEFAULT, N_, Language, gettext, ngettext, when
from vaka.users import User

_lang: ContextVar[Language] = ContextVar("lang", default=DEFAULT)


@dataclass(frozen=True)
class Page:
    """Who is looking, in which language, at what time: every template gets it as `page`."""

    request: Request
    user: User | None
    lang: Language
    csrf: str | None
    tz: ZoneInfo
    now: datetime


@dataclass(frozen=True)
class SignedInPage(Page):
    """A page of a signed-in person: there is always a user and a CSRF token."""

    user: User
    csrf: str


def _(text: str) -> str:
    return gettext(_lang.get(), text)


class Renderer:
    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("web", "templates"), autoescape=True,
            extensions=["jinja2.ext.i18n"], undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True)
        self.env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=_, ngettext=lambda s, p, n: ngettext(_lang.get(), s, p, n), newstyle=True)
        self.env.globals.update(
            ref=case_reference, event_label=self.event_label, field_label=self.field_label,
            choice_label=self.choice_label, stage_label=self.stage_label,
            clock_label=self.clock_label, status_label=self.status_label,
            role_label=self.role_label, kind_label=self.kind_label,
            event_help=self.event_help, field_help=self.field_help,
            clock_help=self.clock_help, choice_options=self.choice_options,
            area_label=self.area_label, factor_text=self.factor_text,
            checklist_label=self.checklist_label, compliance=self.compliance,
            entry_facts=self.entry_facts, age=self.age, hours_since=self.hours_since,
            caseload_of=caseload_of, month=self.month, new_key=lambda: uuid4().hex,
            query_with=query_with, due=self.due)
        self.env.filters.update(when=self.when, until=self.until, day=self.day,
                                clock=self.clock, local_iso=self.local_iso, deadline=self.deadline,
                                share_row=self.share_row, month_row=self.month_row)

    def render(self, page: Page, template: str, status: int = 200, **context: Any
               ) -> HTMLResponse:
        token = _lang.set(page.lang)
        try:
            html = self.env.get_template(template).render(page=page, **context)
        finally:
            _lang.reset(token)
        return HTMLResponse(html, status_code=status)

    # ---- times ----

    def when(self, instant: datetime | None) -> str:
        if instant is None:
            return ""
        return when.when(instant, datetime.now(UTC), self.tz, _lang.get())

    def due(self, clock: Any) -> str:
        """When a clock is due: a deadline by the end of its day, an action at its instant."""
        if getattr(clock, "kind", "deadline") != "deadline":
            return self.when(clock.due)
        return self.deadline(clock.due)

    def deadline(self, instant: datetime | None) -> str:
        if instant is None:
            return ""
        return when.deadline(instant, datetime.now(UTC), self.tz, _lang.get())

    def until(self, instant: datetime | None) -> str:
        if instant is None:
            return ""
        return when.until(instant, datetime.now(UTC), _lang.get())

    def day(self, value: date | datetime | None, weekday: bool = False) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(self.tz).date()
        return when.day(value, _lang.get(), weekday)

    def clock(self, instant: datetime | None) -> str:
        return when.clock_time(instant, self.tz) if instant else ""

    def local_iso(self, instant: datetime | None) -> str:
        """For <time datetime> and <input type=datetime-local>."""
        return instant.astimezone(self.tz).strftime("%Y-%m-%dT%H:%M") if instant else ""

    # ---- labels ----

    @staticmethod
    def event_label(event_type: str) -> str:
        return _(descriptions.event(event_type).label)

    @staticmethod
    def field_label(event_type: str, name: str) -> str:
        return _(descriptions.field(event_type, name).label)

    @staticmethod
    def choice_label(name: str, value: str | None) -> str:
        return _(descriptions.choice(name, value)) if value else ""

    @staticmethod
    def stage_label(stage: str) -> str:
        return _(descriptions.STAGES.get(stage, stage))

    @staticmethod
    def clock_label(rule_id: str) -> str:
        found = descriptions.CLOCKS.get(rule_id)
        return _(found.label) if found else rule_id

    @staticmethod
    def status_label(status: str) -> str:
        return _(descriptions.STATUSES.get(status, status))

    @staticmethod
    def role_label(role: str) -> str:
        return _(descriptions.ROLES.get(role, role))

    @staticmethod
    def kind_label(kind: str) -> str:
        return _(descriptions.NOTIFICATION_KINDS.get(kind, kind))

    @staticmethod
    def event_help(event_type: str) -> str:
        text = descriptions.event(event_type).help
        return _(text) if text else ""

    @staticmethod
    def field_help(event_type: str, name: str) -> str:
        text = descriptions.field(event_type, name).help
        return _(text) if text else ""

    @staticmethod
    def clock_help(rule_id: str) -> str:
        found = descriptions.CLOCKS.get(rule_id)
        return _(found.help) if found and found.help else ""

    def choice_options(self, form_field: Any) -> list[tuple[str, str]]:
        return [(v, self.choice_label(form_field.name, v)) for v in form_field.spec.choices]

    @staticmethod
    def area_label(area: Any) -> str:
        return area.sv if _lang.get() == "sv" else area.en

    @staticmethod
    def factor_text(factor: Any) -> str:
        return factor.sv if _lang.get() == "sv" else factor.en

    @staticmethod
    def checklist_label(item: str) -> str:
        return _(ITEMS[item][0]) if item in ITEMS else item

    @staticmethod
    def compliance(alert: str) -> str:
        return _(COMPLIANCE.get(alert, alert))

    def entry_facts(self, entry: Any, names: dict[str, str | None] | None = None) -> str:
        """An entry's fields in a line, as a person reads them (people by name)."""
        names = names or {}
        parts = []
        for spec in event_spec(entry.event_type).fields:
            value = getattr(entry.fact, spec.name, None)
            if value in (None, "", [], {}) or spec.name in ("clock_id", "subject"):
                continue
            if spec.kind == "datetime":
                shown = self.when(value)
            elif spec.kind == "date":
                shown = self.day(value)
            elif spec.kind == "choice":
                shown = self.choice_label(spec.name, value)
            elif spec.kind == "bool":
                shown = _("yes") if value else _("no")
            elif spec.name == "rule_id":
                shown = self.clock_label(value)
            elif spec.name.endswith("_id") and isinstance(value, str):
                shown = names.get(value) or value
            elif isinstance(value, list):
                shown = ", ".join(str(v) for v in value)
            elif isinstance(value, dict):
                shown = "; ".join(f"{self.field_label(entry.event_type, k)}: {v}"
                                  for k, v in value.items())
            else:
                shown = str(value)
            parts.append(f"{self.field_label(entry.event_type, spec.name)}: {shown}")
        return "; ".join(parts)

    def age(self, born: date) -> int:
        today = datetime.now(UTC).astimezone(self.tz).date()
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @staticmethod
    def hours_since(instant: datetime) -> int:
        return int((datetime.now(UTC) - instant).total_seconds() // 3600)

    def month(self, text: str) -> str:
        year, month = (int(p) for p in text.split("-"))
        from babel.dates import format_date

        return format_date(date(year, month, 1), "LLLL y",
                           locale="sv_SE" if _lang.get() == "sv" else "en_GB")

    def share_row(self, row: dict[str, Any]) -> tuple[str, int]:
        return self.clock_label(row["rule_id"]), round(row["share"] * 100)

    def month_row(self, row: dict[str, Any]) -> tuple[str, int]:
        return self.month(row["month"]), row["children"]


COMPLIANCE = {"lvu_statement_missing": N_(
    "The child is placed under LVU and no statement of the social welfare committee is "
    "recorded before the rejection.")}


def caseload_of(caseload: list[Any], caseworker_id: str | None) -> int:
    return next((c.children for c in caseload if c.caseworker_id == caseworker_id), 0)


@jinja2.pass_context
def query_with(context: Any, **changes: Any) -> str:
    """The page's query string with some parameters changed (for paging links)."""
    params = dict(context["page"].request.query_params)
    params.update({k: str(v) for k, v in changes.items()})
    return urlencode(params)
