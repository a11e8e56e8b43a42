"""`vaka check`: each part of a configuration tried for real, one outcome per check.

The checks change nothing: no table, key or file is created, so a check can be run against
a production configuration at any time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'}  {self.name:<18} {self.detail}"
