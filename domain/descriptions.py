"""What each event, field, choice, stage, clock and role means, in English.

The API documents the events with these texts, the web labels its pages and forms with
them, and the message catalogue (vaka/i18n) gives each of them in Swedish. Every event
type, field, choice and clock rule has an entry: tests/unit/test_catalogue.py checks it.

Help texts name the default policy's numbers (domain/policy/default.toml): when a number
there changes, change the text here and its Swedish in the catalogue too.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.return_checklist import ITEMS


@dataclass(frozen=True)
class Described:
    label: str  # short, as on a button or a column heading: "Reported missing"
    help: str = ""  # one or two sentences: when it is recorded, what it does


# Every event type, caseworker's and Vaka's own.
EVENTS: dict[str, Described] = {
    # ---- arrival and the people around the child ----
    "Registered": Described(
        "Arrival registered",
        "The child has arrived in the municipality. Opens the deadlines for a guardian, an "
        "information talk, a health examination, a crisis plan and the first risk "
        "assessment, and counts the days to the 18th birthday."),
    "MunicipalityAssigned": Described(
        "Municipality assigned",
        "The migration agency has assigned the municipality responsible for the child. The "
        "case belongs to that municipality's caseworkers and supervisors."),
    "CaseworkerAssigned": Described(
        "Caseworker assigned",
        "The caseworker responsible for the child from now on. Reminders and alerts go to "
        "this caseworker; while a case has none, they go to the supervisors."),
    "GuardianAppointed": Described(
        "Guardian appointed",
        "The chief guardian has appointed a guardian (god man) for the child. Meets the "
        "guardian deadline; the guardian is told when the child goes missing, of decisions "
        "and of enforcement."),
    "GuardianEnded": Described(
        "Guardian's task ended",
        "The guardian's appointment has ended, for example when a special custodian takes "
        "over. The guardian is no longer told anything by Vaka."),
    "PublicCounselAppointed": Described(
        "Public counsel appointed",
        "The lawyer who represents the child in the asylum case. Public counsel is told if "
        "the child goes missing or is found."),
    "SpecialCustodianAppointed": Described(
        "Special custodian appointed",
        "The district court has appointed a special custodian after the child was granted a "
        "permit. The special custodian takes the guardian's place."),
    "SpecialCustodianApplied": Described(
        "Special custodian applied for",
        "Social services have applied to the district court for a special custodian after "
        "the child was granted a permit. Meets the deadline for the application."),
    "ContactAdded": Described(
        "Contact added",
        "A person or agency around the child, such as the school, the placement, health "
        "care or the police. Contacts with an e-mail address are told when the child goes "
        "missing or is found, and of other events that concern their role."),
    # ---- placement ----
    "Placed": Described(
        "Placed",
        "Where the child lives and under which law (SoL or LVU). Starts the monthly "
        "placement follow-up and the six-monthly review, and calls a risk assessment; an "
        "emergency home also opens its two-month limit, a kinship home raises a risk "
        "factor."),
    "PlacementChanged": Described(
        "Placement changed",
        "The child has moved to another placement. Restarts the placement follow-up and "
        "review, ends the emergency-home limit and calls a risk assessment; two moves "
        "within six months raise a risk factor, and a move to another municipality "
        "proposes a hand-over."),
    "PlacementReviewed": Described(
        "Placement reviewed",
        "The six-monthly review of the placement (SoL 6:8, LVU 13 §) is done. Meets the "
        "review deadline and starts the next one."),
    # ---- asylum ----
    "AsylumApplied": Described(
        "Asylum applied for",
        "The child has applied for asylum. If there is no decision six months later, Vaka "
        "raises the risk factor long processing time."),
    "AgeAssessed": Described(
        "Age assessed",
        "The migration agency has assessed the child's age: a new date of birth, or adult. "
        "A new date of birth moves every age-based deadline; an older age raises a risk "
        "factor, and 'adult' stops the child-only deadlines and moves responsibility to "
        "the migration agency at once."),
    "InterviewHeld": Described(
        "Asylum interview held",
        "The child's asylum interview at the migration agency has taken place. For a child "
        "placed under LVU with no statement yet, opens a 14-day deadline for the social "
        "welfare committee's statement."),
    "StatementSubmitted": Described(
        "Statement submitted",
        "The social welfare committee's statement to the migration agency. Meets the "
        "statement deadline of a child placed under LVU."),
    "DecisionIssued": Described(
        "Decision issued",
        "The migration agency's decision: a grant, with the kind of permit, or a rejection. "
        "Calls a SIP meeting and tells the caseworker, guardian and school; a rejection "
        "also starts the talks after a rejection and the three-week appeal window, and "
        "raises a risk factor."),
    "AppealFiled": Described(
        "Appeal filed",
        "The rejection has been appealed to the migration court. Meets the appeal window "
        "and raises the risk factor ongoing appeal."),
    "AppealDecided": Described(
        "Appeal decided",
        "The court's decision on the appeal, which calls a new SIP meeting. A grant counts "
        "as a permit; a rejection becomes final and starts the voluntary-departure window."),
    "DecisionFinal": Described(
        "Rejection became final",
        "The rejection can no longer be appealed (laga kraft). Starts the voluntary-"
        "departure window (two weeks for avvisning, four for utvisning) and the four-year "
        "lapse of the decision."),
    "ApplicationWithdrawn": Described(
        "Application withdrawn",
        "The child has withdrawn the asylum application. Vaka treats it as a final "
        "rejection: the voluntary-departure window and the four-year lapse start."),
    # ---- return ----
    "ReceptionInvestigated": Described(
        "Reception investigated",
        "Whether organised reception exists in the home country. Without it, a child whose "
        "rejection is final stays in Sweden until 18."),
    "ReturnConfirmed": Described(
        "Return confirmed",
        "A return will take place. Opens the return checklist, with someone responsible "
        "for each item: farewell talks, translated documents, certificates, keepsakes, "
        "reception and housing, money and the medical hand-over."),
    "HandedOverToPolice": Described(
        "Handed over to the police",
        "The migration agency has handed the return over to the police for enforcement. The "
        "caseworker and guardian are told at once, and the caseworker acknowledges within "
        "two hours."),
    "DetentionOrdered": Described(
        "Detention ordered",
        "The child has been ordered into detention. The caseworker and guardian are told at "
        "once, and the caseworker acknowledges within two hours."),
    "DepartureScheduled": Described(
        "Departure scheduled",
        "A date for the departure is set; it may lie ahead. The caseworker and guardian are "
        "told at once, and the caseworker acknowledges within two hours."),
    "Departed": Described(
        "Departed",
        "The child has left Sweden. Meets the voluntary-departure window; every open "
        "deadline stops, and what remains is to close the case."),
    "EnforcementAcknowledged": Described(
        "Enforcement acknowledged",
        "The caseworker has seen an enforcement event (handed over to the police, "
        "detention, departure date). Meets its acknowledgement deadline."),
    # ---- missing ----
    "ReportedMissing": Described(
        "Reported missing",
        "The child has gone missing. Tells every adult on the case at once, opens the "
        "police report deadline (24 hours after last seen at the latest) and the search "
        "reviews, and shows the police information pack."),
    "PoliceReportFiled": Described(
        "Police report filed",
        "A report to the police about the missing child. Meets the police report "
        "deadline."),
    "SearchActionTaken": Described(
        "Search action taken",
        "Something done to find the child: calls, visits, contacts with friends, social "
        "media. Meets the search review; the next is due within 24 hours in the first "
        "week, then every week."),
    "ContactMade": Described(
        "Child got in touch",
        "The child has got in touch but is not found. Ends the disappearance as Found does: "
        "everyone is told, and a debrief talk and a new risk assessment are due."),
    "Found": Described(
        "Found",
        "The child has been found, in Sweden or abroad. Everyone is told at once; a debrief "
        "talk within 72 hours and a new risk assessment within 7 days are due."),
    "FoundDeceased": Described(
        "Found deceased",
        "The child has been found dead. Everyone is told, every deadline stops, and what "
        "remains is to close the case."),
    # ---- care ----
    "RiskAssessed": Described(
        "Risk assessed",
        "The checklist of risk factors for going missing, with those that apply ticked. "
        "Meets the assessment deadline and starts or stops each area's follow-up; a sign "
        "of trafficking (A4) alerts the supervisors at once."),
    "FollowUpHeld": Described(
        "Follow-up held",
        "A follow-up of a risk area (B1-B4) or of the placement. Meets that follow-up and "
        "starts the next one."),
    "TalkHeld": Described(
        "Talk held",
        "A talk with the child. By its kind it meets the information talk (with the guardian "
        "present), a talk after a rejection, the debrief after a disappearance or the "
        "preparation for 18."),
    "SipMeetingHeld": Described(
        "SIP meeting held",
        "A meeting on a coordinated individual plan (SIP) with the adults around the child. "
        "Meets the SIP meeting after a decision; on turning 18, also the preparation for "
        "18."),
    "CrisisPlanEstablished": Described(
        "Crisis plan established",
        "A crisis plan suited to the child's situation is in place. Meets the crisis plan "
        "deadline."),
    "HealthExamOffered": Described(
        "Health examination offered",
        "The child has been offered a health examination by the region. Meets the health "
        "examination deadline."),
    "HealthTreatmentNoted": Described(
        "Medical treatment",
        "Whether the child has an ongoing medical treatment. While it does, enforcement "
        "events raise a health alert so that the medical hand-over can be planned."),
    "SchoolEnrolled": Described(
        "School started",
        "The child has started school. Add the school as a contact for it to be told of "
        "disappearances and decisions."),
    "ChecklistItemDone": Described(
        "Checklist item done",
        "An item of the return checklist is done."),
    "ChecklistItemAssigned": Described(
        "Checklist item reassigned",
        "Gives an item of the return checklist someone else responsible for it."),
    "PolicePackUpdated": Described(
        "Police information updated",
        "Keeps current what the police need if the child goes missing. Fields left empty "
        "keep their earlier text; while the child is missing, record new information as a "
        "search action."),
    # ---- the case ----
    "EscalationAcknowledged": Described(
        "Missed deadline acknowledged",
        "Someone has taken on a missed deadline: the head of unit is not told of it again. "
        "The deadline itself stays until what it asks for is recorded."),
    "ResponsibilityTransferred": Described(
        "Responsibility transferred",
        "Responsibility for the child moves to the migration agency (at 18) or to another "
        "municipality. Given a municipality, the case moves there."),
    "CaseClosed": Described(
        "Case closed",
        "The case ends. Every open deadline stops; afterwards only corrections can be "
        "recorded."),
    "Retracted": Described(
        "Entry withdrawn",
        "Withdraws an earlier entry recorded in error, with the reason. The entry stays in "
        "the history but no longer counts, and the deadlines are recomputed."),
    "Corrected": Described(
        "Entry corrected",
        "Replaces some fields of an earlier entry, with the reason. The original stays in "
        "the history, and the deadlines are recomputed from the corrected facts."),
    # ---- recorded by Vaka itself ----
    "DeadlineReminded": Described(
        "Reminder sent",
        "Vaka reminded those responsible of a deadline before it falls due."),
    "DeadlineMissed": Described(
        "Deadline missed",
        "A deadline fell due without what it asks for. Those responsible and the "
        "supervisors are told; if it is still not done after a further period, the head "
        "of unit is told."),
    "Turned18": Described(
        "Turned 18",
        "The child has turned 18 by the recorded date of birth. Responsibility moves, the "
        "guardian's task ends and the child-only deadlines stop; assess continued support "
        "under SoL or LVU."),
    "AppealWindowExpired": Described(
        "Appeal window closed",
        "No appeal was recorded in time: the rejection is final (laga kraft). The "
        "voluntary-departure window and the four-year lapse start."),
    "DepartureWindowExpired": Described(
        "Voluntary-departure window closed",
        "The time for voluntary departure has passed with no departure recorded. The "
        "caseworker and guardian are told."),
    "ExpulsionLapsed": Described(
        "Decision lapsed",
        "Four years have passed since the rejection became final without a departure: the "
        "decision on avvisning or utvisning has lapsed (preskription)."),
    "Escalated": Described(
        "Escalated to head of unit",
        "A missed deadline is still not done after a further period: the head of unit and "
        "the supervisors are told, and again after each further period until someone "
        "acknowledges it or it is done."),
    "RiskFlagRaised": Described(
        "Risk factor raised",
        "Vaka has derived a risk factor from the case file, such as a rejection or "
        "approaching 18. The caseworker is told and the area's follow-up starts."),
    "ConclusionWithdrawn": Described(
        "Conclusion withdrawn",
        "One of Vaka's own entries no longer follows from the case file, because what it "
        "rested on was corrected, withdrawn or entered late. The deadlines are "
        "recomputed."),
}

# Fields by name; the same name means the same thing in every event.
FIELDS: dict[str, Described] = {
    "action": Described("What was done", "What was done to find the child, and the result."),
    "active": Described("Treatment ongoing",
                        "Tick while the treatment goes on; untick when it has ended."),
    "area": Described("Area", "The risk area followed up (B1-B4), or the placement."),
    "arrived_at": Described("Arrival",
                            "When the child arrived in the municipality (local date and time)."),
    "attendees": Described("Attendees", "Who took part, one per line."),
    "caseworker_id": Described("Caseworker"),
    "channel": Described("How the child got in touch",
                         "For example by phone, text message or social media."),
    "child_response": Described("Child's response"),
    "clock_id": Described("Deadline"),
    "closure": Described("Reason for closing"),
    "conclusion": Described("Conclusion", "The kind of entry withdrawn."),
    "crime_suspicion": Described(
        "Suspicion of crime",
        "Suspicion that the child has been the victim of a crime, or will commit one, in "
        "connection with a disappearance."),
    "criminal_circles": Described(
        "Criminal circles",
        "Whether the child has moved in criminal circles or shown norm-breaking behaviour."),
    "date_of_birth": Described("Date of birth"),
    "date_of_birth_basis": Described("Basis of the date of birth"),
    "decided_at": Described("Decided",
                            "When the migration agency made the decision (local date and time)."),
    "departure_at": Described("Departure",
                              "When the departure is planned (local date and time); it may "
                              "lie ahead."),
    "description": Described("Description", "Appearance and distinguishing features."),
    "due": Described("Due"),
    "email": Described("E-mail", "Messages from Vaka go to this address."),
    "entry": Described("Entry", "The entry's number in the case's history."),
    "episode": Described(
        "Refers to",
        "The entry number of the disappearance or decision this belongs to; leave empty "
        "for the current one."),
    "factor": Described("Risk factor", "The factor's id in the checklist, e.g. A3.1."),
    "factors": Described("Risk factors", "The factors that apply."),
    "family_name": Described("Family name"),
    "fields": Described("Corrected fields", "The fields to replace, with their new values."),
    "given_name": Described("Given name"),
    "guardian_present": Described(
        "Guardian present",
        "Tick if the guardian (god man) took part. An information talk meets its deadline "
        "only with the guardian present."),
    "health": Described("Health", "Illnesses, medication, substance use, mental state."),
    "identity_and_contact": Described("Identity and contact details"),
    "interests": Described("Interests"),
    "interpreter_needed": Described("Interpreter needed"),
    "item": Described("Checklist item"),
    "kind": Described("Kind of talk"),
    "language_and_interpreter": Described("Language and interpreter need"),
    "languages": Described("Languages", "The languages the child speaks, one per line."),
    "last_seen_at": Described(
        "Last seen",
        "When the child was last seen (local date and time). The police report is due 24 "
        "hours after this at the latest."),
    "legal_basis": Described("Legal basis", "SoL (with consent) or LVU (care without consent)."),
    "level": Described("Escalated to"),
    "location": Described("Found in"),
    "municipality": Described("Municipality"),
    "mv_reference": Described("Dossier number", "The migration agency's number for the child."),
    "name": Described("Name"),
    "notified_at": Described(
        "Notified",
        "When the child received the decision (local date and time); the appeal window "
        "counts from that day. Leave empty if it is when this entry happened."),
    "organised_reception_found": Described(
        "Organised reception exists",
        "Tick if organised reception exists in the home country."),
    "outcome": Described("Outcome"),
    "owner": Described("Responsible", "Who is responsible for the item."),
    "permit_expires_on": Described(
        "Permit valid until",
        "The last day of a temporary permit. A reminder goes out 60 days before."),
    "permit_type": Described("Kind of permit", "Required for a grant."),
    "phone": Described("Phone"),
    "place": Described("Place"),
    "placement_type": Described("Kind of placement"),
    "police_reference": Described("Police reference", "The police's case number."),
    "responsibility_to": Described("Responsibility moves to"),
    "role": Described("Role"),
    "rule_id": Described("Kind of deadline"),
    "school": Described("School", "The school's name."),
    "seen_by": Described("Seen by", "Who saw the child last."),
    "social_circle": Described("Social circle"),
    "stays": Described("Stays in Sweden and abroad",
                       "Where and for how long the child has stayed in Sweden or other "
                       "countries."),
    "subject": Described("Missed deadline"),
    "suspected_exploitation": Described(
        "Suspected exploitation or crime",
        "Tick if the child may have been exploited or the victim of a crime, or taken part "
        "in one. The follow-up for suspected trafficking (B4) starts at once."),
    "taken_by": Described("Taken by", "Who did it: a person or an agency."),
    "to": Described("Responsibility moves to"),
    "topic": Described("Topic"),
    "topics": Described("Topics", "What the talk was about, one topic per line."),
}

# A field that means something particular in one event: (event type, field name).
EVENT_FIELDS: dict[tuple[str, str], Described] = {
    ("ReportedMissing", "place"): Described("Last seen where"),
    ("Found", "place"): Described("Where found"),
    ("FoundDeceased", "place"): Described("Where found"),
    ("Placed", "place"): Described("Name of the placement",
                                   "For example the name of the HVB or the home."),
    ("PlacementChanged", "place"): Described("Name of the placement",
                                             "For example the name of the HVB or the home."),
    ("Registered", "municipality"): Described(
        "Municipality", "The municipality responsible for the child."),
    ("MunicipalityAssigned", "municipality"): Described("Assigned municipality"),
    ("ResponsibilityTransferred", "municipality"): Described(
        "New municipality",
        "The municipality that takes over; leave empty for a transfer to the migration "
        "agency."),
    ("Found", "municipality"): Described(
        "Found in municipality",
        "If found in another municipality, a hand-over to it is proposed."),
    ("PlacementChanged", "municipality"): Described(
        "Municipality of the new placement",
        "If it is another municipality, a hand-over to it is proposed."),
    ("AgeAssessed", "date_of_birth"): Described(
        "New date of birth", "Required when the outcome is a new date of birth."),
    ("AgeAssessed", "outcome"): Described("Result of the age assessment"),
    ("DecisionIssued", "outcome"): Described("Decision"),
    ("AppealDecided", "outcome"): Described("Outcome of the appeal"),
    ("PlacementReviewed", "outcome"): Described(
        "Conclusion of the review",
        "What the review concluded, for example that the placement continues."),
    ("Retracted", "entry"): Described("Entry to withdraw"),
    ("Corrected", "entry"): Described("Entry to correct"),
    ("EnforcementAcknowledged", "entry"): Described("Enforcement entry"),
    ("ConclusionWithdrawn", "entry"): Described("Withdrawn entry"),
    ("PoliceReportFiled", "episode"): Described(
        "Disappearance",
        "The entry number of the report of the disappearance this answers; leave empty "
        "for the current one."),
    ("SearchActionTaken", "episode"): Described(
        "Disappearance",
        "The entry number of the report of the disappearance this answers; leave empty "
        "for the current one."),
    ("RiskAssessed", "episode"): Described(
        "After disappearance",
        "For a reassessment after an earlier disappearance: the entry number of its "
        "report."),
    ("SipMeetingHeld", "episode"): Described(
        "Decision",
        "The entry number of the decision the meeting follows; leave empty for the "
        "latest one."),
}

# The choices of a choice field, by field name: value -> label.
CHOICES: dict[str, dict[str, str]] = {
    "area": {
        "B1": "B1: absconding behaviour",
        "B2": "B2: mental health",
        "B3": "B3: asylum process and placement",
        "B4": "B4: suspected trafficking",
        "placement": "Placement follow-up",
        "network": "Networking and collaboration",
    },
    "child_response": {
        "accepted": "Took part",
        "declined": "Declined",
    },
    "closure": {
        "permit_handover": "Permit granted and handed over",
        "returned": "Returned",
        "adult": "Adult",
        "moved": "Moved to another municipality",
        "deceased": "Deceased",
        "other": "Other reason",
    },
    "date_of_birth_basis": {
        "stated": "Stated by the child",
        "assessed": "Assessed",
    },
    "item": {item: what for item, (what, _owner) in ITEMS.items()},
    "kind": {
        "information": "Information on arrival",
        "check_in": "Check-in",
        "after_rejection": "After a rejection",
        "farewell": "Farewell",
        "debrief": "Debrief after a disappearance",
        "adulthood": "Preparing for 18",
    },
    "legal_basis": {
        "SoL": "SoL (Social Services Act)",
        "LVU": "LVU (Care of Young Persons Act)",
    },
    "location": {
        "sweden": "Sweden",
        "abroad": "Abroad",
    },
    "outcome": {
        "granted": "Granted",
        "rejected": "Rejected",
        "new_date_of_birth": "New date of birth",
        "adult": "Assessed as adult",
    },
    "permit_type": {
        "permanent": "Permanent residence permit",
        "temporary": "Temporary residence permit",
    },
    "placement_type": {
        "hvb": "Residential home (HVB)",
        "stodboende": "Supported housing (stödboende)",
        "familjehem": "Foster home (familjehem)",
        "natverkshem": "Kinship home (nätverkshem)",
        "jourhem": "Emergency home (jourhem)",
    },
    "rejection_kind": {  # derived, not typed (domain.state.rejection_kind)
        "avvisning": "Refusal of entry (avvisning)",
        "utvisning": "Expulsion (utvisning)",
    },
    "responsibility_to": {
        "migration_agency": "Migration agency",
        "social_services": "Social services",
    },
    "role": {
        "god_man": "Guardian (god man)",
        "school": "School",
        "placement": "Placement contact",
        "migration_agency": "Migration agency",
        "public_counsel": "Public counsel",
        "health": "Health care",
        "police": "Police",
        "special_custodian": "Special custodian",
        "other": "Other contact",
    },
    "to": {
        "migration_agency": "Migration agency",
        "municipality": "Another municipality",
    },
    "topic": {
        "decision": "After a decision",
        "adulthood": "Preparing for 18",
        "other": "Other",
    },
}

# The child's stages (CaseState.stage and asylum_stage).
STAGES: dict[str, str] = {
    "arrived": "Arrived",
    "in_asylum_process": "Asylum seeker",
    "granted": "Permit granted",
    "rejected": "Rejected",
    "appealing": "Appeal pending",
    "rejected_final": "Rejection final",
    "return_preparation": "Preparing return",
    "departed": "Departed",
    "adult": "Adult",
    "closed": "Closed",
}

# Clock rules by rule id (domain/policy/default.toml): label, and what meets the clock.
CLOCKS: dict[str, Described] = {
    "escalation": Described(
        "Escalation to head of unit",
        "A missed deadline still not done 24 hours later (2 hours for a police report) goes "
        "to the head of unit, and again after each further period. Stops when someone "
        "acknowledges it or the deadline is met."),
    # ---- missing child ----
    "missing.police_report": Described(
        "Police report",
        "Met when a police report is recorded; due 24 hours after the child was last seen, "
        "with reminders after 2 and 12 hours. Report at once: the 24 hours are a limit, "
        "not a waiting time."),
    "missing.search_review": Described(
        "Search review",
        "Met by each search action recorded; due every 24 hours in the first week of a "
        "disappearance, then every 7 days, until the child is found."),
    "missing.long_term_review": Described(
        "Long disappearance review",
        "For the supervisor: due 30 days after a disappearance was reported, if the child "
        "is still missing. No event meets it; the supervisor acknowledges it."),
    "found.debrief": Described(
        "Debrief talk",
        "Met by a talk of the kind debrief; due 72 hours after the child was found or got "
        "in touch."),
    "found.risk_reassessment": Described(
        "New risk assessment after a disappearance",
        "Met by a risk assessment; due 7 days after the child was found or got in touch."),
    "found.handover": Described(
        "Hand-over to another municipality",
        "For the supervisor: met when responsibility is transferred to the municipality "
        "where the child was found or moved to; due 72 hours after."),
    # ---- arrival ----
    "arrival.guardian": Described(
        "Guardian (god man)",
        "Met when a guardian is appointed; due 3 days after arrival."),
    "arrival.information_talk": Described(
        "Information talk",
        "Met by an information talk with the guardian present; due 7 days after arrival."),
    "arrival.health_exam": Described(
        "Health examination",
        "Met when a health examination has been offered; due 14 days after arrival."),
    "arrival.crisis_plan": Described(
        "Crisis plan",
        "Met when a crisis plan is recorded; due 14 days after arrival."),
    # ---- risk ----
    "risk.assessment": Described(
        "Risk assessment",
        "Met by a risk assessment; due 14 days after arrival, a placement or a change of "
        "placement, a decision or the child being found, and at least every 90 days."),
    "risk.followup.absconding": Described(
        "Follow-up B1: absconding behaviour",
        "Runs while a factor of area A1 is ticked; met by a follow-up of B1, due every 7 "
        "days."),
    "risk.followup.mental_health": Described(
        "Follow-up B2: mental health",
        "Runs while a factor of area A2 is ticked; met by a follow-up of B2, due every 14 "
        "days."),
    "risk.followup.asylum_placement": Described(
        "Follow-up B3: asylum process and placement",
        "Runs while a factor of area A3 is ticked or raised by Vaka; met by a follow-up of "
        "B3, due every month and within 24 hours of a key event such as a decision."),
    "risk.followup.trafficking": Described(
        "Follow-up B4: suspected trafficking",
        "Runs while a factor of area A4 is ticked; met by a follow-up of B4, due within 24 "
        "hours, then every 3 days."),
    "risk.followup.network": Described(
        "Follow-up: networking and collaboration",
        "Runs while any risk area is followed up; met by a follow-up of networking and "
        "collaboration, due every month."),
    "risk.flag.rejection": Described(
        "Risk factor: rejection (A3.1)",
        "Vaka raises it at once when a rejection is recorded."),
    "risk.flag.appeal": Described(
        "Risk factor: ongoing appeal (A3.2)",
        "Vaka raises it at once when an appeal is recorded."),
    "risk.flag.long_processing": Described(
        "Risk factor: long processing time (A3.3)",
        "Vaka raises it if there is no decision 6 months after the asylum application."),
    "risk.flag.kinship_placement": Described(
        "Risk factor: kinship placement (A3.5)",
        "Vaka raises it at once when the child is placed in a kinship home."),
    "risk.flag.approaching_18": Described(
        "Risk factor: approaching 18 (A3.6)",
        "Vaka raises it 180 days before the 18th birthday."),
    "risk.flag.age_upgrade": Described(
        "Risk factor: age upgrade (A3.7)",
        "Vaka raises it at once when an age assessment makes the child older or adult."),
    "risk.flag.placement_moves": Described(
        "Risk factor: moves between placements (A3.8)",
        "Vaka raises it at once after two changes of placement within 6 months."),
    "risk.flag.victimisation": Described(
        "Risk factor: victim of trafficking or crime (A4.15)",
        "Vaka raises it at once when Found or a debrief records suspected exploitation or "
        "crime."),
    # ---- placement ----
    "placement.followup": Described(
        "Placement follow-up",
        "Met by a follow-up of the placement; due every month from the placement."),
    "placement.review": Described(
        "Six-monthly review of the placement",
        "Met when the review is recorded; due every 6 months from the placement (SoL 6:8, "
        "LVU 13 §)."),
    "placement.emergency_limit": Described(
        "Time in emergency home",
        "Met when the child moves from the emergency home to another placement; due 2 "
        "months after the placement."),
    # ---- decision and appeal ----
    "decision.sip_meeting": Described(
        "SIP meeting after a decision",
        "Met by a SIP meeting; due 14 days after a decision or a decision on appeal."),
    "decision.after_rejection_talk": Described(
        "Talks after a rejection",
        "Met by a talk after a rejection; the first is due 7 days after the rejection, the "
        "next every 14 days until departure or a permit."),
    "decision.appeal_window": Described(
        "Appeal window",
        "Three weeks from the day the child received the rejection, counted as the law "
        "counts. Met when an appeal is recorded; otherwise the rejection becomes final. "
        "The guardian is reminded 7 days before."),
    "decision.lvu_statement": Described(
        "Statement for a child placed under LVU",
        "Met when the social welfare committee's statement is recorded; due 14 days after "
        "the asylum interview of a child placed under LVU."),
    # ---- return ----
    "return.voluntary_departure": Described(
        "Voluntary-departure window",
        "Two weeks (avvisning) or four weeks (utvisning) from the day the rejection became "
        "final. Met when the departure is recorded."),
    "return.expulsion_lapse": Described(
        "Lapse of the decision",
        "Four years after the rejection became final, the decision on avvisning or "
        "utvisning lapses unless the child has departed; Vaka records it then."),
    "enforcement.notify": Described(
        "Acknowledge enforcement",
        "Met when the caseworker acknowledges an enforcement event; due 2 hours after it. "
        "The caseworker and guardian are told at once."),
    # ---- permit and age ----
    "permit.expiry": Described(
        "Permit expiry",
        "Due the day a temporary permit expires, with a reminder 60 days before; met by a "
        "new decision."),
    "permit.special_custodian": Described(
        "Application for a special custodian",
        "Met when the application to the district court, or the appointment, is recorded; "
        "due 30 days after a permit is granted."),
    "age.prepare_adulthood": Described(
        "Preparing for 18",
        "Met by a talk or SIP meeting about turning 18; due 90 days before the 18th "
        "birthday."),
    "age.eighteenth_birthday": Described(
        "18th birthday",
        "Vaka records that the child has turned 18 at 00:00 on the birthday. Moves with a "
        "new date of birth."),
}

# Clock status, and the kind of clock.
STATUSES: dict[str, str] = {
    "open": "Open",
    "met": "Done",
    "cancelled": "No longer applies",
    "missed": "Overdue",
    "deadline": "Deadline",
    "action": "Action by Vaka",
}

# User roles, and the roles of contacts and clock owners.
ROLES: dict[str, str] = {
    "caseworker": "Caseworker",
    "supervisor": "Supervisor",
    "head_of_unit": "Head of unit",
    "auditor": "Auditor",
    "admin": "Administrator",
    "system": "Vaka (automatic)",
    "god_man": "Guardian (god man)",
    "school": "School",
    "placement": "Placement contact",
    "migration_agency": "Migration agency",
    "public_counsel": "Public counsel",
    "health": "Health care",
    "police": "Police",
    "special_custodian": "Special custodian",
    "social_services": "Social services",
    "other": "Other contact",
}

# Kinds of notification (vaka.notify.alerts).
NOTIFICATION_KINDS: dict[str, str] = {
    "missing": "Missing",
    "found": "Found",
    "reminder": "Reminder",
    "missed": "Missed deadline",
    "escalation": "Escalation",
    "adulthood": "Turned 18 or assessed as adult",
    "decision": "Decision",
    "enforcement": "Enforcement",
    "risk": "Risk factor",
    "trafficking": "Suspected trafficking",
    "quarantine": "Event set aside (quarantine)",
    "handover": "Hand-over between municipalities",
    "withdrawn": "Conclusion withdrawn",
}


def event(event_type: str) -> Described:
    return EVENTS.get(event_type, Described(event_type))


def field(event_type: str, name: str) -> Described:
    return EVENT_FIELDS.get((event_type, name)) or FIELDS.get(name) or Described(name)


def choice(name: str, value: str) -> str:
    return CHOICES.get(name, {}).get(value, value)
