"""A webhook receiver on loopback that checks Vaka's signature and keeps what it got. It
binds port 0 and tells the port the kernel gave it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from vaka.notify.webhook import signature


class Receiver:
    def __init__(self, secret: str, status: int = 200) -> None:
        self.secret = secret
        self.status = status
        self.received: list[dict[str, Any]] = []
        self.bad_signatures = 0


@contextmanager
def webhook_receiver(secret: str, status: int = 200) -> Iterator[tuple[Receiver, str]]:
    receiver = Receiver(secret, status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            stamp = self.headers.get("Vaka-Timestamp", "")
            if self.headers.get("Vaka-Signature") != signature(receiver.secret, stamp, body):
                receiver.bad_signatures += 1
                self.send_response(401)
            else:
                receiver.received.append({"key": self.headers["Idempotency-Key"],
                                          "host": self.headers["Host"], **json.loads(body)})
                self.send_response(receiver.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver, f"http://127.0.0.1:{port}/vaka"
    finally:
        server.shutdown()
        server.server_close()
