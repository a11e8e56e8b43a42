"""The versioned clock policy: numbers from a TOML file, never from code."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from domain.errors import PolicyError
from domain.timing import check_duration

ADULTHOOD = "age.eighteenth_birthday"


@dataclass(frozen=True)
class RulePolicy:
    rule_id: str
    owner: str
    values: dict[str, Any]
    child_only: bool = False

    def duration(self, key: str) -> str:
        try:
            text = str(self.values[key])
        except KeyError:
            raise PolicyError(f"rule {self.rule_id} needs {key!r}") from None
        check_duration(text)
        return text

    def durations(self, key: str) -> list[str]:
        return [str(v) for v in self.values.get(key, [])]


@dataclass(frozen=True)
class Policy:
    version: str
    timezone: ZoneInfo
    leap_day_birthday: str
    rules: dict[str, RulePolicy] = field(default_factory=dict)
    rejection_kind_months: int = 3

    def rule(self, rule_id: str) -> RulePolicy | None:
        return self.rules.get(rule_id)

    @property
    def adult_age(self) -> int:
        """The age at which a child is an adult (`years` of age.eighteenth_birthday)."""
        return int(self.rules[ADULTHOOD].values["years"])  # checked by parse_policy


def parse_policy(text: str) -> Policy:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"policy is not valid TOML: {exc}") from None
    try:
        rules = {
            rule_id: RulePolicy(
                rule_id=rule_id,
                owner=str(values.get("owner", "caseworker")),
                child_only=bool(values.get("child_only", False)),
                values=dict(values),
            )
            for rule_id, values in raw.get("rules", {}).items()
        }
        policy = Policy(
            version=str(raw["version"]),
            timezone=ZoneInfo(raw.get("timezone", "Europe/Stockholm")),
            leap_day_birthday=str(raw.get("leap_day_birthday", "03-01")),
            rules=rules,
            rejection_kind_months=int(raw.get("rejection_kind_months", 3)),
        )
    except KeyError as exc:
        raise PolicyError(f"policy lacks {exc.args[0]!r}") from None
    if ADULTHOOD not in rules or not isinstance(rules[ADULTHOOD].values.get("years"), int):
        raise PolicyError(f"the policy must give {ADULTHOOD}.years, the age of adulthood")
    for rule in rules.values():
        for key, value in rule.values.items():
            if isinstance(value, list):
                for item in value:
                    check_duration(item)
            elif key.endswith(("_after", "_for", "_every", "every", "_birthday", "within")):
                rule.duration(key)
    return policy


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy at `path`, or the default shipped with Vaka."""
    if path is None:
        text = resources.files("domain.policy").joinpath("default.toml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return parse_policy(text)
