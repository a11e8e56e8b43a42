"""Sweden's 290 municipalities with their official four-digit codes (kommunkoder).

Source: Statistics Sweden (SCB), "Kommuner i Sverige" — the municipality codes in force
since 2007 (the last change was Heby moving to Uppsala county), shipped as
`municipalities.csv` beside this module. No package on PyPI keeps this list offline; the
Kolada client there asks a web service. When SCB changes the list, change the file.

A municipality is named as a person types it: case, diacritics, hyphens and spacing do not
matter ("malmo" and "MALMÖ" find Malmö, "upplands bro" finds Upplands-Bro), and its code
works too ("1280"). What is stored is the official name.
"""

from __future__ import annotations

import csv
import difflib
import functools
import unicodedata
from dataclasses import dataclass
from importlib import resources

from domain.errors import InvalidField

COUNT = 290


@dataclass(frozen=True)
class Municipality:
    code: str  # four digits: the county's two, then the municipality's
    name: str  # the official name as SCB writes it


def fold(text: str) -> str:
    """A name as a lookup sees it: no case, no diacritics, hyphens as spaces."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(plain.replace("-", " ").split())


@functools.cache
def all_municipalities() -> tuple[Municipality, ...]:
    text = resources.files("domain").joinpath("municipalities.csv").read_text("utf-8")
    found = tuple(Municipality(row["code"], row["name"])
                  for row in csv.DictReader(text.splitlines()))
    if len(found) != COUNT or len({m.code for m in found}) != COUNT:  # a packaging bug
        raise RuntimeError(f"municipalities.csv must hold {COUNT} municipalities")
    return found


@functools.cache
def _index() -> tuple[dict[str, Municipality], dict[str, Municipality],
                       dict[str, list[Municipality]]]:
    by_code = {m.code: m for m in all_municipalities()}
    by_name = {unicodedata.normalize("NFC", m.name).casefold(): m for m in all_municipalities()}
    by_fold: dict[str, list[Municipality]] = {}
    for m in all_municipalities():
        by_fold.setdefault(fold(m.name), []).append(m)
    return by_code, by_name, by_fold


def recognise(text: str) -> Municipality | None:
    """The municipality a text names, or None. Exact spelling wins where two names differ
    only by diacritics (Habo and Håbo); otherwise the folded name must name one."""
    by_code, by_name, by_fold = _index()
    stripped = text.strip()
    if stripped in by_code:
        return by_code[stripped]
    exact = by_name.get(unicodedata.normalize("NFC", stripped).casefold())
    if exact is not None:
        return exact
    candidates = by_fold.get(fold(stripped), [])
    return candidates[0] if len(candidates) == 1 else None


def nearest(text: str, n: int = 3) -> list[str]:
    """The official names closest to a text that names none, best first."""
    _, _, by_fold = _index()
    key = fold(text)
    names = list(by_fold)
    close = difflib.get_close_matches(key, names, n=n, cutoff=0.7)
    starting = [k for k in names if key and k.startswith(key) and k not in close]
    return [m.name for k in [*close, *starting][:n] for m in by_fold[k]][:n]


def municipality(field: str, text: str) -> Municipality:
    """The municipality a person named, or InvalidField suggesting the nearest names (the
    names are public, and only names of the register are repeated, never the input)."""
    found = recognise(text)
    if found is not None:
        return found
    near = nearest(text)
    if near:
        raise InvalidField(field, "names no municipality of Sweden; did you mean {names}?",
                           names=", ".join(near))
    raise InvalidField(field, "names no municipality of Sweden; give its name (e.g. Malmö) "
                              "or its four-digit code (e.g. 1280)")


def official_name(field: str, text: str) -> str:
    return municipality(field, text).name


def stored_name(text: str) -> str:
    """A name as stored by any version: the official name where it names one, else as it
    was written (a stored entry is never refused)."""
    found = recognise(text)
    return found.name if found is not None else text


def code_of(name: str | None) -> str | None:
    found = recognise(name) if name else None
    return found.code if found is not None else None
