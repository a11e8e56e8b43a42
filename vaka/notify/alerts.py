"""Which recorded event tells whom what. Messages name the case, never the child.

E-mail leaves Vaka's encrypted store, so a message carries the case reference, what
happened in words, the local time and a link; names, places and dates of birth stay in the
case file. Texts are Swedish first with English below, from the one catalogue; the numbers
in them (24 hours, 14 days) come from the policy in force.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from domain import descriptions, facts
from domain.entries import Entry
from domain.errors import PolicyError
from domain.handover import municipalities_to_tell
from domain.policy import Policy
from domain.references import case_reference
from domain.risk import FACTORS
from domain.state import CaseState
from domain.timing import split_duration
from vaka.i18n import LANGUAGES, N_, Language, gettext, ngettext
from vaka.i18n.when import day
from vaka.notify.audience import Audience, Recipient
from vaka.users import UserDirectory


@dataclass(frozen=True)
class Alert:
    kind: str
    urgent: bool
    subject: str
    body: str
    recipients: list[Recipient]
    clock_id: str | None = None  # the clock a reminder, miss or escalation is about


@dataclass(frozen=True)
class Word:
    """A value said in the reader's language: an English text of the catalogue."""

    english: str


@dataclass(frozen=True)
class Day:
    """A date said in the reader's language: '2 april 2029', '2 April 2029'."""

    value: date


@dataclass(frozen=True)
class Span:
    """A length of time from the policy, in the unit the policy gives it: '24 timmar',
    '14 dagar', '3 veckor'."""

    amount: int
    unit: str  # m, h, d, w, mo, y


Params = dict[str, str | Word | Day | Span]


class Wording:
    """Says an English template of the catalogue in Swedish, then in English."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    def say(self, lang: Language, template: str, params: Params) -> str:
        values = {k: _said(v, lang) for k, v in params.items()}
        return gettext(lang, template) % values

    def subject(self, ref: str, template: str, params: Params) -> str:
        return f"[Vaka] {ref}: " + self.say("sv", template, params)

    def body(self, template: str, params: Params) -> str:
        swedish, english = (self.say(lang, template, params) for lang in LANGUAGES)
        return f"{swedish}\n\nIn English: {english}"

    def at(self, instant: datetime) -> Params:
        """An instant in local time, for both languages (day names differ)."""
        local = instant.astimezone(self.policy.timezone)
        return {"time": f"{local:%H:%M}", "day": Day(local.date())}

    def due_in(self, rule_id: str, key: str = "due_after") -> Span | str:
        """A rule's span as the policy in force sets it."""
        rule = self.policy.rule(rule_id)
        text = str(rule.values.get(key, "")) if rule else ""
        try:
            return Span(*split_duration(text))
        except PolicyError:
            return text


def _said(value: str | Word | Day | Span, lang: Language) -> str:
    if isinstance(value, Word):
        return gettext(lang, value.english)
    if isinstance(value, Day):
        return day(value.value, lang)
    if isinstance(value, Span):
        singular, plural = UNITS[value.unit]
        return ngettext(lang, singular, plural, value.amount) % {"n": value.amount}
    return value


UNITS = {"m": (N_("%(n)d minute"), N_("%(n)d minutes")), "h": (N_("%(n)d hour"),
                                                              N_("%(n)d hours")),
         "d": (N_("%(n)d day"), N_("%(n)d days")), "w": (N_("%(n)d week"), N_("%(n)d weeks")),
         "mo": (N_("%(n)d month"), N_("%(n)d months")),
         "y": (N_("%(n)d year"), N_("%(n)d years"))}


def clock_name(rule_id: str) -> Word:
    found = descriptions.CLOCKS.get(rule_id)
    return Word(found.label if found else rule_id)


Compose = Callable[[Entry, CaseState, Audience, Wording, str], Alert | None]


def _missing(entry: Entry, state: CaseState, people: Audience, say: Wording,
             ref: str) -> Alert:
    fact = entry.fact
    params: Params = {"ref": ref, **say.at(fact.last_seen_at),
                      "hours": say.due_in("missing.police_report")}
    return Alert("missing", True, say.subject(ref, N_("child reported missing"), {}),
                 say.body(N_(
                     "The child of case %(ref)s is reported missing, last seen %(day)s at "
                     "%(time)s. Never assume that the child left of free will. Report to the "
                     "police at once: %(hours)s after last seen is the latest. The police "
                     "information pack is in Vaka."), params), people.everyone())


