"""Refusals said on the page, next to the field at fault, in the reader's language."""

from __future__ import annotations

from domain.errors import DomainError, InvalidField, InvalidFields
from vaka.i18n import Language, gettext, refusals
from web.forms import FormProblem, FormProblems

GENERAL = "_form"  # a refusal that is not about one field


def say(lang: Language, text: str) -> str:
    return gettext(lang, text)


def problems_of(exc: Exception, lang: Language) -> dict[str, str]:
    """{field name: what is wrong}, and GENERAL for what concerns the whole form."""
    found: dict[str, str] = {}
    items: list[InvalidField | FormProblem] = []
    if isinstance(exc, InvalidFields):
        items = list(exc.problems)
    elif isinstance(exc, (InvalidField, FormProblem)):
        items = [exc]
    elif isinstance(exc, FormProblems):
        items = list(exc.problems)
    for item in items:
        said = refusals.say_problem(item, lang) if isinstance(item, InvalidField) \
            else say(lang, item.problem)
        found.setdefault(item.field.split("[")[0], said)
    if not items and isinstance(exc, DomainError):
        found[GENERAL] = refusals.say(exc, lang)
    return found
