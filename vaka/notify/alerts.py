"""Which recorded event tells whom what. Messages name the case, never the child.

E-mail leaves Vaka's encrypted store, so a message carries the case reference, the rule
and the instants, and a link; names, places and dates of birth stay in the case file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from domain import facts
from domain.entries import Entry
from domain.policy import Policy
from domain.references import case_reference
from domain.risk import FACTORS
from domain.state import CaseState
from domain.timing import STOCKHOLM
from vaka.users import User, UserDirectory


@dataclass(frozen=True)
class Recipient:
    key: str  # "user:<id>" or "contact:<seq>:<email>"
    label: str  # role, e.g. "caseworker", "god_man"
    user_id: str | None
    email: str | None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    digest: bool = False  # non-urgent e-mail waits for the daily digest


@dataclass(frozen=True)
class Alert:
    kind: str
    urgent: bool
    subject: str
    body: str
    recipients: list[Recipient]
    clock_id: str | None = None  # the clock a reminder, miss or escalation is about


def recipient_for(user: User, label: str) -> Recipient:
    """A user as a recipient, with the channels they chose."""
    return Recipient(f"user:{user.user_id}", label, user.user_id,
                     user.email if user.email_enabled else None, user.webhook_url,
                     user.webhook_secret, user.digest)


def _local(instant: datetime) -> str:
    return instant.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M (Stockholm)")


class Audience:
    """The people around one child, by role, resolved once per alert."""

    def __init__(self, state: CaseState, directory: UserDirectory) -> None:
        self.state = state
        caseworker = directory.get(state.caseworker_id) if state.caseworker_id else None
        self._supervisors = directory.supervisors_of(state.municipality)
        self._heads = directory.with_role(state.municipality, "head_of_unit")
        self._caseworker = [caseworker] if caseworker and caseworker.active else []

    @staticmethod
    def _users(users: list[User], label: str) -> list[Recipient]:
        return [recipient_for(u, label) for u in users]

    def heads_of_unit(self) -> list[Recipient]:
        return self._users(self._heads, "head_of_unit") or self.supervisors()

    def caseworker(self) -> list[Recipient]:
        """The case owner; while the case has none, the supervisors stand in."""
        return self._users(self._caseworker, "caseworker") or self.supervisors()

    def supervisors(self) -> list[Recipient]:
        return self._users(self._supervisors, "supervisor")

    def contacts(self, *roles: str) -> list[Recipient]:
        return [Recipient(f"contact:{c.added_seq}:{c.email}", c.role, None, c.email)
                for c in self.state.recipients_contacts()
                if c.email and (not roles or c.role in roles)]

    def everyone(self) -> list[Recipient]:
        return self.caseworker() + self.supervisors() + self.contacts()

    def owner(self, role: str) -> list[Recipient]:
        if role == "supervisor":
            return self.supervisors()
        if role == "god_man":
            return self.contacts("god_man", "special_custodian") + self.caseworker()
        return self.caseworker()


Compose = Callable[[Entry, CaseState, Audience, Policy, str], Alert | None]


def _missing(entry: Entry, state: CaseState, people: Audience, policy: Policy,
             ref: str) -> Alert:
    fact = entry.fact
    return Alert("missing", True, f"[Vaka] {ref}: child reported missing",
                 f"The child of case {ref} was reported missing; last seen "
                 f"{_local(fact.last_seen_at)}. Never assume the child left of free will. The "
                 "police report is due within 24 hours of last seen and should be made at "
                 "once; the police information pack is in Vaka.", people.everyone())


def _found(entry: Entry, state: CaseState, people: Audience, policy: Policy,
           ref: str) -> Alert:
    if isinstance(entry.fact, facts.FoundDeceased):
        return Alert("found", True, f"[Vaka] {ref}: child found deceased",
                     f"The child of case {ref} was found deceased.", people.everyone())
    what = "found" if isinstance(entry.fact, facts.Found) else "in touch again"
    return Alert("found", True, f"[Vaka] {ref}: child {what}",
                 f"The child of case {ref} is {what} ({_local(entry.occurred_at)}). A debrief "
                 "talk and a new risk assessment are due.", people.everyone())


def _reminded(entry: Entry, state: CaseState, people: Audience, policy: Policy,
              ref: str) -> Alert:
    fact = entry.fact
    rule = policy.rule(fact.rule_id)
    return Alert("reminder", False, f"[Vaka] {ref}: {fact.rule_id} due {_local(fact.due)}",
                 f"Reminder: {fact.rule_id} for case {ref} falls due {_local(fact.due)}.",
                 people.owner(rule.owner if rule else "caseworker"), fact.clock_id)


def _missed(entry: Entry, state: CaseState, people: Audience, policy: Policy,
            ref: str) -> Alert:
    fact = entry.fact
    rule = policy.rule(fact.rule_id)
    return Alert("missed", True, f"[Vaka] {ref}: {fact.rule_id} MISSED",
                 f"{fact.rule_id} for case {ref} fell due {_local(fact.due)} and is not done. "
                 "Acknowledge in Vaka to take it on.",
                 people.supervisors() + people.owner(rule.owner if rule else "caseworker"),
                 fact.clock_id)


def _escalated(entry: Entry, state: CaseState, people: Audience, policy: Policy,
               ref: str) -> Alert:
    fact = entry.fact
    return Alert("escalation", True, f"[Vaka] {ref}: {fact.rule_id} still not done",
                 f"{fact.rule_id} for case {ref} was missed and is still not done "
                 f"(escalated {_local(fact.due)}). Acknowledge in Vaka to stop further "
                 "escalation.",
                 people.heads_of_unit() + people.supervisors(), fact.subject)


def _adulthood(entry: Entry, state: CaseState, people: Audience, policy: Policy,
               ref: str) -> Alert | None:
    if isinstance(entry.fact, facts.AgeAssessed) and entry.fact.outcome != "adult":
        return None
    return Alert("adulthood", False, f"[Vaka] {ref}: now treated as an adult",
                 f"The person of case {ref} is now treated as an adult "
                 f"({_local(entry.occurred_at)}). Responsibility moves; child-only clocks "
                 "have stopped; assess continued support under SoL or LVU.",
                 people.caseworker() + people.supervisors())


def _decision(entry: Entry, state: CaseState, people: Audience, policy: Policy,
              ref: str) -> Alert:
    fact = entry.fact
    outcome = "granted" if fact.outcome == "granted" else "rejected"
    body = (f"The migration agency's decision in case {ref}: {outcome}. A SIP meeting is due "
            "within 14 days.")
    recipients = people.caseworker() + people.contacts("school", "god_man")
    urgent = False
    if state.compliance_alerts:
        body += (" COMPLIANCE: the child is placed under LVU and no statement of the social "
                 "welfare committee is recorded (004 L881-887).")
        recipients += people.supervisors()
        urgent = True
    return Alert("decision", urgent, f"[Vaka] {ref}: asylum decision ({outcome})", body,
                 recipients)


def _enforcement(entry: Entry, state: CaseState, people: Audience, policy: Policy,
                 ref: str) -> Alert:
    what = {"HandedOverToPolice": "handed over to the police",
            "DetentionOrdered": "ordered into detention",
            "DepartureScheduled": "scheduled for departure"}[entry.event_type]
    body = f"The child of case {ref} is {what}. Acknowledge in Vaka."
    recipients = people.caseworker() + people.contacts("god_man", "special_custodian")
    if state.active_treatment:
        body += " HEALTH ALERT: the child has an active treatment; plan the medical hand-over."
        recipients += people.supervisors()
    return Alert("enforcement", True, f"[Vaka] {ref}: {what}", body, recipients)


def _risk_flag(entry: Entry, state: CaseState, people: Audience, policy: Policy,
               ref: str) -> Alert:
    factor = FACTORS.get(entry.fact.factor)
    label = factor.en if factor else entry.fact.factor
    return Alert("risk", False, f"[Vaka] {ref}: risk factor {entry.fact.factor}",
                 f"Vaka raised risk factor {entry.fact.factor} ({label}) for case {ref}; "
                 "its follow-up has started.", people.caseworker())


def _risk_assessed(entry: Entry, state: CaseState, people: Audience, policy: Policy,
                   ref: str) -> Alert | None:
    if not any(f.startswith("A4.") for f in entry.fact.factors):
        return None
    return Alert("trafficking", True, f"[Vaka] {ref}: suspected trafficking",
                 f"A risk assessment in case {ref} ticks signs of trafficking (A4). Follow up "
                 "within 24 hours; consider a report to the police.", people.supervisors())


def _window(entry: Entry, state: CaseState, people: Audience, policy: Policy,
            ref: str) -> Alert:
    text = {"AppealWindowExpired": "the appeal window has closed: the rejection is final",
            "DepartureWindowExpired": "the voluntary-departure window has closed",
            "ExpulsionLapsed": "the expulsion decision has lapsed (four years)"}
    what = text[entry.event_type]
    return Alert("decision", False, f"[Vaka] {ref}: {what}", f"Case {ref}: {what}.",
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
}


def alert_for(entry: Entry, state: CaseState, directory: UserDirectory, policy: Policy,
              link: str) -> Alert | None:
    compose = COMPOSERS.get(type(entry.fact))
    if compose is None:
        return None
    ref = case_reference(state.child_id)
    alert = compose(entry, state, Audience(state, directory), policy, ref)
    if alert is None:
        return None
    body = alert.body + f"\n\nOpen the case in Vaka: {link}\n"
    return Alert(alert.kind, alert.urgent, alert.subject, body, alert.recipients,
                 alert.clock_id)