def _found(entry: Entry, state: CaseState, people: Audience, say: Wording, ref: str) -> Alert:
    params: Params = {"ref": ref, **say.at(entry.occurred_at)}
    if isinstance(entry.fact, facts.FoundDeceased):
        return Alert("found", True, say.subject(ref, N_("child found deceased"), {}),
                     say.body(N_("The child of case %(ref)s was found deceased."), params),
                     people.everyone())
    if isinstance(entry.fact, facts.Found):
        subject, text = N_("child found"), N_(
            "The child of case %(ref)s was found (%(day)s at %(time)s). A debrief talk "
            "and a new risk assessment are due.")
    else:
        subject, text = N_("the child has been in touch"), N_(
            "The child of case %(ref)s has been in touch (%(day)s at %(time)s). A debrief "
            "talk and a new risk assessment are due.")
    body = say.body(text, params)
    concerned = municipalities_to_tell(state, entry)
    if len(concerned) > 1:
        body += "\n\n" + say.body(N_(
            "The child was found in %(other)s. Both municipalities are told; record the "
            "transfer of responsibility in Vaka when it is agreed."), {"other": concerned[1]})
    return Alert("found", True, say.subject(ref, subject, {}), body,
                 people.everyone() + people.supervisors_in(concerned))


def _transferred(entry: Entry, state: CaseState, people: Audience, say: Wording,
                 ref: str) -> Alert:
    fact = entry.fact
    if fact.to == "migration_agency":
        return Alert("handover", False,
                     say.subject(ref, N_("responsibility moves to the migration agency"), {}),
                     say.body(N_("Responsibility for case %(ref)s has moved to the migration "
                                 "agency."), {"ref": ref}),
                     people.caseworker() + people.supervisors())
    concerned = municipalities_to_tell(state, entry)
    params: Params = {"ref": ref, "to": state.municipality}
    return Alert("handover", True, say.subject(ref, N_("the case moves to %(to)s"), params),
                 say.body(N_("Case %(ref)s has moved to %(to)s, with its deadlines and its "
                             "alerts. The supervisors of both municipalities are told."),
                          params),
                 people.caseworker() + people.supervisors() + people.supervisors_in(concerned))


def _withdrawn(entry: Entry, state: CaseState, people: Audience, say: Wording,
               ref: str) -> Alert:
    params: Params = {"ref": ref,
                      "what": Word(descriptions.event(entry.fact.conclusion).label)}
    return Alert("withdrawn", False, say.subject(ref, N_("withdrawn: %(what)s"), params),
                 say.body(N_("Vaka has withdrawn “%(what)s” in case %(ref)s: after a correction "
                             "or a late entry it no longer follows from the case file. Its "
                             "deadlines have been recomputed."), params),
                 people.caseworker())


def _reminded(entry: Entry, state: CaseState, people: Audience, say: Wording,
              ref: str) -> Alert:
    fact = entry.fact
    rule = say.policy.rule(fact.rule_id)
    params: Params = {"ref": ref, "clock": clock_name(fact.rule_id), **say.at(fact.due)}
    return Alert("reminder", False,
                 say.subject(ref, N_("reminder: %(clock)s is due %(day)s"), params),
                 say.body(N_("Reminder for case %(ref)s: %(clock)s is due %(day)s at "
                             "%(time)s."), params),
                 people.owner(rule.owner if rule else "caseworker"), fact.clock_id)


def _missed(entry: Entry, state: CaseState, people: Audience, say: Wording,
            ref: str) -> Alert:
    fact = entry.fact
    rule = say.policy.rule(fact.rule_id)
    params: Params = {"ref": ref, "clock": clock_name(fact.rule_id), **say.at(fact.due)}
    return Alert("missed", True, say.subject(ref, N_("overdue: %(clock)s"), params),
                 say.body(N_("%(clock)s for case %(ref)s was due %(day)s at %(time)s and "
                             "is not done. Take it on in Vaka to stop it from being escalated "
                             "further."), params),
                 people.supervisors() + people.owner(rule.owner if rule else "caseworker"),
                 fact.clock_id)


def _escalated(entry: Entry, state: CaseState, people: Audience, say: Wording,
               ref: str) -> Alert:
    fact = entry.fact
    params: Params = {"ref": ref, "clock": clock_name(fact.rule_id), **say.at(fact.due)}
    return Alert("escalation", True, say.subject(ref, N_("still not done: %(clock)s"), params),
                 say.body(N_("%(clock)s for case %(ref)s was missed and is still not done "
                             "(escalated %(day)s at %(time)s). Take it on in Vaka to stop "
                             "further escalation."), params),
                 people.heads_of_unit() + people.supervisors(), fact.subject)


def _adulthood(entry: Entry, state: CaseState, people: Audience, say: Wording,
               ref: str) -> Alert | None:
    if isinstance(entry.fact, facts.AgeAssessed) and entry.fact.outcome != "adult":
        return None
    params: Params = {"ref": ref, **say.at(entry.occurred_at)}
    return Alert("adulthood", False, say.subject(ref, N_("now treated as an adult"), {}),
                 say.body(N_("The young person of case %(ref)s is treated as an adult from "
                             "%(day)s. Responsibility moves, the clocks for children have "
                             "stopped; assess continued support under SoL or LVU."), params),
                 people.caseworker() + people.supervisors())


