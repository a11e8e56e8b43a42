"""Temporal over TLS and mTLS, as on a real cluster or Temporal Cloud: the dev server behind a
TLS proxy that demands a client certificate. Wrong TLS settings are named with the setting
before any connection is tried."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.runtime.conftest import temporal_address
from tests.support.tls import Pki, make_pki, tls_proxy
from vaka.config import ConfigError, Settings
from vaka.runtime.checks import Outcome
from vaka.runtime.checks.temporal import check_temporal
from vaka.runtime.temporal_connection import connect_once, tls_config

pytestmark = [pytest.mark.temporal]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    try:
        return make_pki(tmp_path_factory.mktemp("pki"))
    except RuntimeError as exc:
        pytest.skip(str(exc))


@pytest.fixture
def secured(temporal_env, pki: Pki) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The address of the dev server behind mTLS."""
    with tls_proxy(temporal_address(temporal_env), pki) as port:
        yield f"127.0.0.1:{port}"


def outcomes(settings: Settings) -> dict[str, Outcome]:
    return {o.name: o for o in asyncio.run(check_temporal(settings))}


def mtls(pki: Pki, address: str = "127.0.0.1:7233", **overrides: object) -> Settings:
    values: dict[str, object] = {
        "temporal_address": address, "temporal_tls_ca": pki.ca,
        "temporal_tls_cert": pki.client_cert, "temporal_tls_key": pki.client_key,
        "temporal_tls_server_name": pki.server_name}
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]


def test_a_client_certificate_from_the_servers_ca_reaches_the_namespace(
        secured: str, pki: Pki) -> None:
    found = outcomes(mtls(pki, secured))
    assert all(o.ok for o in found.values()), found
    assert found["temporal tls"].detail == "mTLS files load"


def test_the_processes_connect_through_the_same_settings(secured: str, pki: Pki) -> None:
    async def namespace() -> str:
        client = await connect_once(mtls(pki, secured))
        return client.namespace

    assert asyncio.run(namespace()) == "default"


def test_without_a_client_certificate_the_server_refuses(secured: str, pki: Pki) -> None:
    found = outcomes(mtls(pki, secured, temporal_tls_cert=None, temporal_tls_key=None))
    assert not found["temporal"].ok
    assert found["temporal"].detail.startswith(f"Temporal {secured} namespace default with TLS")
    assert "it may want a client certificate" in found["temporal"].detail, found["temporal"]


def test_a_server_name_the_certificate_does_not_carry_fails_the_handshake(
        secured: str, pki: Pki) -> None:
    found = outcomes(mtls(pki, secured, temporal_tls_server_name=None))
    assert not found["temporal"].ok
    assert "TLS handshake failed" in found["temporal"].detail


def test_a_file_that_is_not_pem_is_named_with_its_setting(tmp_path: Path, pki: Pki) -> None:
    not_pem = tmp_path / "client.der"
    not_pem.write_bytes(b"\x30\x82\x01\x0a not a certificate")
    with pytest.raises(ConfigError) as refused:
        tls_config(mtls(pki, temporal_tls_cert=not_pem))
    assert str(refused.value) == (
        f"VAKA_TEMPORAL_TLS_CERT: {not_pem} is not a PEM file holding a certificate")


def test_a_certificate_without_its_key_names_the_missing_setting(pki: Pki) -> None:
    with pytest.raises(ConfigError, match=r"^VAKA_TEMPORAL_TLS_KEY is unset: mTLS needs both"):
        tls_config(mtls(pki, temporal_tls_key=None))


def test_a_key_that_does_not_belong_to_the_certificate_is_refused(pki: Pki) -> None:
    with pytest.raises(ConfigError, match="VAKA_TEMPORAL_TLS_CERT and VAKA_TEMPORAL_TLS_KEY "
                                          "do not go together"):
        tls_config(mtls(pki, temporal_tls_key=pki.server_key))


def test_an_api_key_alone_means_tls_with_the_systems_roots() -> None:
    assert tls_config(Settings(temporal_api_key="secret")) is True
    assert tls_config(Settings(temporal_tls=True)) is True
    assert tls_config(Settings()) is False


def test_tls_to_a_server_that_speaks_none_is_explained(
        temporal_env) -> None:  # type: ignore[no-untyped-def]
    found = outcomes(Settings(temporal_address=temporal_address(temporal_env),
                              temporal_tls=True))
    assert not found["temporal"].ok
    assert "TLS" in found["temporal"].detail
