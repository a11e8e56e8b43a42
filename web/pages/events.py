"""Recording an event: choose what happened, fill in its form, and see what it did.

The form of each event type is built from the fact catalogue; what is posted goes through
the same use case and parsing as the API. After saving, the page says which clocks the
event met, opened or stopped, and why it did not meet a clock it looks meant for.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from domain import facts
from domain.effects import effects
from domain.errors import DomainError
from domain.fields import to_json
from domain.municipalities import Municipality, all_municipalities
from domain.return_checklist import ITEMS
from domain.risk import FACTORS
from domain.schema import EventSpec, event_spec, recordable
from vaka.i18n import gettext
from web.context import Posted, SignedIn, renderer, services
from web.errors import problems_of
from web.forms import FormField, FormProblem, FormProblems, fields_of, local_datetime, read
from web.render import SignedInPage

router = APIRouter(include_in_schema=False)

# The order a caseworker looks for them in, by area of work (RULEBOOK section 4).
GROUPS: list[tuple[str, list[str]]] = [
    ("Missing", ["ReportedMissing", "PoliceReportFiled", "SearchActionTaken", "ContactMade",
                 "Found", "FoundDeceased", "PolicePackUpdated"]),
    ("People", ["CaseworkerAssigned", "GuardianAppointed", "GuardianEnded",
                "PublicCounselAppointed", "SpecialCustodianApplied",
                "SpecialCustodianAppointed", "ContactAdded"]),
    ("Care", ["TalkHeld", "RiskAssessed", "FollowUpHeld", "SipMeetingHeld",
              "CrisisPlanEstablished", "HealthExamOffered", "HealthTreatmentNoted",
              "SchoolEnrolled"]),
    ("Placement", ["Placed", "PlacementChanged", "PlacementReviewed"]),
    ("Asylum", ["AsylumApplied", "AgeAssessed", "InterviewHeld", "StatementSubmitted",
                "DecisionIssued", "AppealFiled", "AppealDecided", "DecisionFinal",
                "ApplicationWithdrawn"]),
    ("Return", ["ReceptionInvestigated", "ReturnConfirmed", "ChecklistItemAssigned",
                "ChecklistItemDone", "HandedOverToPolice", "DetentionOrdered",
                "DepartureScheduled", "Departed", "EnforcementAcknowledged"]),
    ("Responsibility", ["MunicipalityAssigned", "ResponsibilityTransferred",
                        "EscalationAcknowledged", "CaseClosed"]),
    ("Corrections", ["Corrected", "Retracted"]),
]


def _groups() -> list[tuple[str, list[str]]]:
    """Every recordable event in a group; any the list above misses comes last."""
    known = {t for _, types in GROUPS for t in types}
    types = {spec.event_type for spec in recordable()}
    groups = [(name, [t for t in members if t in types]) for name, members in GROUPS]
    rest = sorted(types - known)
    return [g for g in groups if g[1]] + ([("Other", rest)] if rest else [])


@router.get("/barn/{child_id}/handelse")
def choose(request: Request, page: SignedIn, child_id: UUID) -> Response:
    file = services(request).casework.child(page.user, child_id)
    return renderer(request).render(page, "event_choose.html", file=file, groups=_groups())


def _spec(event_type: str) -> EventSpec | None:
    if event_type not in facts.CASEWORKER_FACTS or event_type == "Registered":
        return None
    return event_spec(event_type)


def _form(request: Request, page: SignedInPage, child_id: UUID, spec: EventSpec,
          values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Response:
    svc = services(request)
    file = svc.casework.child(page.user, child_id)
    fields = fields_of(spec, values, errors)
    _options(request, page, file, spec, fields, values)
    return renderer(request).render(
        page, "event_form.html", status=status, file=file, spec=spec, fields=fields,
        errors=errors, occurred_at=values.get("occurred_at") or page.now,
        reason=values.get("reason", ""), key=values.get("idempotency_key") or uuid4().hex,
        target=_target(file, spec, values, errors))


def _target(file: Any, spec: EventSpec, values: dict[str, Any], errors: dict[str, str]
            ) -> tuple[Any, list[FormField]] | None:
    """For a correction: the chosen entry, and its fields as they read now, to edit."""
    if spec.event_type != "Corrected" or not str(values.get("entry") or "").isdigit():
        return None
    seq = int(values["entry"])
    entry = next((e for e in file.case.effective_entries if e.seq == seq), None)
    if entry is None:
        return None
    now = {f.name: getattr(entry.fact, f.name) for f in event_spec(entry.event_type).fields}
    posted = {k.removeprefix("new_"): v for k, v in values.items() if k.startswith("new_")}
    return entry, fields_of(event_spec(entry.event_type), posted or now, errors)


def _options(request: Request, page: SignedInPage, file: Any, spec: EventSpec,
             fields: list[FormField], values: dict[str, Any]) -> None:
    """Fields whose choices come from the case or the staff, not from the catalogue."""
    entries = [(str(e.seq), f"{e.seq}. {renderer(request).event_label(e.event_type)}")
               for e in file.case.entries if e.actor.role != "system" and e.seq > 0]
    for f in fields:
        if f.name == "caseworker_id":
            f.options = [(u.user_id, u.name) for u in services(request).users.with_role(
                file.state.municipality, "caseworker")]
        elif f.name == "entry" and spec.event_type == "EnforcementAcknowledged":
            f.options = [(str(e.seq), f"{e.seq}. {renderer(request).event_label(e.event_type)}")
                         for e in file.case.entries if e.event_type in facts.ENFORCEMENT]
        elif f.name == "entry":
            f.options = entries
        elif f.name == "item":
            f.options = [(k, gettext(page.lang, what)) for k, (what, _) in ITEMS.items()]
        elif f.name == "factors":
            f.options = [(k, v.sv if page.lang == "sv" else v.en) for k, v in FACTORS.items()]
        elif f.name == "municipality":
            f.options = [(m.name, m.name) for m in sorted(all_municipalities(), key=_swedish)]


_SWEDISH_LAST = str.maketrans({"å": "{", "ä": "|", "ö": "}"})  # sort after z, in this order


def _swedish(municipality: Municipality) -> str:
    """Alphabetical as a Swede reads it: Å, Ä and Ö after Z."""
    return municipality.name.casefold().translate(_SWEDISH_LAST)


@router.get("/barn/{child_id}/handelse/{event_type}")
def event_form(request: Request, page: SignedIn, child_id: UUID, event_type: str,
               entry: int | None = None) -> Response:
    spec = _spec(event_type)
    if spec is None:
        return RedirectResponse(f"/barn/{child_id}/handelse", status_code=303)
    return _form(request, page, child_id, spec, {"entry": entry} if entry else {}, {})


@router.post("/barn/{child_id}/handelse/{event_type}")
async def record(request: Request, page: Posted, child_id: UUID, event_type: str) -> Response:
    spec = _spec(event_type)
    if spec is None:
        return RedirectResponse(f"/barn/{child_id}/handelse", status_code=303)
    form = await request.form()
    values: dict[str, Any] = {k: (form.getlist(k) if len(form.getlist(k)) > 1 else v)
                              for k, v in form.items() if k != "csrf"}
    try:
        fields = read(spec, form, page.tz)
        if spec.event_type == "Corrected":
            fields["fields"] = _corrected_fields(request, page, child_id, form)
        occurred = str(form.get("occurred_at") or "").strip()
        when = local_datetime(occurred, page.tz, "occurred_at") if occurred else None
        result = services(request).casework.record(
            page.user, child_id, spec.event_type, fields, occurred_at=when,
            reason=str(form.get("reason") or "") or None,
            idempotency_key=str(form.get("idempotency_key") or "") or None)
    except (DomainError, FormProblems, FormProblem) as exc:
        return _form(request, page, child_id, spec, values, problems_of(exc, page.lang), 422)
    return RedirectResponse(f"/barn/{child_id}/handelse/resultat/{result.entry.seq}",
                            status_code=303)


def _corrected_fields(request: Request, page: SignedInPage, child_id: UUID, form: Any
                      ) -> dict[str, Any]:
    """A correction names an entry and gives the fields that change: the posted values of
    the corrected entry's own fields (prefixed new_), where they differ from the entry."""
    try:
        seq = int(str(form.get("entry") or ""))
    except ValueError:
        raise FormProblem("entry", "choose the entry to correct") from None
    case = services(request).casework.open_case(page.user, child_id)
    target = next((e for e in case.entries if e.seq == seq), None)
    if target is None:
        raise FormProblem("entry", "names no entry of this case")
    spec = event_spec(target.event_type)
    posted = {f.name: form.get("new_" + f.name) for f in spec.fields}
    if spec.fields and all(v is None for v in posted.values()):
        raise FormProblem("fields", "give the fields as they should read")
    now = read(spec, {k: v for k, v in posted.items() if v is not None}, page.tz)
    before = to_json(target.fact)
    changed = {k: v for k, v in now.items() if before.get(k) != v}
    if not changed:
        raise FormProblem("fields", "nothing differs from the entry as it reads")
    return changed


@router.get("/barn/{child_id}/handelse/resultat/{seq}")
def result(request: Request, page: SignedIn, child_id: UUID, seq: int) -> Response:
    svc = services(request)
    case = svc.casework.read_case(page.user, child_id)
    entry = next((e for e in case.entries if e.seq == seq), None)
    if entry is None or seq < 2:
        return RedirectResponse(f"/barn/{child_id}", status_code=303)
    before = svc.case_file.clocks(svc.case_file.get_case(child_id, seq - 1))
    after = svc.case_file.clocks(svc.case_file.get_case(child_id, seq))
    return renderer(request).render(page, "event_done.html", child_id=str(child_id),
                                    entry=entry, done=effects(before, after, entry))
