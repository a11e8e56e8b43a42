"""Domain refusals said in the reader's language: the template from the catalogue, and its
parameters too (a phrase is itself a catalogue text, a stage or a field its label)."""

from __future__ import annotations

from domain import descriptions
from domain.errors import DomainError, InvalidField, Phrase, Term
from vaka.i18n import Language, gettext


def say(exc: DomainError, lang: Language) -> str:
    template = gettext(lang, exc.template)
    if not exc.params:
        return template
    return template.format(**{k: _said(v, lang) for k, v in exc.params.items()})


def say_problem(problem: InvalidField, lang: Language) -> str:
    """What is wrong with one field, in the reader's language."""
    template = gettext(lang, problem.problem_template)
    if not problem.problem_params:
        return template
    return template.format(**{k: _said(v, lang) for k, v in problem.problem_params.items()})


def _said(value: object, lang: Language) -> str:
    if isinstance(value, Phrase):
        return gettext(lang, value.text)
    if isinstance(value, Term) and value.kind == "stage":
        label = gettext(lang, descriptions.STAGES.get(value.value, value.value))
        return label[:1].lower() + label[1:]
    if isinstance(value, Term) and value.kind == "field":
        return gettext(lang, descriptions.FIELDS.get(value.value,
                                                     descriptions.Described(value.value)).label)
    if isinstance(value, Term):
        return value.value.replace("_", " ")
    return str(value)
