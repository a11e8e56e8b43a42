"""Ports Vaka listens on: taken ones are named with their setting before anything starts."""

from __future__ import annotations

import socket

from vaka.config import ConfigError


class PortTaken(ConfigError):
    pass


def bind(host: str, port: int, setting: str) -> socket.socket:
    """A listening socket on host:port (what uvicorn then serves on), or PortTaken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: TIME_WAIT is fine
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise PortTaken(f"port {port} on {host} ({setting}) cannot be used: "
                        f"{exc.strerror or exc}; another program holds it, or a Vaka left "
                        "over from an earlier run — stop it or choose another port") from None
    return sock


def ensure_free(host: str, port: int, setting: str) -> None:
    """Refuse to start when the port is taken. (The process that then binds it may still
    lose a race to another program; it reports that itself.)"""
    bind(host, port, setting).close()
