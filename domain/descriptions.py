"""What each event, field, choice, stage, clock and role means, in English.

The API documents the events with these texts, the web labels its pages and forms with
them, and the message catalogue (vaka/i18n) gives each of them in Swedish. Every event
type, field, choice and clock rule has an entry: tests/unit/test_catalogue.py checks it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Described:
    label: str  # short, as on a button or a column heading: "Reported missing"
    help: str = ""  # one or two sentences: when it is recorded, what it does


# Every event type, caseworker's and Vaka's own.
EVENTS: dict[str, Described] = {
    "ReportedMissing": Described(
        "Reported missing",
        "The child has gone missing. Opens the 24-hour police report deadline and the "
        "search reviews, and tells every adult on the case at once."),
    "PoliceReportFiled": Described(
        "Police report filed", "A report to the police about the missing child."),
}

# Fields by name; the same name means the same thing in every event.
FIELDS: dict[str, Described] = {
    "last_seen_at": Described("Last seen", "When the child was last seen."),
    "place": Described("Place"),
    "seen_by": Described("Seen by", "Who saw the child last."),
    "police_reference": Described("Police reference", "The police's case number."),
}

# A field that means something particular in one event: (event type, field name).
EVENT_FIELDS: dict[tuple[str, str], Described] = {
    ("ReportedMissing", "place"): Described("Last seen where"),
}

# The choices of a choice field, by field name: value -> label.
CHOICES: dict[str, dict[str, str]] = {}

# The child's stages (CaseState.stage and asylum_stage).
STAGES: dict[str, str] = {}

# Clock rules by rule id (domain/policy/default.toml): label, and what meets the clock.
CLOCKS: dict[str, Described] = {}

# Clock status, and the kind of clock.
STATUSES: dict[str, str] = {}

# User roles, and the roles of contacts and clock owners.
ROLES: dict[str, str] = {}

# Kinds of notification (vaka.notify.alerts).
NOTIFICATION_KINDS: dict[str, str] = {}


def event(event_type: str) -> Described:
    return EVENTS.get(event_type, Described(event_type))


def field(event_type: str, name: str) -> Described:
    return EVENT_FIELDS.get((event_type, name)) or FIELDS.get(name) or Described(name)


def choice(name: str, value: str) -> str:
    return CHOICES.get(name, {}).get(value, value)
