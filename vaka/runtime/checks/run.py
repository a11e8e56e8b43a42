"""All checks of `vaka check`, in the order an operator would mend them."""

from __future__ import annotations

import asyncio

from vaka.config import Settings
from vaka.runtime.checks import Outcome
from vaka.runtime.checks.cipher import check_cipher
from vaka.runtime.checks.database import check_database, check_schema
from vaka.runtime.checks.smtp import check_smtp
from vaka.runtime.checks.temporal import check_temporal


def check_policy(settings: Settings) -> Outcome:
    from domain.policy import load_policy

    source = settings.policy_path or "the default policy shipped with Vaka"
    try:
        policy = load_policy(settings.policy_path)
    except Exception as exc:  # a missing file, bad TOML, a rule that does not validate
        return Outcome("policy", False, f"{source}: {type(exc).__name__}: "
                                        f"{str(exc).splitlines()[0][:200] if str(exc) else ''}")
    return Outcome("policy", True, f"{source} loads (version {policy.version})")


def run_checks(settings: Settings) -> list[Outcome]:
    database = check_database(settings)
    outcomes = [database]
    if database.ok:
        outcomes += [check_schema(settings), check_cipher(settings)]
    else:
        outcomes += [Outcome("schema", False, "not tried: no database"),
                     Outcome("cipher key", False, "not tried: no database")]
    outcomes.append(check_policy(settings))
    outcomes += asyncio.run(check_temporal(settings))
    outcomes.append(check_smtp(settings))
    return outcomes