def _decision(entry: Entry, state: CaseState, people: Audience, say: Wording,
              ref: str) -> Alert:
    fact = entry.fact
    outcome = Word(descriptions.choice("outcome", fact.outcome))
    params: Params = {"ref": ref, "outcome": outcome,
                      "days": say.due_in("decision.sip_meeting")}
    body = say.body(N_("The migration agency's decision in case %(ref)s: %(outcome)s. A SIP "
                       "meeting is due within %(days)s."), params)
    recipients = people.caseworker() + people.contacts("school", "god_man")
    urgent = False
    if state.compliance_alerts:
        body += "\n\n" + say.body(N_(
            "Note: the child is placed under LVU and no statement of the social welfare "
            "committee is recorded before the rejection."), {})
        recipients += people.supervisors()
        urgent = True
    return Alert("decision", urgent, say.subject(ref, N_("asylum decision: %(outcome)s"),
                                                 params), body, recipients)


ENFORCED = {"HandedOverToPolice": N_("handed over to the police"),
            "DetentionOrdered": N_("ordered into detention"),
            "DepartureScheduled": N_("scheduled for departure")}


def _enforcement(entry: Entry, state: CaseState, people: Audience, say: Wording,
                 ref: str) -> Alert:
    params: Params = {"ref": ref, "what": Word(ENFORCED[entry.event_type])}
    body = say.body(N_("The child of case %(ref)s is %(what)s. Acknowledge it in Vaka."),
                    params)
    recipients = people.caseworker() + people.contacts("god_man", "special_custodian")
    if state.active_treatment:
        body += "\n\n" + say.body(N_("Health alert: the child has an ongoing treatment; plan "
                                     "the medical hand-over."), {})
        recipients += people.supervisors()
    return Alert("enforcement", True, say.subject(ref, N_("the child is %(what)s"), params),
                 body, recipients)


def _risk_flag(entry: Entry, state: CaseState, people: Audience, say: Wording,
               ref: str) -> Alert:
    factor = FACTORS.get(entry.fact.factor)
    params: Params = {"ref": ref, "factor": entry.fact.factor}
    label = f" ({factor.sv} / {factor.en})" if factor else ""
    return Alert("risk", False, say.subject(ref, N_("risk factor %(factor)s"), params),
                 say.body(N_("Vaka has raised risk factor %(factor)s for case %(ref)s; its "
                             "follow-up has started."), params) + label, people.caseworker())


def _risk_assessed(entry: Entry, state: CaseState, people: Audience, say: Wording,
                   ref: str) -> Alert | None:
    if not any(f.startswith("A4.") for f in entry.fact.factors):
        return None
    params: Params = {"ref": ref, "hours": say.due_in("risk.followup.trafficking",
                                                      "first_after")}
    return Alert("trafficking", True, say.subject(ref, N_("suspected trafficking"), {}),
                 say.body(N_("A risk assessment in case %(ref)s ticks signs of trafficking "
                             "(A4). Follow up within %(hours)s and consider a report to the "
                             "police."), params), people.supervisors())


WINDOWS = {"AppealWindowExpired": N_("the time to appeal has run out: the rejection is final"),
           "DepartureWindowExpired": N_("the time for a voluntary departure has run out"),
           "ExpulsionLapsed": N_("the expulsion decision has lapsed")}


def _window(entry: Entry, state: CaseState, people: Audience, say: Wording, ref: str) -> Alert:
    what = WINDOWS[entry.event_type]
    return Alert("decision", False, say.subject(ref, what, {}),
                 say.body(N_("Case %(ref)s: %(what)s."), {"ref": ref, "what": Word(what)}),
                 people.caseworker() + people.contacts("god_man"))


COMPOSERS: dict[type, Compose] = {
    facts.ReportedMissing: _missing,
    facts.Found: _found,
    facts.ContactMade: _found,
    facts.FoundDeceased: _found,
    facts.DeadlineReminded: _reminded,
    facts.DeadlineMissed: _missed,
    facts.Escalated: _escalated,
    facts.Turned18: _adulthood,
    facts.AgeAssessed: _adulthood,
    facts.DecisionIssued: _decision,
    facts.HandedOverToPolice: _enforcement,
    facts.DetentionOrdered: _enforcement,
    facts.DepartureScheduled: _enforcement,
    facts.RiskFlagRaised: _risk_flag,
    facts.RiskAssessed: _risk_assessed,
    facts.AppealWindowExpired: _window,
    facts.DepartureWindowExpired: _window,
    facts.ExpulsionLapsed: _window,
    facts.ResponsibilityTransferred: _transferred,
    facts.ConclusionWithdrawn: _withdrawn,
}


def alert_for(entry: Entry, then: CaseState, now: CaseState, directory: UserDirectory,
              policy: Policy, link: str) -> Alert | None:
    """The alert an entry raises: what it says from the case as it was at the entry
    (`then`), who is told from the case as it is (`now`): today's caseworker, say."""
    compose = COMPOSERS.get(type(entry.fact))
    if compose is None:
        return None
    ref = case_reference(now.child_id)
    alert = compose(entry, then, Audience(now, directory), Wording(policy), ref)
    if alert is None:
        return None
    body = alert.body + "\n\n" + gettext("sv", "Open the case in Vaka:") + f" {link}\n"
    return Alert(alert.kind, alert.urgent, alert.subject, body, alert.recipients,
                 alert.clock_id)
