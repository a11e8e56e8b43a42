"""Temporal: are the TLS settings usable, does the server answer, is the namespace there."""

from __future__ import annotations

from vaka.config import ConfigError, Settings, describe_temporal
from vaka.runtime.checks import Outcome
from vaka.runtime.temporal_connection import (
    NamespaceMissing,
    check_namespace,
    explain,
    open_client,
    tls_config,
)

TIMEOUT = 5.0


async def check_temporal(settings: Settings, timeout: float = TIMEOUT) -> list[Outcome]:
    where = describe_temporal(settings)
    try:
        tls = tls_config(settings)
    except ConfigError as exc:
        return [Outcome("temporal tls", False, str(exc)),
                Outcome("temporal", False, "not tried: the TLS settings are unusable")]
    tls_said = ("plain gRPC (no TLS)" if tls is False else
                "TLS with the system's roots" if tls is True else
                "mTLS files load" if settings.temporal_tls_cert else "TLS files load")
    outcomes = [Outcome("temporal tls", True, tls_said)]
    try:
        client = await open_client(settings, timeout)
    except Exception as exc:
        outcomes += [Outcome("temporal", False, f"{where}: {explain(exc)}"),
                     Outcome("temporal namespace", False, "not tried: no connection")]
        return outcomes
    outcomes.append(Outcome("temporal", True, f"{settings.temporal_address} answers"))
    try:
        await check_namespace(client, timeout)
    except NamespaceMissing as exc:
        outcomes.append(Outcome("temporal namespace", False, str(exc)))
    except Exception as exc:
        outcomes.append(Outcome("temporal namespace", False,
                                f"{settings.temporal_namespace!r}: {explain(exc)}"))
    else:
        outcomes.append(Outcome("temporal namespace", True,
                                f"{settings.temporal_namespace!r} exists"))
    return outcomes
