"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives. It binds port 0
and reports the port the kernel gave it, so no other server can have taken it first."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

# The server's own chatter (every EHLO, every line) says nothing a test needs, and from its
# thread it can outlive the output capture of the test that started it.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Inbox:
    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[EmailMessage] = []
        self.delay = delay  # a slow server, so a test can kill the sender mid-delivery

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 15.0) -> list[EmailMessage]:
        """Until `count` messages have arrived, or the deadline (then the caller's asserts
        say what is missing)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


class _AnyPortController(Controller):
    """aiosmtpd's controller, on the port the kernel chose for `port=0`. The controller
    connects to its own server once started; by then the server is bound, so the port it
    connects to is read from the server's socket."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = int(self.server.sockets[0].getsockname()[1])
        super()._trigger_server()


@contextmanager
def smtp_server(delay: float = 0.0) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox(delay)
    controller = _AnyPortController(inbox, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@contextmanager
def refusing_port() -> Iterator[int]:
    """A loopback port where nothing listens, held for the test: a socket bound to it but
    not listening, so a connection is refused and no other server can take the port."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield int(held.getsockname()[1])
