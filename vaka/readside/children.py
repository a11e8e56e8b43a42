"""The children as lists and search: a caseworker's own children, missing first, each with
its next clock; and search by case reference, name or date of birth.

Names and dates of birth are a child's personal data and stay sealed on the read side too:
a child's row holds them only encrypted with the case file's own cipher (to show a list),
and its search terms only as keyed hashes of their normalised words (to find them). A query
is hashed the same way, so "malmo", "Malmö" and "MALMÖ" find the same child, and nothing
readable about a child is stored outside the case file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from domain.references import reference_prefix
from vaka.readside.db import Database, Tx, from_ts
from vaka.readside.paging import Slice, Window
from vaka.readside.worklists import Scope

_WORD = re.compile(r"[\w-]+", re.UNICODE)
OPEN_STAGES = "ch.stage NOT IN ('closed', 'departed')"


class Cipher(Protocol):
    def encrypt(self, plaintext: bytes) -> bytes: ...
    def decrypt(self, ciphertext: bytes) -> bytes: ...


@dataclass(frozen=True)
class Card:
    """What a list shows of a child besides the read model's columns."""

    given_name: str | None
    family_name: str | None
    date_of_birth: date | None
    mv_reference: str | None = None

    @property
    def name(self) -> str | None:
        parts = [p for p in (self.given_name, self.family_name) if p]
        return " ".join(parts) or None


@dataclass(frozen=True)
class ChildRow:
    child_id: str
    card: Card
    municipality: str
    stage: str
    caseworker_id: str | None
    caseworker_name: str | None
    missing_since: datetime | None
    turns_18_at: datetime | None
    next_due: datetime | None
    next_rule_id: str | None
    next_status: str | None


def normalise(text: str) -> list[str]:
    """Words without case or diacritics: 'Malmö' and 'MALMO' are one word."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    return _WORD.findall(plain)


class ChildDirectory:
    def __init__(self, db: Database, cipher: Cipher, search_key: bytes) -> None:
        self.db = db
        self.cipher = cipher
        self.search_key = search_key

    # ---- writing (the projector) ----

    def write(self, tx: Tx, child_id: str, card: Card) -> None:
        sealed = self._seal(card)
        tx.execute("UPDATE children SET sealed = ? WHERE child_id = ?", (sealed, child_id))
        tx.execute("DELETE FROM child_search WHERE child_id = ?", (child_id,))
        for term in sorted(self._terms(card)):
            tx.execute("INSERT INTO child_search (child_id, term) VALUES (?, ?)"
                       " ON CONFLICT DO NOTHING", (child_id, term))

    def _terms(self, card: Card) -> set[str]:
        words = normalise(" ".join(p for p in (card.given_name, card.family_name,
                                               card.mv_reference) if p))
        if card.date_of_birth:
            words.append(card.date_of_birth.isoformat())
        return {self._hash(w) for w in words}

    def _hash(self, word: str) -> str:
        return hmac.new(self.search_key, word.encode(), hashlib.sha256).hexdigest()[:32]

    def _seal(self, card: Card) -> str:
        plain = json.dumps({"g": card.given_name, "f": card.family_name,
                            "b": card.date_of_birth.isoformat() if card.date_of_birth else None})
        return base64.b64encode(self.cipher.encrypt(plain.encode())).decode()

    def _open(self, sealed: str | None) -> Card:
        if not sealed:
            return Card(None, None, None)
        data = json.loads(self.cipher.decrypt(base64.b64decode(sealed)))
        born = date.fromisoformat(data["b"]) if data.get("b") else None
        return Card(data.get("g"), data.get("f"), born)

    # ---- reading ----

    def cards(self, child_ids: list[str]) -> dict[str, Card]:
        """The cards of the children shown on a page, opened for it."""
        if not child_ids:
            return {}
        marks = ", ".join("?" for _ in child_ids)
        with self.db.transaction(readonly=True) as tx:
            rows = tx.execute(f"SELECT child_id, sealed FROM children WHERE child_id IN ({marks})",
                              list(child_ids))
        return {r["child_id"]: self._open(r["sealed"]) for r in rows}

    def mine(self, scope: Scope, window: Window) -> Slice[ChildRow]:
        """The caseworker's open cases: missing children first, then by the next clock due."""
        return self._list(scope, window, [OPEN_STAGES], [])

    def search(self, scope: Scope, query: str, window: Window) -> Slice[ChildRow]:
        """By case reference (VK-1A2B3C4D), or by every word of a name, a date of birth
        (YYYY-MM-DD) or a migration agency reference."""
        prefix = reference_prefix(query)
        if prefix is not None:
            return self._list(scope, window, ["ch.child_id LIKE ?"], [prefix + "-%"])
        words = normalise(query)
        if not words:
            return window.slice([])
        terms = ["ch.child_id IN (SELECT child_id FROM child_search WHERE term = ?)"
                 for _ in words]
        return self._list(scope, window, terms, [self._hash(w) for w in words])

    def _list(self, scope: Scope, window: Window, terms: list[str], params: list[Any]
              ) -> Slice[ChildRow]:
        where, scoped = scope.terms("ch")
        sql = (
            "SELECT ch.*, u.name AS caseworker_name, nx.next_due FROM children ch"
            " LEFT JOIN users u ON u.user_id = ch.caseworker_id"
            " LEFT JOIN (SELECT child_id, MIN(due) AS next_due FROM clocks"
            "  WHERE kind = 'deadline' AND status IN ('open', 'missed') GROUP BY child_id) nx"
            "  ON nx.child_id = ch.child_id"
            " WHERE " + " AND ".join([*where, *terms] or ["1 = 1"])
            + " ORDER BY CASE WHEN ch.missing_since IS NULL THEN 1 ELSE 0 END,"
            " ch.missing_since, CASE WHEN nx.next_due IS NULL THEN 1 ELSE 0 END, nx.next_due,"
            " ch.child_id LIMIT ? OFFSET ?")
        with self.db.transaction(readonly=True) as tx:
            rows = tx.execute(sql, (*scoped, *params, window.limit + 1, window.offset))
            nexts = self._next_clocks(tx, [r["child_id"] for r in rows[: window.limit]])
        return window.slice([ChildRow(
            r["child_id"], self._open(r["sealed"]), r["municipality"], r["stage"],
            r["caseworker_id"], r["caseworker_name"], from_ts(r["missing_since"]),
            from_ts(r["turns_18_at"]), from_ts(r["next_due"]),
            *nexts.get(r["child_id"], (None, None))) for r in rows])

    @staticmethod
    def _next_clocks(tx: Tx, child_ids: list[str]) -> dict[str, tuple[str, str]]:
        """Each child's earliest open or missed deadline: its rule and status."""
        if not child_ids:
            return {}
        marks = ", ".join("?" for _ in child_ids)
        found: dict[str, tuple[str, str]] = {}
        for r in tx.execute(f"SELECT child_id, rule_id, status FROM clocks WHERE child_id IN"
                            f" ({marks}) AND kind = 'deadline' AND status IN ('open', 'missed')"
                            " ORDER BY due, clock_id", child_ids):
            found.setdefault(r["child_id"], (r["rule_id"], r["status"]))
        return found
