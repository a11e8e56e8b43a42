"""The rules of RULEBOOK section 6: which entry opens, meets or cancels which clock.

One module per area; numbers come from the policy, and a rule absent from the policy
opens nothing. `closing` runs last: it stops whatever is still open when a journey ends.
"""

from __future__ import annotations

from domain.clock_rules import (
    age,
    arrival,
    asylum,
    closing,
    escalation,
    handover,
    missing,
    placement,
    returning,
    risk,
)

RULES = (arrival.rule, missing.rule, age.rule, placement.rule, asylum.rule, returning.rule,
         risk.rule, handover.rule, escalation.rule, closing.rule)
