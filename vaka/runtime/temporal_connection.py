"""How every Temporal client Vaka makes connects: address, namespace, TLS or mTLS, API key.

The TLS files are read and checked here, before any connection, so a wrong path or a file
that is not PEM is named with its setting instead of surfacing as a handshake failure.
"""

from __future__ import annotations

import asyncio
import ssl
from datetime import timedelta
from pathlib import Path

from temporalio.client import Client
from temporalio.runtime import Runtime
from temporalio.service import RPCError, RPCStatusCode, TLSConfig

from vaka.config import ConfigError, Settings
from vaka.observe import tracing


class NamespaceMissing(ConfigError):
    """The Temporal server answers but has no such namespace."""


def tls_config(settings: Settings) -> TLSConfig | bool:
    """What `Client.connect(tls=...)` gets: a TLSConfig when any file or server name is
    set, True for the system's roots alone, False for plain gRPC (the dev server). An API
    key alone also means TLS with the system's roots (Temporal Cloud)."""
    ca = _pem(settings.temporal_tls_ca, "VAKA_TEMPORAL_TLS_CA", "CERTIFICATE")
    cert = _pem(settings.temporal_tls_cert, "VAKA_TEMPORAL_TLS_CERT", "CERTIFICATE")
    key = _pem(settings.temporal_tls_key, "VAKA_TEMPORAL_TLS_KEY", "PRIVATE KEY")
    if (cert is None) != (key is None):
        missing = "VAKA_TEMPORAL_TLS_KEY" if key is None else "VAKA_TEMPORAL_TLS_CERT"
        raise ConfigError(f"{missing} is unset: mTLS needs both a client certificate "
                          "(VAKA_TEMPORAL_TLS_CERT) and its key (VAKA_TEMPORAL_TLS_KEY)")
    if ca is not None:
        _check_ca(settings.temporal_tls_ca)
    if cert is not None:
        _check_pair(settings.temporal_tls_cert, settings.temporal_tls_key)
    if ca or cert or settings.temporal_tls_server_name:
        return TLSConfig(server_root_ca_cert=ca, client_cert=cert, client_private_key=key,
                         domain=settings.temporal_tls_server_name)
    return settings.temporal_tls or bool(settings.temporal_api_key)


def _pem(path: Path | None, setting: str, kind: str) -> bytes | None:
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{setting}: {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"{setting}: {path} cannot be read ({exc.strerror})") from None
    if b"-----BEGIN " not in data or kind.encode() not in data:
        raise ConfigError(f"{setting}: {path} is not a PEM file holding a {kind.lower()}")
    return data


def _check_ca(path: Path | None) -> None:
    try:
        ssl.create_default_context(cafile=str(path))
    except ssl.SSLError as exc:
        raise ConfigError(f"VAKA_TEMPORAL_TLS_CA: {path} holds no usable certificate "
                          f"({exc.reason or exc})") from None


def _check_pair(cert: Path | None, key: Path | None) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        context.load_cert_chain(str(cert), str(key))
    except ssl.SSLError as exc:
        raise ConfigError(f"VAKA_TEMPORAL_TLS_CERT and VAKA_TEMPORAL_TLS_KEY do not go "
                          f"together or cannot be loaded ({exc.reason or exc})") from None


async def open_client(settings: Settings, timeout: float = 5.0,
                      runtime: Runtime | None = None) -> Client:
    """A client whose server answered (the namespace is not checked yet). Raises
    ConfigError for unusable TLS settings, RuntimeError (from the SDK) or TimeoutError
    when the server cannot be reached."""
    tls = tls_config(settings)
    return await asyncio.wait_for(Client.connect(
        settings.temporal_address, namespace=settings.temporal_namespace, tls=tls,
        api_key=settings.temporal_api_key, connect_timeout=timedelta(seconds=timeout),
        interceptors=tracing.temporal_interceptors(), runtime=runtime),
        timeout + 1)


async def connect_once(settings: Settings, timeout: float = 5.0,
                       runtime: Runtime | None = None) -> Client:
    """One attempt: connect, and make sure the namespace exists (NamespaceMissing)."""
    client = await open_client(settings, timeout, runtime)
    await check_namespace(client, timeout)
    return client


async def check_namespace(client: Client, timeout: float = 5.0) -> None:
    from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest

    try:
        await client.workflow_service.describe_namespace(
            DescribeNamespaceRequest(namespace=client.namespace),
            timeout=timedelta(seconds=timeout))
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise NamespaceMissing(
                f"the Temporal namespace {client.namespace!r} does not exist at "
                f"{client.service_client.config.target_host} (VAKA_TEMPORAL_NAMESPACE; "
                "create it, e.g. `temporal operator namespace create`)") from None
        if exc.status in (RPCStatusCode.UNAUTHENTICATED, RPCStatusCode.PERMISSION_DENIED):
            raise ConfigError(f"Temporal refused the credentials for namespace "
                              f"{client.namespace!r}: {exc.message} (VAKA_TEMPORAL_API_KEY, "
                              "VAKA_TEMPORAL_TLS_CERT)") from None
        raise


CLOSED_AT_ONCE = ("the server closed the connection at once; over TLS it may want a client "
                  "certificate (VAKA_TEMPORAL_TLS_CERT and _KEY), or refuse this one")


def explain(exc: BaseException) -> str:
    """Why a connection failed, in a few words, from the SDK's long transport message."""
    if isinstance(exc, ConfigError):
        return str(exc)
    if isinstance(exc, TimeoutError):
        return "no answer in time (a firewall, or the wrong host)"
    text = str(exc)
    if "error after connection" in text and "tonic::transport" in text:
        # TLS 1.3: a refused client certificate shows only once the first call is made,
        # as a reset, a cancelled call or a TLS session closed without close_notify
        return CLOSED_AT_ONCE
    for marker, reason in (
        ("dns error", "the host name does not resolve (DNS)"),
        ("Connection refused", "connection refused: nothing listens on that port"),
        ("certificate", "the TLS handshake failed: the server's certificate is not trusted "
                        "or not for this name (VAKA_TEMPORAL_TLS_CA, _SERVER_NAME)"),
        ("InvalidContentType", "the server does not speak TLS (unset VAKA_TEMPORAL_TLS*)"),
        ("tls", "the TLS handshake failed"),
        ("Unauthenticated", "the server refused the credentials (API key or client "
                            "certificate)"),
        ("PermissionDenied", "the credentials may not use this namespace"),
        ("Unimplemented", "something answers there, but it is not a Temporal frontend"),
        ("timed out", "no answer in time (a firewall, or the wrong host)"),
    ):
        if marker.lower() in text.lower():
            return reason
    return text.splitlines()[0][:200] if text else type(exc).__name__
