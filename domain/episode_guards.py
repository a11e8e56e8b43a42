"""Guards for episodes (RULEBOOK section 6): an act answers the disappearance or decision
it names, else the one of its time; a later act never answers an earlier episode by itself;
a disappearance ends after it began and begins after the previous one ended."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.entries import Entry
from domain.errors import InvalidField, InvalidFields, Phrase, TransitionRefused
from domain.state import CaseState, MissingEpisode


def _answered_episode(state: CaseState, fact: Any, occurred_at: datetime | None,
                      what: str) -> MissingEpisode:
    """The disappearance an act answers: the one it names, else the one of its time. A
    late entry may answer an earlier disappearance; a later act never does by itself."""
    if fact.episode is not None:
        named = state.episode(fact.episode)
        if named is None:
            raise InvalidFields([InvalidField("episode", "names no disappearance of this case")])
        return named
    if occurred_at is None:
        episode = state.missing
    else:
        begun = [e for e in state.episodes if e.last_seen_at <= occurred_at]
        episode = begun[-1] if begun else None
        if episode is not None and episode.ended_at is not None and \
                occurred_at > episode.ended_at:
            episode = None
    if episode is None:
        raise TransitionRefused("{what} only while the child is missing; for an earlier "
                                "disappearance name it (episode)", what=Phrase(what))
    return episode


def _police_report_act(state: CaseState, entries: list[Entry], fact: Any,
                       occurred_at: datetime | None) -> None:
    episode = _answered_episode(state, fact, occurred_at, "a police report is recorded")
    if episode.police_report_seq is not None:
        raise TransitionRefused("a police report is already recorded for this disappearance")


def _search_act(state: CaseState, entries: list[Entry], fact: Any,
                occurred_at: datetime | None) -> None:
    _answered_episode(state, fact, occurred_at, "a search action is recorded")


EPISODE_ACTS = {"PoliceReportFiled": _police_report_act, "SearchActionTaken": _search_act}
# Acts that may name the episode they answer, and the entries an episode can be.
_EPISODES_NAMED = {
    ("TalkHeld", "debrief"): ("ReportedMissing",),
    ("TalkHeld", "after_rejection"): ("DecisionIssued",),
    ("RiskAssessed", None): ("ReportedMissing",),
    ("SipMeetingHeld", None): ("DecisionIssued", "AppealDecided"),
}


def check_episode_named(entries: list[Entry], event_type: str, fact: Any) -> None:
    named = getattr(fact, "episode", None)
    if named is None:
        return
    kinds = _EPISODES_NAMED.get((event_type, getattr(fact, "kind", None)))
    target = next((e for e in entries if e.seq == named), None)
    if kinds is None or target is None or target.event_type not in kinds:
        raise InvalidFields([InvalidField(
            "episode", "names no " + " or ".join(kinds or ("episode",)) + " of this case")])


def check_episode_order(state: CaseState, event_type: str, fact: Any,
                        occurred_at: datetime | None) -> None:
    """A disappearance ends after it began, and begins after the one before ended."""
    if event_type not in ("Found", "ContactMade", "FoundDeceased", "ReportedMissing"):
        return
    if event_type == "ReportedMissing":
        last = state.last_episode
        if last is not None and last.ended_at is not None and fact.last_seen_at < last.ended_at:
            raise InvalidFields([InvalidField(
                "last_seen_at", "lies before the end of the previous disappearance")])
    elif occurred_at is not None and state.missing is not None and \
            occurred_at < state.missing.last_seen_at:
        raise InvalidFields([InvalidField("occurred_at",
                                          "lies before the child was last seen")])
