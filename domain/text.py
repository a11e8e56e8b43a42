"""What a text field may hold: the one rule for every text of every event and request.

Refused: control characters (newline and tab are allowed in free text only), lone
surrogates, line and paragraph separators in single-line text, and text longer than its
kind allows. What passes can be stored by SQLite and PostgreSQL, put in an e-mail header
and sent in a webhook; nothing else reaches the case file. Text is stored in Unicode NFC
with Windows line ends made plain, so "Malmö" typed two ways is one municipality.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

LINE_MAX = 200
TEXT_MAX = 4000
_LINE_BREAKS = {"\u2028", "\u2029", "\u0085"}


@dataclass(frozen=True)
class TextKind:
    """Single-line text (names, places, ids) or free text (notes, descriptions)."""

    multiline: bool
    max_length: int


LINE = TextKind(multiline=False, max_length=LINE_MAX)
FREE_TEXT = TextKind(multiline=True, max_length=TEXT_MAX)


class BadText(ValueError):
    """Why a text cannot be taken; says nothing of the text itself."""


def clean_text(value: str, kind: TextKind = LINE) -> str:
    """The text as it will be stored, or BadText saying what is wrong with it."""
    text = value.replace("\r\n", "\n")
    for ch in text:
        if "\ud800" <= ch <= "\udfff":
            raise BadText("contains an invalid character (a lone UTF-16 surrogate)")
        if ch in "\n\t":
            if not kind.multiline:
                raise BadText("must be a single line (no line breaks or tabs)")
            continue
        if ch in _LINE_BREAKS and not kind.multiline:
            raise BadText("must be a single line (no line breaks or tabs)")
        if unicodedata.category(ch) == "Cc":
            raise BadText(f"contains a control character (U+{ord(ch):04X})")
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise BadText("must not be empty")
    if len(text) > kind.max_length:
        raise BadText(f"must be at most {kind.max_length} characters")
    return text


def safe_label(value: object, max_length: int = 64) -> str:
    """A name from the request (a field name, an event type) fit to repeat in an error."""
    text = str(value)
    shown = "".join(ch if ch.isprintable() and not "\ud800" <= ch <= "\udfff" else "?"
                    for ch in text[:max_length])
    return shown + ("…" if len(text) > max_length else "")
