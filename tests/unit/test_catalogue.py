"""Every text a person reads exists in English and in Swedish: each event, field, choice,
stage, clock and role is described, and every text in the code and the pages is in the
Swedish catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from domain import descriptions, facts
from domain.policy import load_policy
from domain.schema import all_events
from domain.state import ASYLUM_STAGES
from vaka.users import ROLES

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "vaka/i18n/locale/sv/LC_MESSAGES/vaka.po"
KEYWORDS = {"N_": None, "_": None, "gettext": (2,), "ngettext": (2, 3)}


def _swedish() -> dict[str, str]:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    found = {}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        value = message.string[0] if isinstance(message.string, tuple) else message.string
        if value and not message.fuzzy:
            found.update(dict.fromkeys(ids, value))  # a plural's both forms are translated
    return found


def _described_texts() -> set[str]:
    texts: set[str] = set()
    for table in (descriptions.EVENTS, descriptions.FIELDS, descriptions.EVENT_FIELDS,
                  descriptions.CLOCKS):
        for item in table.values():
            texts.add(item.label)
            if item.help:
                texts.add(item.help)
    for plain in (descriptions.STAGES, descriptions.STATUSES, descriptions.ROLES,
                  descriptions.NOTIFICATION_KINDS):
        texts.update(plain.values())
    for choices in descriptions.CHOICES.values():
        texts.update(choices.values())
    return texts


def _marked_in_code() -> set[str]:
    texts = set()
    for folder in ("vaka", "api", "web"):
        if not (ROOT / folder).exists():
            continue
        method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
        for _, _, message, *_ in extract_from_dir(
                str(ROOT / folder), method_map, keywords=KEYWORDS,
                options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
            texts.add(message[0] if isinstance(message, tuple) else message)
    return texts


# Where a refusal's text is written: the call, and which argument holds the text.
REFUSALS = {name: 0 for name in (
    "TransitionRefused", "NotAChild", "OccurredInFuture", "ChildNotFound", "VersionConflict",
    "IdempotencyKeyReused", "UnknownEventType", "NotAllowed", "NoSuchItem", "BadText",
    "Phrase", "_refuse", "_needs_missing")} | {
    "InvalidField": 1, "FormProblem": 1, "_stage_in": 1, "_answered_episode": 3}


def _refusals() -> set[str]:
    """Every refusal text written as a literal where a refusal is raised (the domain, the
    use cases, the web's forms): the template a page says in Swedish."""
    import ast

    texts = set()
    for path in [*(ROOT / "domain").rglob("*.py"), ROOT / "vaka/access.py",
                 ROOT / "vaka/casework.py", ROOT / "web/forms.py", ROOT / "web/pages/events.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in REFUSALS):
                continue
            at = REFUSALS[node.func.id]
            if len(node.args) > at and isinstance(node.args[at], ast.Constant):
                texts.add(node.args[at].value)
    return texts


def test_every_event_type_is_described() -> None:
    missing = sorted(set(facts.ALL_FACTS) - set(descriptions.EVENTS))
    assert missing == []


def test_every_field_of_every_event_is_labelled() -> None:
    missing = sorted(f"{e.event_type}.{f.name}" for e in all_events() for f in e.fields
                     if (e.event_type, f.name) not in descriptions.EVENT_FIELDS
                     and f.name not in descriptions.FIELDS)
    assert missing == []


def test_every_choice_of_every_choice_field_is_labelled() -> None:
    missing = sorted({f"{f.name}={value}" for e in all_events() for f in e.fields
                      for value in f.choices
                      if value not in descriptions.CHOICES.get(f.name, {})})
    assert missing == []


def test_every_stage_status_role_and_clock_rule_is_named() -> None:
    policy = load_policy()
    owners = {rule.owner for rule in policy.rules.values()}
    assert sorted((set(ASYLUM_STAGES) | {"adult", "closed"}) - set(descriptions.STAGES)) == []
    assert sorted({"open", "met", "cancelled", "missed"} - set(descriptions.STATUSES)) == []
    assert sorted((set(ROLES) | owners) - set(descriptions.ROLES)) == []
    assert sorted(set(policy.rules) - set(descriptions.CLOCKS)) == []


@pytest.mark.parametrize("source", ["descriptions", "code and pages", "refusals"])
def test_every_text_has_a_swedish_translation(source: str) -> None:
    texts = {"descriptions": _described_texts, "code and pages": _marked_in_code,
             "refusals": _refusals}[source]()
    missing = sorted(texts - set(_swedish()))
    assert missing == [], f"{len(missing)} texts lack Swedish in {PO.relative_to(ROOT)}"


def test_a_refusal_that_names_the_childs_stage_is_said_whole_in_swedish() -> None:
    from domain import facts as f
    from domain.errors import TransitionRefused
    from domain.state import CaseState
    from domain.transitions import check_fits
    from vaka.i18n import refusals

    with pytest.raises(TransitionRefused) as refused:
        check_fits(CaseState(child_id="c"), [], "AppealFiled", f.AppealFiled())
    assert refusals.say(refused.value, "sv") == (
        "ett överklagande kräver ett avslag som inte har vunnit laga kraft; "
        "asylärendet är i skedet nyanländ")
    assert refused.value.detail == (
        "an appeal needs a rejection that is not final; the asylum stage is arrived")
