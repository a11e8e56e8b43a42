"""Where a webhook may point: public addresses only, unless an admin allows private ones
(VAKA_WEBHOOK_ALLOW_PRIVATE, e.g. a receiver inside the municipality's own network).

Loopback, private (RFC 1918, unique local), link-local (cloud metadata at 169.254.169.254
among them), carrier-grade NAT, multicast, reserved and unspecified addresses are refused,
as literal addresses and as names that resolve to them. A name is checked when it is
registered and again at each delivery, and the delivery connects to the very address that
was checked, so a name that changes its answer between the two (DNS rebinding) reaches no
private address.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT, not "private" in Python


class RefusedTarget(ValueError):
    """A webhook address Vaka does not send to; the text says why, and names no port."""


@dataclass(frozen=True)
class Target:
    """A webhook's URL and the address a delivery connects to."""

    url: str
    host: str
    address: Address


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (address.is_private or address.is_loopback or address.is_link_local
                or address.is_multicast or address.is_reserved or address.is_unspecified
                or (isinstance(address, ipaddress.IPv4Address) and address in _SHARED))


def _host(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedTarget("a webhook address is an http or https URL with a host")
    return parts.hostname


def _port(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


def resolve(host: str, port: int) -> list[Address]:
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return [literal]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_registration(url: str, allow_private: bool) -> None:
    """Refuse an address that names or resolves to a private one. A name that does not
    resolve now is taken; each delivery checks it again."""
    host = _host(url)
    if allow_private:
        return
    try:
        addresses = resolve(host, _port(url))
    except OSError:
        return
    if not all(is_public(a) for a in addresses):
        raise RefusedTarget(_PRIVATE)


def target_for(url: str, allow_private: bool) -> Target:
    """The address a delivery to `url` connects to, checked; RefusedTarget otherwise."""
    host = _host(url)
    try:
        addresses = resolve(host, _port(url))
    except OSError:
        raise RefusedTarget("the webhook's host name does not resolve") from None
    if not addresses:
        raise RefusedTarget("the webhook's host name does not resolve")
    if not allow_private and not all(is_public(a) for a in addresses):
        raise RefusedTarget(_PRIVATE)
    return Target(url, host, addresses[0])


_PRIVATE = ("a webhook may not point at a loopback, private or link-local address "
            "(an admin may allow it: VAKA_WEBHOOK_ALLOW_PRIVATE)")
