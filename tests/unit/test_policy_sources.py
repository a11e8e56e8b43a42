"""The rule texts Vaka shows cite their sources by title and section or row, or by the
law, never by line numbers of documents outside the repository (issue: citations)."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from tests.support.history import POLICY

TITLES = ("Förebygg och förbered", "Metodstöd om ensamkommande barn som försvinner",
          "Barnets bästa vid återvändande", "UNICEF Sverige", "lagen", "lag (", "product default")


@pytest.mark.parametrize("rule_id", sorted(POLICY.rules))
def test_every_rule_cites_a_source_by_title_or_law_not_by_line_number(rule_id: str) -> None:
    source = str(POLICY.rules[rule_id].values.get("source", ""))
    assert any(title in source for title in TITLES), source
    assert not re.search(r"\b\d{3} L\d+|\bL\d{2,4}\b|\b00\d F\d", source), source


def test_the_legal_time_limits_cite_the_laws_that_count_them() -> None:
    for rule_id in ("decision.appeal_window", "return.voluntary_departure"):
        assert "1930:173" in POLICY.rules[rule_id].values["source"]
        assert POLICY.rules[rule_id].values["legal_time_limit"] is True


def test_the_policy_file_cites_no_line_numbers_even_in_its_comments() -> None:
    text = resources.files("domain.policy").joinpath("default.toml").read_text("utf-8")
    found = re.findall(r"\b\d{3} L\d+|\bL\d{2,4}\b|shared/seeds|RULEBOOK", text)
    assert found == [], found
